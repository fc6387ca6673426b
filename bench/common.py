"""Shared pieces of the benchmarks: timing, percentiles, the cached base store, result rows.

Built stores are cached under BENCH_CACHE (default /tmp/kommunstod-bench) so that `make bench`
embeds the shared corpus once per machine; every script copies what it needs before writing.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BENCH_CORPUS", ROOT.parent / "shared" / "corpus"))
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/kommunstod-bench"))
RESULTS = ROOT / "bench" / "results"


@dataclass
class Row:
    """One figure of the `make bench` table. `ratio` is measured / baseline from the same run."""

    figure: str
    target: str
    measured: str
    baseline: str
    ratio: float | None
    met: bool | None  # None: no target, context only
    command: str


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions(limit: int | None = None) -> list[str]:
    """The shared corpus eval questions without history (in-domain and out-of-domain)."""
    items = yaml.safe_load((ROOT / "evals" / "sets" / "shared_corpus.yaml").read_text(encoding="utf-8"))["items"]
    qs = [i["question"] for i in items if not i.get("history")]
    return qs[:limit] if limit else qs


def settings_for(home: Path, **overrides: object):
    from assistant.settings import Settings

    return Settings(home=home, **overrides)


def base_home() -> Path:
    """The shared corpus ingested as the pipeline did before answer units were warmed at ingest:
    chunk vectors in the embedding cache, no unit vectors. Built once (cold, ~80 s of both cores)."""
    home = CACHE / "base-1x"
    if (home / ".complete").exists():
        return home
    from assistant.components import build_chunker, build_store
    from ingest.pipeline import ingest

    shutil.rmtree(home, ignore_errors=True)
    settings = settings_for(home)
    store = build_store(settings)
    started = time.perf_counter()
    ingest([str(CORPUS)], store, build_chunker(settings), settings.chunking_id, progress=False)
    (home / ".complete").write_text(json.dumps({"ingest_s": time.perf_counter() - started}), encoding="utf-8")
    return home


def copy_home(src: Path, name: str) -> Path:
    """A private copy of a built home (Chroma files, lexical index, embedding cache)."""
    dst = CACHE / "work" / name
    shutil.rmtree(dst, ignore_errors=True)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, dst)
    return dst


def write_rows(name: str, rows: list[Row], extra: dict | None = None) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"rows": [asdict(r) for r in rows], "extra": extra or {}}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    for r in rows:
        mark = {True: "MET", False: "NOT MET", None: "-"}[r.met]
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        print(f"{r.figure:44s} {r.measured:>22s}  base {r.baseline:>18s}  {ratio:>8s}  {mark}", flush=True)

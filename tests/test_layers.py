"""Imports go one way: ingest ← retrieval ← answer ← service ← api, ui, cli; evals use the service only.

Every import in assistant/, ingest/ and evals/ is read with ast (function-level imports too) and
checked against the layers below; a failure names the file, the line and the offending import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "ingest", "evals")

# Lowest first. A module may import its own layer and every layer below it, never one above.
LAYERS: list[tuple[str, ...]] = [
    ("ingest",),
    ("assistant.settings", "assistant.domain", "assistant.holdout"),
    ("assistant.retrieval",),
    ("assistant.answer",),
    ("assistant.components",),
    (
        "assistant.service",
        "assistant.access",
        "assistant.throttle",
        "assistant.uploads",
        "assistant.feedback",
        "assistant.plugins",
    ),
    ("assistant.api", "assistant.ui", "assistant.cli", "assistant.commands", "assistant"),
]
# The front ends share the top layer and stay apart, except where one is composed into another:
# the web app mounts the UI, and `kommunstod serve` starts the web app.
FRONT_ENDS = {"assistant.api": "api", "assistant.ui": "ui", "assistant.cli": "cli", "assistant.commands": "cli"}
COMPOSED = {("assistant.api.app", "assistant.ui"), ("assistant.commands.serve_cmd", "assistant.api.app")}
# Evals are a consumer: they call the service (and read documents with ingest's loaders), never the
# answering internals or a front end; nothing imports them by name (they plug in by entry points).
EVALS_MAY_IMPORT = (
    "evals",
    "ingest",
    "assistant.service",
    "assistant.settings",
    "assistant.domain",
    "assistant.holdout",
    "assistant.access",
    "assistant.feedback",
)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _owner(module: str, prefixes: tuple[str, ...] | list[str]) -> str | None:
    """The longest prefix that the module falls under."""
    found = [p for p in prefixes if _within(module, p)]
    return max(found, key=len) if found else None


def layer_of(module: str) -> int:
    prefixes = [p for layer in LAYERS for p in layer]
    owner = _owner(module, prefixes)
    assert owner is not None, f"{module} is in no layer: add it to LAYERS"
    return next(i for i, layer in enumerate(LAYERS) if owner in layer)


def _front_end(module: str) -> str | None:
    owner = _owner(module, list(FRONT_ENDS))
    return FRONT_ENDS[owner] if owner else None


def violation(importer: str, imported: str) -> str | None:
    """Why `importer` may not import `imported`, or None."""
    if _within(importer, "evals"):
        return None if _owner(imported, EVALS_MAY_IMPORT) else "evals use the service only"
    if _within(imported, "evals"):
        return "evals plug in through entry points; nothing imports them by name"
    if layer_of(imported) > layer_of(importer):
        return f"layer {layer_of(importer)} imports layer {layer_of(imported)} above it"
    here, there = _front_end(importer), _front_end(imported)
    composed = any(_within(importer, a) and _within(imported, b) for a, b in COMPOSED)
    if here and there and here != there and not composed:
        return f"front end {here} imports front end {there}"
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every import of the project's own packages."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # `from assistant import plugins` imports the module assistant.plugins.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] in PACKAGES]


def _resolve(name: str) -> str:
    """`assistant.domain.Filters` → `assistant.domain`: the longest prefix that is a module or package."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        path = ROOT.joinpath(*parts[:n])
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return ".".join(parts[:n])
    return name


def source_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_every_import_follows_the_layers():
    problems = []
    for path in source_files():
        module = module_name(path)
        for line, name in imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            imported = _resolve(name)
            if imported != module and (why := violation(module, imported)):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {imported}: {why}")
    assert not problems, "\n".join(problems)


def test_every_package_has_its_init():
    folders = {p.parent for p in source_files()}
    assert not [str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file()]


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("assistant.retrieval.rerank", "assistant.answer.units"),
        ("assistant.answer.chain", "assistant.service"),
        ("assistant.ui.chat", "assistant.api.streaming"),
        ("assistant.ui.app", "evals.ui"),
        ("evals.ui", "assistant.api.auth"),
        ("evals.runner", "assistant.answer.chain"),
        ("ingest.store", "assistant.settings"),
    ],
)
def test_an_import_against_the_layers_is_caught(importer, imported):
    assert violation(importer, imported)


def test_imports_are_read_from_the_code():
    source = "def f():\n    from assistant.answer.units import UnitScorer\nfrom assistant import plugins\n"
    assert sorted(imports(source, "assistant.retrieval.rerank")) == [
        (2, "assistant.answer.units.UnitScorer"),
        (3, "assistant.plugins"),
    ]
    assert len(source_files()) > 50

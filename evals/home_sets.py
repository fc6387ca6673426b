"""County staff's own eval sets, kept as YAML files under <home>/evals/sets/. They have no corpus
of their own: they ask the documents loaded into the data home, as the officers' users do.

Every change (import, a question added, edited or removed) is validated whole and written to a
temporary file that replaces the set in one step, so a set is never half-written."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from assistant.settings import Settings
from evals.sets import EvalItem, EvalSet, SetError, load_set, parse_set
from evals.spreadsheet import ImportProblems, item_from_row, items_from_rows, read_rows, slug

_NAME = re.compile(r"^[a-z0-9åäö][a-z0-9åäö_-]{0,59}$")


def sets_dir(settings: Settings) -> Path:
    return settings.home / "evals" / "sets"


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not _NAME.match(name):
        raise ImportProblems([f"Namnet {name!r} går inte: använd små bokstäver, siffror, - och _ (högst 60 tecken)."])
    return name


def set_path(settings: Settings, name: str) -> Path:
    return sets_dir(settings) / f"{check_name(name)}.yaml"


def home_sets(settings: Settings) -> list[str]:
    return sorted(p.stem for p in sets_dir(settings).glob("*.yaml"))


def _dump(name: str, description: str, items: list[EvalItem]) -> dict[str, Any]:
    rows = []
    for item in items:
        row = item.to_json()
        row["gold_sources"] = [{k: v for k, v in g.items() if v is not None} for g in row["gold_sources"]]
        rows.append(row)
    return {"name": name, "description": description, "items": rows}


def write_set(settings: Settings, name: str, items: list[EvalItem], description: str = "") -> Path:
    """Validates the whole set as `kommunstod eval` reads it, then replaces the file atomically."""
    path = set_path(settings, name)
    data = _dump(path.stem, description, items)
    try:
        parse_set(data, path)
    except SetError as exc:
        raise ImportProblems(str(exc).splitlines()[1:] or [str(exc)]) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False)
    os.replace(tmp, path)
    return path


def load_home_set(settings: Settings, name: str) -> EvalSet:
    path = set_path(settings, name)
    if not path.is_file():
        raise ImportProblems([f"Det finns ingen frågesamling som heter {name!r}."])
    return load_set(path)


def _yaml_items(data: bytes, filename: str) -> tuple[list[EvalItem], str]:
    try:
        raw = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportProblems([f"{filename}: ingen giltig YAML: {exc}"]) from exc
    if isinstance(raw, dict):
        raw = {k: v for k, v in raw.items() if k != "corpus"}  # imported sets ask the home's documents
    try:
        parsed = parse_set(raw, Path(filename))
    except SetError as exc:
        raise ImportProblems(str(exc).splitlines()[1:] or [str(exc)]) from exc
    return parsed.items, parsed.description


def import_file(
    settings: Settings, filename: str, data: bytes, name: str, known_sources: set[str] | None = None
) -> Path:
    """A CSV, XLSX or YAML file → the set `name` under the home (replacing one of that name).
    Raises ImportProblems with every bad row; then nothing is written."""
    name = check_name(name)
    if Path(filename).suffix.lower() in (".yaml", ".yml"):
        items, description = _yaml_items(data, filename)
    else:
        items = items_from_rows(read_rows(filename, data), known_sources)
        description = f"Importerad från {Path(filename).name}."
    return write_set(settings, name, items, description)


def upsert_item(
    settings: Settings, name: str, row: dict[str, str], known_sources: set[str] | None = None, old_id: str = ""
) -> EvalItem:
    """Adds a question to a set (created if missing), or replaces the one with id `old_id`."""
    path = set_path(settings, name)
    current = load_set(path) if path.is_file() else None
    items = list(current.items) if current else []
    item, problems = item_from_row(row, "Frågan", known_sources)
    if item is None:
        raise ImportProblems(problems)
    taken = {i.id for i in items if i.id != old_id}
    item.id = item.id or slug(item.question)
    if item.id in taken:
        raise ImportProblems([f"Frågan, kolumn 'id': {item.id!r} finns redan i samlingen"])
    at = next((n for n, i in enumerate(items) if i.id == old_id), None) if old_id else None
    if at is None:
        items.append(item)
    else:
        item.tags = items[at].tags
        items[at] = item
    write_set(settings, name, items, current.description if current else "")
    return item


def add_item(settings: Settings, name: str, item: EvalItem) -> None:
    """Appends an item that is already built (an accepted feedback draft)."""
    path = set_path(settings, name)
    current = load_set(path) if path.is_file() else None
    items = list(current.items) if current else []
    base, n = item.id, 2
    while item.id in {i.id for i in items}:
        item.id, n = f"{base}-{n}", n + 1
    write_set(settings, name, [*items, item], current.description if current else "")


def delete_item(settings: Settings, name: str, item_id: str) -> None:
    current = load_home_set(settings, name)
    items = [i for i in current.items if i.id != item_id]
    if len(items) == len(current.items):
        raise ImportProblems([f"Frågan {item_id!r} finns inte i {name}."])
    if not items:
        set_path(settings, name).unlink()  # a set must have questions: the last one takes the set along
        return
    write_set(settings, name, items, current.description)

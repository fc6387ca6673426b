"""Where an eval set comes from: a YAML file, the SweQUAD folder, or a set imported into the data home."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from evals.home_sets import set_path
from evals.sets import EvalSet, SetError, load_set
from evals.spreadsheet import ImportProblems
from evals.swequad import is_swequad, load_swequad


def load_any(spec: str, settings: Settings, split: str = "gate", limit: int | None = None, seed: int = 0) -> EvalSet:
    """A YAML path, ../shared/swequad-dev (with split, limit and seed), or the name of an imported set."""
    path = Path(spec)
    if is_swequad(path):
        if split not in ("gate", "fit", "all"):
            raise SetError(f"okänd del {split!r}: gate, fit eller all")
        return load_swequad(path, split, limit, seed)  # type: ignore[arg-type]
    if path.is_file():
        return load_set(path)
    try:
        stored = set_path(settings, spec)
    except ImportProblems:
        stored = None
    if stored is not None and stored.is_file():
        return load_set(stored)
    raise SetError(f"{spec}: ingen frågesamling (varken fil, SweQUAD-mapp eller importerad samling)")

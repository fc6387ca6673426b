"""../shared/swequad-dev as an eval set, read from its path (never copied), and the one split of its
questions into a part for fitting weights and a held-out part the CI gate grades.

The split is by gold document (`assistant.holdout.split_of`, shared with the fitting scripts, which
use only the "fit" side); the gate uses only the "gate" side.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Literal

from assistant.holdout import Split, split_of
from evals.sets import REPO_ROOT, EvalItem, EvalSet, GoldSource, SetError

SWEQUAD_DIR = REPO_ROOT.parent / "shared" / "swequad-dev"


def is_swequad(path: Path) -> bool:
    return path.is_dir() and (path / "questions.jsonl").is_file() and (path / "docs").is_dir()


def _item(raw: dict, split: str) -> EvalItem:
    answers = [a for a in raw["answer"] if a.strip()]
    return EvalItem(
        id=raw["id"],
        question=raw["question"],
        category="answerable",
        expect_refusal=False,
        reference_answer=answers[0],
        # Any one of the human answer spans counts as the key fact.
        key_facts=[answers if len(answers) > 1 else answers[0]],
        gold_sources=[GoldSource(raw["gold_source"].removeprefix("docs/"))],
        tags=[split, raw.get("split", "")],
    )


def load_swequad(
    folder: Path = SWEQUAD_DIR, split: Split | Literal["all"] = "gate", limit: int | None = None, seed: int = 0
) -> EvalSet:
    """The questions of one side of the split (or all), as eval items over an ingest of docs/.
    `limit` takes a seeded random subset of that many, in the file's order."""
    path = folder / "questions.jsonl"
    if not is_swequad(folder):
        raise SetError(f"{folder}: ingen SweQUAD-mapp (questions.jsonl och docs/ saknas)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = [r for r in rows if split == "all" or split_of(r["gold_source"]) == split]
    if limit is not None and limit < len(chosen):
        keep = set(random.Random(seed).sample(range(len(chosen)), limit))
        chosen = [r for n, r in enumerate(chosen) if n in keep]
    items = [_item(r, split_of(r["gold_source"])) for r in chosen if any(a.strip() for a in r["answer"])]
    name = f"swequad_{split}"
    size = f", slumpat urval av {limit} (frö {seed})" if limit is not None and limit < len(rows) else ""
    description = (
        f"SweQUAD-MC (KTH, CC BY 4.0) via {folder}: {len(items)} frågor ur delen '{split}'{size}. "
        "Delningen följer gulddokumentet; delen 'gate' används aldrig för att anpassa vikter."
    )
    return EvalSet(name, description, (folder / "docs").resolve(), items, path)

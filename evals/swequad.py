"""../shared/swequad-dev as an eval set, read from its path (never copied), and the one split of its
questions into a part for fitting weights and a held-out part the CI gate grades.

The split is by gold document: a document and all its questions are on one side, decided by a hash
of the document's path, so it is the same on every machine and needs no list kept anywhere. Fitting
code imports `split_of` and uses only the "fit" side; the gate uses only the "gate" side.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Literal

from evals.sets import REPO_ROOT, EvalItem, EvalSet, GoldSource, SetError

SWEQUAD_DIR = REPO_ROOT.parent / "shared" / "swequad-dev"
GATE_SHARE = 0.25  # share of documents (and so, roughly, of questions) held out for the gate
Split = Literal["gate", "fit"]


def split_of(gold_source: str) -> Split:
    """ "gate" or "fit" for a gold document path as questions.jsonl names it ("docs/x.md" or "x.md")."""
    name = gold_source.removeprefix("docs/")
    bucket = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "gate" if bucket < GATE_SHARE else "fit"


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

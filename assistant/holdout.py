"""The one split of ../shared/swequad-dev into a side for fitting weights and a held-out side that
the CI gate grades (evals/FITTED.md).

The split is by gold document: a document and all its questions are on one side, decided by a hash
of the document's file name, so it is the same on every machine and needs no list kept anywhere.
It lives below the answering code and the evals alike, so the fitting scripts
(`assistant.fit_models`, `assistant.answer.fit_verify`) and the gate (`evals.swequad`) share it;
the fitting scripts read their questions only through `fit_questions`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

GATE_SHARE = 0.25  # share of documents (and so, roughly, of questions) held out for the gate
Split = Literal["gate", "fit"]


def split_of(gold_source: str) -> Split:
    """ "gate" or "fit" for a gold document path as questions.jsonl names it ("docs/x.md" or "x.md")."""
    name = gold_source.removeprefix("docs/")
    bucket = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "gate" if bucket < GATE_SHARE else "fit"


def _key(question: str, answer: str) -> tuple[str, str]:
    return " ".join(question.split()).casefold(), " ".join(answer.split()).casefold()


def fit_questions(path: Path) -> list[dict[str, Any]]:
    """The rows of questions.jsonl that fitting may use. Each gets `golds`, the file names of every
    document that answers the same question in the same words (the set repeats a question for each
    such page), and `group`, its own gold document's file name. A question with any gold document on
    the gate side is left out, so neither a gate question nor its twin on a fit page is fitted on."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    golds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        golds[_key(r["question"], r["answer"][0])].add(Path(r["gold_source"]).name)
    for r in rows:
        r["golds"] = golds[_key(r["question"], r["answer"][0])]
        r["group"] = Path(r["gold_source"]).name
    fit = [r for r in rows if all(split_of(g) == "fit" for g in r["golds"])]
    assert_fit_side(fit)
    return fit


def assert_fit_side(questions: list[dict[str, Any]]) -> None:
    """Raises when any question (or a twin of it) has a gold document on the gate side."""
    gate = sorted({g for q in questions for g in q.get("golds", {q["gold_source"]}) if split_of(g) != "fit"})
    if gate:
        raise ValueError(f"{len(gate)} gate-side gold documents among the fitting questions, e.g. {gate[0]}")

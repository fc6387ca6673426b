"""SweQUAD as an eval set: the document-grouped split is deterministic and holds out whole documents,
and its questions become items with the gold document and the answer span as the key fact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.holdout import GATE_SHARE, split_of
from assistant.settings import Settings
from evals.sources import load_any
from evals.swequad import SWEQUAD_DIR, load_swequad


def _folder(tmp_path: Path) -> Path:
    docs = tmp_path / "sq" / "docs"
    docs.mkdir(parents=True)
    rows = []
    for n in range(40):
        (docs / f"d{n}.md").write_text(f"# Dokument {n}\n\nSvaret är {n}.\n", encoding="utf-8")
        rows.append({"id": f"q{n}", "question": f"Vad är svaret {n}?", "answer": [f"{n}", f"nummer {n}"],
                     "gold_source": f"docs/d{n}.md", "split": "training"})  # fmt: skip
    (tmp_path / "sq" / "questions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path / "sq"


def test_split_is_by_document_and_stable():
    assert split_of("docs/advokat-9ad07490.md") == split_of("advokat-9ad07490.md")
    sides = [split_of(f"doc-{n}.md") for n in range(2000)]
    assert abs(sides.count("gate") / len(sides) - GATE_SHARE) < 0.04


def test_items_carry_gold_document_and_answer_span(tmp_path):
    folder = _folder(tmp_path)
    gate, fit = load_swequad(folder, "gate"), load_swequad(folder, "fit")
    assert len(gate.items) + len(fit.items) == 40 and gate.items
    gate_docs = {i.gold_sources[0].source for i in gate.items}
    assert not gate_docs & {i.gold_sources[0].source for i in fit.items}
    item = gate.items[0]
    n = item.id[1:]
    assert item.key_facts == [[n, f"nummer {n}"]] and item.gold_sources[0].source == f"d{n}.md"
    assert gate.corpus == (folder / "docs").resolve() and gate.name == "swequad_gate"


def test_limit_takes_a_seeded_subset(tmp_path):
    folder = _folder(tmp_path)
    every = load_swequad(folder, "all")
    a, b = load_swequad(folder, "all", limit=10, seed=1), load_swequad(folder, "all", limit=10, seed=1)
    assert [i.id for i in a.items] == [i.id for i in b.items] and len(a.items) == 10
    assert [i.id for i in load_swequad(folder, "all", limit=10, seed=2).items] != [i.id for i in a.items]
    assert len(load_any(str(folder), Settings(home=tmp_path / "h"), "all").items) == len(every.items) == 40


def test_the_real_gate_side_holds_out_a_quarter_of_the_documents():
    if not SWEQUAD_DIR.is_dir():
        pytest.skip("../shared/swequad-dev is not present")
    gate = load_swequad(SWEQUAD_DIR, "gate")
    assert len(gate.items) == 315 and len({i.gold_sources[0].source for i in gate.items}) == 124
    assert len(load_swequad(SWEQUAD_DIR, "gate", limit=300).items) == 300

"""The refusal threshold's calibration reads an eval run's evidence and finds the gap between the
out-of-scope questions and those to be answered."""

from __future__ import annotations

import json

from evals.refusal_calibration import evidence_by_side, just_above, main, midpoint


def _record(config: str, item_id: str, category: str, evidence: float) -> dict:
    item = {"id": item_id, "category": category, "expect_refusal": category in ("out_of_scope", "unanswerable")}
    return {"config": config, "item": item, "response": {"evidence": evidence, "similarity": 0.5 + evidence}}


def test_gap_between_out_of_scope_and_answerable(tmp_path, capsys):
    records = [
        _record("system", "oos-1", "out_of_scope", 0.02),
        _record("system", "oos-2", "out_of_scope", 0.04),
        _record("system", "ans-1", "answerable", 0.5),
        _record("system", "fu-1", "follow_up", 0.14),
        _record("system", "un-1", "unanswerable", 0.01),  # refused for other reasons: not a side
        _record("bm25", "ans-1", "answerable", 0.001),  # a baseline: not the system's evidence
    ]
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    sides = evidence_by_side(path)
    assert sides == {"out_of_scope": [(0.02, "oos-1"), (0.04, "oos-2")], "answerable": [(0.14, "fu-1"), (0.5, "ans-1")]}
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    # The refusal threshold sits just above the out-of-scope side, the similarity one in the middle.
    assert "gap 0.0400–0.1400" in out and "refusal_threshold 0.05\n" in out
    assert evidence_by_side(path, key="similarity")["out_of_scope"][-1] == (0.54, "oos-2")
    assert "similarity_threshold 0.59\n" in out


def test_no_gap_fails(tmp_path):
    records = [_record("system", "oos", "out_of_scope", 0.3), _record("system", "ans", "answerable", 0.2)]
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main([str(path)]) == 1


def test_threshold_is_the_middle_of_the_gap():
    assert midpoint(0.0286, 0.1099) == 0.069 and midpoint(0.8171, 0.8317) == 0.824


def test_refusal_threshold_is_just_above_the_out_of_scope_questions():
    assert just_above(0.0700, 0.1521) == 0.08 and just_above(0.0286, 0.11) == 0.03 and just_above(0.07, 0.2) == 0.08


def test_runs_are_pooled(tmp_path, capsys):
    dev, sample = tmp_path / "dev.jsonl", tmp_path / "sample.jsonl"
    dev.write_text(json.dumps(_record("system", "oos", "out_of_scope", 0.07)) + "\n", encoding="utf-8")
    sample.write_text(json.dumps(_record("system", "ans", "answerable", 0.15)) + "\n", encoding="utf-8")
    assert main([str(dev), str(sample)]) == 0
    assert "refusal_threshold 0.08\n" in capsys.readouterr().out

"""The fitting scripts read only the fit side of SweQUAD (assistant.holdout), and their feature
caches are used only for the question list they were computed for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.fit_models import cached
from assistant.holdout import assert_fit_side, fit_questions, split_of


def _names(side: str, n: int) -> list[str]:
    return [name for name in (f"d{i}.md" for i in range(200)) if split_of(name) == side][:n]


def test_fit_questions_leave_out_the_gate_side_and_its_twins(tmp_path):
    fit, gate = _names("fit", 3), _names("gate", 2)
    rows = [
        {"id": "a", "question": "Vad gäller?", "answer": ["A"], "gold_source": f"docs/{fit[0]}"},
        {"id": "b", "question": "Vad gäller nu?", "answer": ["B"], "gold_source": f"docs/{gate[0]}"},
        # The same question and answer on a fit page and a gate page: a twin of a gate question.
        {"id": "c", "question": "Vem beslutar?", "answer": ["C"], "gold_source": f"docs/{fit[1]}"},
        {"id": "d", "question": "Vem  beslutar?", "answer": ["c"], "gold_source": f"docs/{gate[1]}"},
        {"id": "e", "question": "Var?", "answer": ["E"], "gold_source": f"docs/{fit[2]}"},
    ]
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    chosen = fit_questions(path)
    assert [q["id"] for q in chosen] == ["a", "e"]
    assert chosen[0]["golds"] == {fit[0]} and chosen[0]["group"] == fit[0]
    with pytest.raises(ValueError, match="gate-side"):
        assert_fit_side([*chosen, {"id": "b", "gold_source": f"docs/{gate[0]}", "golds": {gate[0]}}])


def test_feature_cache_is_keyed_by_the_question_list(tmp_path: Path):
    calls = []

    def compute(tag: str):
        return lambda: calls.append(tag) or [{"id": tag}]

    path = tmp_path / "passages.pkl"
    assert cached(path, ["home", "q1", "q2"], compute("first")) == [{"id": "first"}]
    assert cached(path, ["home", "q1", "q2"], compute("again")) == [{"id": "first"}]
    assert cached(path, ["home", "q1"], compute("fewer")) == [{"id": "fewer"}]
    assert calls == ["first", "fewer"]


def test_the_real_fit_side_has_no_gate_document():
    questions = Path(__file__).resolve().parents[2] / "shared" / "swequad-dev" / "questions.jsonl"
    if not questions.is_file():
        pytest.skip("../shared/swequad-dev is not present")
    chosen = fit_questions(questions)
    # 1,138 questions: 315 on the gate side, and 7 fit-side twins of gate questions left out.
    assert len(chosen) == 816 and len({q["group"] for q in chosen}) == 373
    assert all(split_of(g) == "fit" for q in chosen for g in q["golds"])

"""Fitting the reranker: which candidates are positives, negatives, or left out of the pairs."""

from langchain_core.documents import Document

from assistant.domain import Candidate
from assistant.fit_models import _fit_pairwise, span_labels

ANSWER = "tre till sex månader"
WITH_SPAN = f"Det tar oftast {ANSWER} att få ett beslut."


def _cand(source: str, text: str) -> Candidate:
    return Candidate(Document(page_content=text, metadata={"source": source}))


def test_another_pages_copy_of_the_answer_is_in_no_pair():
    question = {"answer": [ANSWER]}
    cands = [
        _cand("gold.md", WITH_SPAN),
        _cand("gold.md", "Kontoret har öppet vardagar."),
        _cand("other.md", WITH_SPAN),  # the same paragraph on another page
        _cand("other.md", "Parkering finns vid entrén."),
    ]
    [item] = span_labels([question], [{"cands": cands, "labels": [True, True, False, False]}])
    assert item["labels"] == [True, False, None, False]


def test_a_candidate_left_out_is_not_a_negative():
    # The copy scores above the positive: as a negative it would turn the feature's weight around.
    rows = [{"x": 1.0}, {"x": 0.0}, {"x": 5.0}]
    assert _fit_pairwise([{"rows": rows, "labels": [True, False, None]}], ["x"]).coef[0] > 0
    assert _fit_pairwise([{"rows": rows, "labels": [True, False, False]}], ["x"]).coef[0] < 0

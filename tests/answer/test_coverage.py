"""What a question is about, held against what the passages and their titles name."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.answer.coverage import named_after, titled, untouched
from assistant.domain import Candidate
from assistant.retrieval.terms import TermWeights


def titled_passage(title: str) -> Candidate:
    return Candidate(Document(page_content="Parterna har kommit överens om en strategi.", metadata={"title": title}))


def test_a_question_is_about_a_document_titled_with_one_of_its_rarest_terms():
    # Chunk counts of a store of 1,000 chunks: "cop16" is rare, "värld" and "länd" are common.
    terms = TermWeights({"cop16": 3, "över": 2, "kom": 3, "värld": 200, "länd": 250}, 1000)
    question = "Vad kom världens länder överens om på COP16?"
    assert titled(question, [titled_passage("COP16 enades om vägen framåt för biologisk mångfald")], terms)
    # A title with the question's common words only says nothing of what it is about.
    assert not titled(question, [titled_passage("Världens länder samlas i Nairobi")], terms)


@pytest.mark.parametrize(
    ("term", "title", "expected"),
    [
        ("Myllrande våtmarker", "Myllrande våtmarker", True),
        ("cirkulär", "Cirkulär ekonomi - strategi för omställningen i Sverige", True),
        ("miljöövervakning", "Miljöövervakning följer tillståndet i miljön", True),
        # Naming the term somewhere is not being about it.
        ("cirkulär", "Uppdrag att främja information om hållbar konsumtion och cirkulär ekonomi", False),
        ("Myllrande våtmarker", "Myllrande skogar", False),
    ],
)
def test_a_title_is_named_after_a_term_it_opens_with(term, title, expected):
    assert named_after(term, title) is expected


def test_a_phrase_is_untouched_when_no_passage_and_few_chunks_mention_it():
    passages = [titled_passage("Miljööverenskommelsen 2022–2025")]
    terms = TermWeights({"solcell": 1, "strategi": 400}, 1000)
    assert untouched("solceller", passages, terms)
    assert not untouched("en strategi", passages, terms)  # the passage mentions it
    # Many chunks of the store mention it: the retrieval missed it, the documents do not lack it.
    assert not untouched("solceller", passages, TermWeights({"solcell": 40}, 1000))

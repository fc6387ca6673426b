"""Hybrid retrieval, fusion, diversity and filters on the sample corpus store."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.domain import Candidate, Filters
from assistant.retrieval.filters import parse_filter_args, to_where
from assistant.retrieval.hybrid import HybridRetriever, cap_per_document


def retriever(service, **kw) -> HybridRetriever:
    return HybridRetriever(store=service.store, **kw)


def test_fusion_combines_both_lists_with_weights(sample_service):
    query = "pollinering Hagfors"
    dense = retriever(sample_service, mode="dense").candidates(query)
    lexical = retriever(sample_service, mode="lexical").candidates(query)
    hybrid = retriever(sample_service, mode="hybrid").candidates(query)
    assert all(c.lexical is None for c in dense) and all(c.dense is None for c in lexical)
    top = hybrid[0]
    expected = 0.0
    for i, c in enumerate(dense):
        if c.doc.id == top.doc.id:
            expected += 1 / (60 + i + 1)
    for i, c in enumerate(lexical):
        if c.doc.id == top.doc.id:
            expected += 1 / (60 + i + 1)
    assert top.fused == pytest.approx(expected)
    lexical_only = retriever(sample_service, mode="hybrid", dense_weight=0.0).candidates(query)
    assert [c.doc.id for c in lexical_only[:3]] == [c.doc.id for c in lexical[:3]]


def test_langchain_retriever_interface_caps_per_document(sample_service):
    docs = retriever(sample_service, k=5, max_per_document=1).invoke("åtgärdsområden miljööverenskommelse")
    sources = [d.metadata["source"] for d in docs]
    assert len(docs) == 5 and len(set(sources)) == 5


def test_cap_per_document_keeps_order():
    cands = [Candidate(Document(page_content=str(i), metadata={"source": s}, id=str(i))) for i, s in enumerate("aabac")]
    assert [c.doc.id for c in cap_per_document(cands, 1, 5)] == ["0", "2", "4"]
    assert [c.doc.id for c in cap_per_document(cands, 2, 3)] == ["0", "1", "2"]


def test_filters_become_a_chroma_where_clause():
    assert to_where(Filters()) is None
    assert to_where(Filters(region=["Värmland"])) == {"region": {"$in": ["Värmland"]}}
    where = to_where(Filters(doc_type=["faktablad"], year_from=2020, examples_only=True))
    assert where == {
        "$and": [{"doc_type": {"$in": ["faktablad"]}}, {"year": {"$gte": 2020}}, {"is_example": True}]
    }


def test_filter_arguments_are_parsed_and_checked():
    f = parse_filter_args(["municipality=Hagfors,Säffle", "year_from=2020", "examples_only=ja"])
    assert f.municipality == ["Hagfors", "Säffle"] and f.year_from == 2020 and f.examples_only
    with pytest.raises(ValueError, match="Okänt filter"):
        parse_filter_args(["colour=blå"])
    with pytest.raises(ValueError, match="årtal"):
        parse_filter_args(["year_to=nyss"])


def test_keyword_query_finds_the_document_through_the_lexical_side(sample_service):
    hits = sample_service.search("hagfors pollinering vattenplanering", 3)
    assert hits[0].source == "hagfors-kommun.md"

"""The lexical index: a question's compound that no text writes as one word."""

from __future__ import annotations

from ingest.lexical import LexicalIndex, compound_parts

TEXTS = {
    "directive": "Utredaren ska se över undantaget från strandskyddet för de areella näringarna.",
    "exemptions": "Undantag från reglerna gäller för små företag.",
    "shore": "Strandskyddet gäller i regel 100 meter från strandlinjen.",
}


def index() -> LexicalIndex:
    return LexicalIndex.build(list(TEXTS), list(TEXTS.values()))


def test_a_compound_no_text_has_is_searched_for_by_its_parts():
    hits = index().search("Vad skulle utredningen om strandskyddsundantaget titta på?", k=3)
    assert [cid for cid, _ in hits][0] == "directive"
    assert {cid for cid, _ in hits} == set(TEXTS)


def test_only_a_split_into_two_known_stems_counts():
    vocabulary = {"strandskyddet", "undantag", "regl"}
    assert compound_parts("strandskyddsundantag", vocabulary) == ["strandskyddet", "undantag"]
    assert compound_parts("vattenundantag", vocabulary) == []  # "vatten" is unknown
    assert compound_parts("strandskyddsdispens", vocabulary) == []  # so is the head

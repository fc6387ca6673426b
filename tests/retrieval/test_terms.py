"""IDF-weighted coverage: a rare term of the question outweighs function words shared with headings."""

from assistant.retrieval.scoring import content_stems, coverage
from assistant.retrieval.terms import TermWeights


def test_a_heading_sharing_only_common_words_no_longer_covers_the_question():
    question = "Vad görs för att minska kadmium i maten?"
    stems = content_stems(question)
    heading, rare = "Vad görs för att nå målet?", "Kadmium i maten"
    # Document frequencies as in a corpus of 100 chunks where every objective page has the heading.
    df = {"minsk": 10} | {s: 40 for s in content_stems(heading)} | {s: 1 for s in content_stems(rare)}
    terms = TermWeights(df, 100)
    assert coverage(stems, heading) > 0
    assert terms.coverage(stems, heading) < 0.2 < terms.coverage(stems, rare)
    assert terms.rare_coverage(stems, rare) == 1.0 and terms.rare_coverage(stems, heading) == 0.0


def test_a_stem_no_chunk_holds_weighs_most():
    terms = TermWeights({"kommun": 50}, 100)
    assert terms.idf("okänd") > terms.idf("kommun") > 0


class _Ordered(frozenset):
    """A set of stems iterating in a given order, as a set of strings does under some hash seed."""

    def __new__(cls, items: list[str]):
        stems = super().__new__(cls, items)
        stems.order = items
        return stems

    def __iter__(self):
        return iter(self.order)


def test_the_rarest_stem_of_a_tie_does_not_depend_on_set_order():
    terms = TermWeights({}, 100)  # both stems unknown: the same IDF
    found = [terms.rare_coverage(_Ordered(order), {"alfa"}) for order in (["alfa", "beta"], ["beta", "alfa"])]
    assert found[0] == found[1]

"""IDF-weighted coverage: a rare term of the question outweighs function words shared with headings."""

from assistant.retrieval.scoring import content_stems, coverage
from assistant.retrieval.terms import TermWeights
from ingest.lexical import LexicalIndex, stems_key, tokenize


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


BOILERPLATE = "Varje år görs en årlig uppföljning av miljökvalitetsmålen, som lämnas till regeringen i mars."


def test_a_sentence_three_documents_share_is_common_and_survives_a_save(tmp_path):
    # Chunk ids start with their source's hash (ingest.chunk.chunk_id).
    ids = ["aaaa-0000-1", "aaaa-0001-2", "bbbb-0000-3", "cccc-0000-4"]
    texts = [
        f"Levande sjöar\n\nSjöar påverkas av vattenkraft. {BOILERPLATE}",
        f"Levande sjöar\n\n{BOILERPLATE}  Restaurering går långsamt.",  # the same document again (overlap)
        f"Ett rikt växt- och djurliv\n\n{BOILERPLATE}",
        "Frisk luft\n\nVägtrafik och vedeldning försämrar luften i tätorter.",
    ]
    index = LexicalIndex.build(ids, texts)
    assert index.common == set()  # twice in one document (chunk overlap) and once in another: 2 documents
    index = LexicalIndex.build([*ids, "dddd-0000-5"], [*texts, f"Frisk luft\n\n{BOILERPLATE}"])
    assert index.common == {stems_key(tokenize([BOILERPLATE])[0])}
    index.save(tmp_path / "index")
    loaded = LexicalIndex.load(tmp_path / "index")
    terms = TermWeights(*loaded.document_frequencies(), loaded.common)
    # Spacing and punctuation do not matter; the sentence each page says of itself is not common.
    assert terms.is_common(BOILERPLATE.replace(",", "").replace(" ", "  "))
    assert not terms.is_common("Sjöar påverkas av vattenkraft.")

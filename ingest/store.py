"""The chunk store: a Chroma collection (dense) and the lexical index built from it.

Chroma is the one source of truth: every chunk carries its document's content hash and chunk
count, so the set of stored documents, and whether each is complete, is read from Chroma itself.
That keeps several API workers, or machines sharing one Chroma server, consistent.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import uuid
from collections import defaultdict
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
        self._lexical_key: tuple[str, int] | None = None
        self._checked_at = 0.0
        self._filter_ids: dict[str, tuple[tuple[str, int] | None, set[str]]] = {}
        self._lock = threading.RLock()
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

    def documents(self) -> dict[str, StoredDocument]:
        rows = self._all(["metadatas"])
        grouped: dict[str, list[dict]] = defaultdict(list)
        for meta in rows["metadatas"]:
            grouped[meta["source"]].append(meta)
        docs = {}
        for source, metas in grouped.items():
            hashes = {m.get("doc_hash", "") for m in metas}
            first = min(metas, key=lambda m: m.get("chunk_index", 0))
            docs[source] = StoredDocument(
                source=source,
                doc_hash=hashes.pop() if len(hashes) == 1 else "",
                chunks=len(metas),
                expected_chunks=int(first.get("n_chunks", -1)),
                metadata={k: v for k, v in first.items() if k not in {"chunk_id", "chunk_index", "section", "page"}},
            )
        return docs

    def get(self, ids: list[str]) -> list[Document]:
        if not ids:
            return []
        rows = self._collection.get(ids=ids, include=["documents", "metadatas"])
        by_id = {
            i: Document(page_content=d, metadata=m, id=i)
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def chunks_of(self, source: str) -> list[Document]:
        rows = self._all(["documents", "metadatas"], where={"source": source})
        docs = [
            Document(page_content=d, metadata=m, id=i)
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
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
        res = self._collection.query(
            query_embeddings=[vector], n_results=k, where=where, include=["documents", "metadatas", "distances"]
        )
        return [
            (Document(page_content=d, metadata=m, id=i), 1.0 - float(dist))
            for i, d, m, dist in zip(
                res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=True
            )
        ]

    def lexical_search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        return self.lexical().search(query, k, allowed)

    # -- the lexical index, rebuilt from Chroma whenever another process changed the collection ----

    def _generation(self) -> str:
        meta = self._client.get_collection(self._name, embedding_function=None).metadata or {}
        return str(meta.get("generation", "0"))

    def lexical(self) -> LexicalIndex:
        with self._lock:
            now = time.monotonic()
            if self._lexical is not None and now - self._checked_at < 1.0:
                return self._lexical
            key = (self._generation(), self.count())
            self._checked_at = now
            if self._lexical is not None and key == self._lexical_key:
                return self._lexical
            path = self._lexical_dir / f"{self._name}-{key[0]}"
            index = None
            if path.is_dir():
                try:
                    index = LexicalIndex.load(path)
                except (OSError, ValueError):
                    index = None
            if index is None or len(index) != key[1]:
                rows = self._all(["documents", "metadatas"])
                texts = [
                    embedding_text(Document(page_content=d, metadata=m))
                    for d, m in zip(rows["documents"], rows["metadatas"], strict=True)
                ]
                index = LexicalIndex.build(rows["ids"], texts)
                index.save(path)
                for old in self._lexical_dir.glob(f"{self._name}-*"):
                    if old != path:
                        shutil.rmtree(old, ignore_errors=True)
            self._lexical, self._lexical_key = index, key
            return index

    # -- writing -------------------------------------------------------------------------------

    def _bump(self) -> None:
        self._collection.modify(
            metadata={"embedding_id": self.embeddings.model_id, "generation": uuid.uuid4().hex[:12]}
        )
        with self._lock:
            self._checked_at = 0.0

    def replace_documents(self, batch: list[tuple[str, list[Document]]]) -> None:
        """Store documents' new chunks, then drop their old ones, in one write each (Chroma commits
        every call). A kill in between leaves a document marked incomplete (mixed hashes), and the
        next run replaces it again."""
        chunks = [c for _, doc_chunks in batch for c in doc_chunks]
        if not batch:
            return
        vectors = self.embeddings.embed_documents([embedding_text(c) for c in chunks])
        new_ids = {c.metadata["chunk_id"] for c in chunks}
        old_ids = self.ids_where({"source": {"$in": [source for source, _ in batch]}})
        if chunks:
            self._collection.upsert(
                ids=[c.metadata["chunk_id"] for c in chunks],
                embeddings=vectors,
                documents=[c.page_content for c in chunks],
                metadatas=[c.metadata for c in chunks],
            )
        stale = sorted(old_ids - new_ids)
        if stale:
            self._collection.delete(ids=stale)
        self._bump()

    def replace_document(self, source: str, chunks: list[Document]) -> None:
        self.replace_documents([(source, chunks)])

    def delete_document(self, source: str) -> int:
        ids = sorted(self.ids_where({"source": source}))
        if ids:
            self._collection.delete(ids=ids)
            self._bump()
        return len(ids)


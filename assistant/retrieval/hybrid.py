"""Hybrid retrieval: dense (Chroma) and lexical (Swedish BM25) fused by weighted reciprocal rank."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.domain import Candidate, Filters
from assistant.retrieval.filters import to_where
from ingest.store import ChunkStore


def cap_per_document(candidates: list[Candidate], cap: int, k: int) -> list[Candidate]:
    """Best-first, at most `cap` passages from one document, so an answer can draw on several."""
    taken: dict[str, int] = {}
    out = []
    for cand in candidates:
        if taken.get(cand.source, 0) >= cap:
            continue
        taken[cand.source] = taken.get(cand.source, 0) + 1
        out.append(cand)
        if len(out) == k:
            break
    return out


class HybridRetriever(BaseRetriever):
    """A LangChain retriever; `candidates()` exposes the scored candidates to the rest of the chain."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChunkStore
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    fetch: int = 40
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60
    k: int = 5
    max_per_document: int = 2

    def candidates(self, query: str, filters: Filters | None = None) -> list[Candidate]:
        with self.store.pinned():  # one version of every document across the reads below
            return self._candidates(query, filters)

    def _candidates(self, query: str, filters: Filters | None) -> list[Candidate]:
        where = to_where(filters or Filters())
        by_id: dict[str, Candidate] = {}
        if self.mode in ("hybrid", "dense"):
            for rank, (doc, cosine) in enumerate(self.store.dense_search(query, self.fetch, where)):
                cand = by_id.setdefault(doc.id, Candidate(doc))
                cand.dense = cosine
                cand.fused += self.dense_weight / (self.rrf_k + rank + 1)
        if self.mode in ("hybrid", "lexical"):
            allowed = self.store.filter_ids(where) if where else None
            lexical = self.store.lexical_search(query, self.fetch, allowed)
            missing = [cid for cid, _ in lexical if cid not in by_id]
            docs = {d.id: d for d in self.store.get(missing)}
            for rank, (cid, bm25) in enumerate(lexical):
                if cid not in by_id and cid not in docs:
                    continue  # deleted since the lexical index was built
                cand = by_id.setdefault(cid, Candidate(docs.get(cid)))
                cand.lexical = bm25
                cand.fused += self.lexical_weight / (self.rrf_k + rank + 1)
        ranked = sorted(by_id.values(), key=lambda c: c.fused, reverse=True)
        for cand in ranked:
            cand.score = cand.fused
        return ranked

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        picked = cap_per_document(self.candidates(query, kwargs.get("filters")), self.max_per_document, self.k)
        return [c.doc for c in picked]

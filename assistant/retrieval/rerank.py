"""Second-pass rerankers over the fused candidates.

`FeatureReranker` (the default) needs nothing beyond what ships: the passage's dense similarity,
the best sentence-level similarity and the query's lexical coverage. `CrossEncoderReranker` uses a
sentence-transformers CrossEncoder from a local folder when one is configured.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from assistant.domain import Candidate
from assistant.retrieval.scoring import DenseScorer, content_stems, cosines, coverage
from ingest.chunk import embedding_text


def fill_dense(candidates: list[Candidate], scorer: DenseScorer, query_vec: np.ndarray) -> None:
    """Passage cosine for candidates that only the lexical index found (their passage vectors are
    in the embedding cache since ingest, so this costs no model call)."""
    missing = [c for c in candidates if c.dense is None]
    if not missing:
        return
    sims = cosines(scorer.embeddings.embed_documents([embedding_text(c.doc) for c in missing]), query_vec)
    for cand, sim in zip(missing, sims, strict=True):
        cand.dense = float(sim)


class Reranker(Protocol):
    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]: ...


class NoReranker:
    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]:
        return candidates


class FeatureReranker:
    """score = w_dense·passage cosine + w_cov·query coverage + w_rank·fused (normalised)
    + w_title·title coverage + w_section·section-heading coverage.

    The depth and weights come from Settings (rerank_depth, rerank_weights), where their origin is recorded.
    """

    def __init__(self, scorer: DenseScorer, depth: int, weights: tuple[float, float, float, float, float]) -> None:
        self.scorer = scorer
        self.depth = depth
        self.weights = weights

    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]:
        head, tail = candidates[: self.depth], candidates[self.depth :]
        if not head:
            return candidates
        fill_dense(head, self.scorer, self.scorer.query_vector(query))
        stems = content_stems(query)
        top_fused = max(c.fused for c in head) or 1.0
        w_dense, w_cov, w_rank, w_title, w_section = self.weights
        for cand in head:
            cand.score = (
                w_dense * (cand.dense or 0.0)
                + w_cov * coverage(stems, embedding_text(cand.doc))
                + w_rank * cand.fused / top_fused
                + w_title * coverage(stems, cand.doc.metadata.get("title", ""))
                + w_section * coverage(stems, cand.doc.metadata.get("section", ""))
            )
        return _below(head, tail)


class CrossEncoderReranker:
    def __init__(self, model_path: str, depth: int) -> None:
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(model_path, device="cpu")
        self.depth = depth

    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]:
        head, tail = candidates[: self.depth], candidates[self.depth :]
        if not head:
            return candidates
        scores = self.model.predict([(query, c.doc.page_content) for c in head])
        for cand, score in zip(head, scores, strict=True):
            cand.score = float(score)
        return _below(head, tail)


def _below(head: list[Candidate], tail: list[Candidate]) -> list[Candidate]:
    """The reranked head, best first, then the unscored tail kept below it."""
    floor = min(c.score for c in head)
    for cand in tail:
        cand.score = floor - 1.0
    return sorted(head, key=lambda c: c.score, reverse=True) + tail

"""Second-pass rerankers over the fused candidates.

`FeatureReranker` (the default) needs nothing beyond what ships: the passage's dense similarity,
the best sentence-level similarity and the query's lexical coverage. `CrossEncoderReranker` uses a
sentence-transformers CrossEncoder from a local folder when one is configured.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from assistant.answer.units import UnitScorer, split_units
from assistant.retrieval.hybrid import Candidate
from assistant.retrieval.text import content_stems, coverage
from ingest.chunk import embedding_text


def fill_dense(candidates: list[Candidate], scorer: UnitScorer, query_vec: np.ndarray) -> None:
    """Passage cosine for candidates that only the lexical index found (their passage vectors are
    in the embedding cache since ingest, so this costs no model call)."""
    missing = [c for c in candidates if c.dense is None]
    if not missing:
        return
    vectors = np.asarray(scorer.embeddings.embed_documents([embedding_text(c.doc) for c in missing]), dtype=np.float32)
    sims = vectors @ query_vec / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query_vec) + 1e-9)
    for cand, sim in zip(missing, sims, strict=True):
        cand.dense = float(sim)


class Reranker(Protocol):
    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]: ...


class NoReranker:
    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]:
        return candidates


class FeatureReranker:
    """score = w_dense·passage cosine + w_unit·best unit score + w_cov·coverage + w_rank·fused (normalised)."""

    def __init__(
        self,
        scorer: UnitScorer,
        depth: int = 20,
        weights: tuple[float, float, float, float] = (1.0, 1.0, 0.5, 0.5),
    ) -> None:
        self.scorer = scorer
        self.depth = depth
        self.weights = weights

    def rerank(self, query: str, candidates: list[Candidate]) -> list[Candidate]:
        head, tail = candidates[: self.depth], candidates[self.depth :]
        if not head:
            return candidates
        query_vec = self.scorer.query_vector(query)
        fill_dense(head, self.scorer, query_vec)
        stems = content_stems(query)
        top_fused = max(c.fused for c in head) or 1.0
        w_dense, w_unit, w_cov, w_rank = self.weights
        for cand in head:
            units = [u for u in split_units(cand.doc.page_content) if u.kind != "heading"]
            best_unit = max(self.scorer.score(query, query_vec, units), default=0.0)
            cand.score = (
                w_dense * (cand.dense or 0.0)
                + w_unit * best_unit
                + w_cov * coverage(stems, embedding_text(cand.doc))
                + w_rank * cand.fused / top_fused
            )
        floor = min(c.score for c in head)
        for cand in tail:
            cand.score = floor - 1.0  # unscored candidates stay below the reranked head
        return sorted(head, key=lambda c: c.score, reverse=True) + tail


class CrossEncoderReranker:
    def __init__(self, model_path: str, depth: int = 20) -> None:
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
        floor = min(c.score for c in head)
        for cand in tail:
            cand.score = floor - 1.0
        return sorted(head, key=lambda c: c.score, reverse=True) + tail

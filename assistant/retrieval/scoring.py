"""Scoring shared by reranking, answer composition and refusal: Swedish content stems and
coverage (lexical), and cosine similarity to the query vector (dense)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ingest.embeddings import NamedEmbeddings
from ingest.lexical import tokenize


@lru_cache(maxsize=20_000)
def content_stems(text: str) -> frozenset[str]:
    """Stemmed, stop-word-free tokens (the same analysis as the BM25 index). Cached: an answer
    analyses ~100 passage and unit texts, mostly the same ones again, and each bm25s call costs
    ~0.5 ms of fixed overhead (bench/README.md)."""
    return frozenset(tokenize([text])[0])


def coverage(query_stems: set[str], text: str) -> float:
    """Share of the query's content stems that occur in the text (prefix match for compounds,
    e.g. "laddinfrastruktur" ~ "laddbara" / "infrastruktur")."""
    if not query_stems:
        return 0.0
    stems = content_stems(text)
    hits = 0.0
    for q in query_stems:
        if q in stems:
            hits += 1.0
        elif len(q) >= 6 and any(s.startswith(q[:5]) or q.startswith(s) and len(s) >= 5 for s in stems):
            hits += 0.5
    return hits / len(query_stems)


def cosines(vectors: list[list[float]], query_vec: np.ndarray) -> np.ndarray:
    """Cosine similarity of each vector to the query vector."""
    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix @ query_vec / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query_vec) + 1e-9)


class DenseScorer:
    """The embedder that queries and passages are compared with, by cosine."""

    def __init__(self, embeddings: NamedEmbeddings) -> None:
        self.embeddings = embeddings

    def query_vector(self, question: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(question), dtype=np.float32)

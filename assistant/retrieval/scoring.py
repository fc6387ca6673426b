"""Scoring shared by reranking, answer composition and refusal: Swedish content stems and
coverage (lexical), phrase overlap (word order), and cosine similarity to the query vector (dense)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import numpy as np

from ingest.embeddings import NamedEmbeddings
from ingest.lexical import tokenize
from ingest.swedish import words


@lru_cache(maxsize=20_000)
def content_stems(text: str) -> frozenset[str]:
    """Stemmed, stop-word-free tokens (the same analysis as the BM25 index). Cached: an answer
    analyses ~100 passage and unit texts, mostly the same ones again, and each bm25s call costs
    ~0.5 ms of fixed overhead (bench/README.md)."""
    return frozenset(stem_sequence(text))


@lru_cache(maxsize=20_000)
def stem_sequence(text: str) -> tuple[str, ...]:
    """The content stems in the order they occur (for stem pairs)."""
    return tuple(tokenize([text])[0])


@lru_cache(maxsize=20_000)
def _words(text: str) -> tuple[str, ...]:
    """Casefolded words, function words included: a question that copies a phrase copies them too."""
    return tuple(words(text))


def _ngrams(seq: tuple[str, ...], n: int) -> set[tuple[str, ...]]:
    return set(zip(*(seq[i:] for i in range(n)), strict=False))


def stem_pair_overlap(query: str, text: str) -> float:
    """Share of the query's adjacent content-stem pairs that are adjacent in the text too."""
    pairs = _ngrams(stem_sequence(query), 2)
    return len(pairs & _ngrams(stem_sequence(text), 2)) / len(pairs) if pairs else 0.0


def trigram_overlap(query: str, text: str) -> float:
    """Share of the query's word trigrams (function words included) found in the text."""
    grams = _ngrams(_words(query), 3)
    return len(grams & _ngrams(_words(text), 3)) / len(grams) if grams else 0.0


def longest_run(query: str, text: str, cap: int = 8) -> float:
    """The longest run of the query's words that the text has verbatim, in words up to `cap`, over
    `cap`: SweQUAD's writers, like users, often copy the words of the sentence that answers."""
    q, t = _words(query), _words(text)
    where: dict[str, list[int]] = defaultdict(list)
    for j, w in enumerate(t):
        where[w].append(j)
    best = 0
    for i, w in enumerate(q):
        for j in where.get(w, ()):
            k = 1
            while k < cap and i + k < len(q) and j + k < len(t) and q[i + k] == t[j + k]:
                k += 1
            best = max(best, k)
    return best / cap


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

    def unit_texts(self, text: str) -> list[str]:
        """The texts of a passage's answer units as embedded at ingest; none at this layer (the
        answer layer's scorer knows how a passage splits into units)."""
        return []

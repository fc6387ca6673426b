"""Lexical features shared by reranking, answer composition and refusal: Swedish content stems."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.lexical import tokenize

_WORD = re.compile(r"\w+", re.UNICODE)


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


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())

"""IDF-weighted term coverage: a rare term of the question counts more than a common one.

Plain coverage lets function words in headings ("Vad görs för att nå målet?") steer the ranking;
weighting each stem by its inverse document frequency in the store makes "görs" nearly worthless
where it is common and a rare name or technical term decisive.
"""

from __future__ import annotations

import math

from assistant.retrieval.scoring import content_stems
from ingest.lexical import LexicalIndex, stems_key
from ingest.store import ChunkStore


class TermWeights:
    def __init__(self, document_frequencies: dict[str, int], documents: int, common: set[str] | None = None) -> None:
        self.df = document_frequencies
        self.n = max(documents, 1)
        self.unknown = self._idf(0)  # a stem no chunk holds is as rare as it gets
        self.common = common or set()  # keys of sentences many documents share (`ingest.lexical`)

    def is_common(self, sentence: str) -> bool:
        """The sentence is the sources' boilerplate: many documents of the store say it."""
        return bool(self.common) and stems_key(content_stems(sentence)) in self.common  # stems cached

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def idf(self, stem: str) -> float:
        df = self.df.get(stem)
        return self.unknown if df is None else self._idf(df)

    def coverage(self, query_stems: set[str], text: str | set[str]) -> float:
        """IDF-weighted share of the query's stems found in the text (half credit for a compound
        match on a shared prefix, as in `text.coverage`)."""
        if not query_stems:
            return 0.0
        stems = content_stems(text) if isinstance(text, str) else text
        total = hit = 0.0
        for q in query_stems:
            w = self.idf(q)
            total += w
            if q in stems:
                hit += w
            elif len(q) >= 6 and any(s.startswith(q[:5]) or q.startswith(s) and len(s) >= 5 for s in stems):
                hit += 0.5 * w
        return hit / total if total else 0.0

    def rare_coverage(self, query_stems: set[str], text: str | set[str]) -> float:
        """Coverage of the question's rarest stem alone: 1 if found, else 0 (0.5 for a compound match)."""
        if not query_stems:
            return 0.0
        rarest = max(sorted(query_stems), key=self.idf)  # sorted: a tie goes the same way in every process
        return self.coverage({rarest}, text)


class StoreTerms:
    """Term weights of a store, recomputed whenever its lexical index is rebuilt (after an ingest)."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self._index: LexicalIndex | None = None
        self._weights = TermWeights({}, 0)

    def current(self) -> TermWeights:
        index = self.store.lexical()
        if index is not self._index:
            self._index, self._weights = index, TermWeights(*index.document_frequencies(), index.common)
        return self._weights

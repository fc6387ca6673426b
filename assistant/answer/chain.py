"""The answer chain (LCEL): check → rewrite → retrieve → rerank → compose → cite, or refuse.

It works with no LLM at all; an LLM endpoint, when configured, rewrites follow-up questions, and with
answer_mode=generative writes the answer, verified sentence by sentence (answer/generative.py).
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer.compose import Composer
from assistant.answer.coverage import REFUSAL_MODEL, evidence_features, uncovered_words
from assistant.answer.generative import GenerativeStage, pieces
from assistant.answer.guard import clean_question, refusal_reason, unmatched_names
from assistant.answer.intent import intent, task_topic
from assistant.answer.rewrite import LLMRewriter, Rewriter, RuleRewriter
from assistant.answer.types import Answer, Filters, Hit
from assistant.answer.units import UnitScorer
from assistant.retrieval.hybrid import Candidate, HybridRetriever, cap_per_document
from assistant.retrieval.linear import LinearModel
from assistant.retrieval.rerank import (
    HAND_SET,
    RERANK_MODEL,
    CrossEncoderReranker,
    FeatureReranker,
    NoReranker,
    Reranker,
    fill_dense,
)
from assistant.retrieval.terms import StoreTerms
from assistant.settings import Settings
from ingest.store import ChunkStore

REFUSAL = "Jag hittar inget stöd för det i de inlästa dokumenten."
EMPTY_STORE = "Inga dokument är inlästa ännu. Läs in dokument med `kommunstod ingest MAPP` eller under fliken Dokument."
_REFUSAL_NOTES = {
    "instruktion": "Jag svarar bara på frågor utifrån de inlästa dokumenten och följer inga andra instruktioner.",
    "språk": "Jag svarar på svenska utifrån svenska dokument. Ställ gärna frågan på svenska.",
}
TASK_NOTE = "Jag kan bara citera ur dokumenten, inte skriva texter själv; här är underlaget som finns."


class AnswerChain:
    def __init__(
        self,
        store: ChunkStore,
        retriever: HybridRetriever,
        reranker: Reranker,
        composer: Composer,
        scorer: UnitScorer,
        rewriter: Rewriter,
        refusal_threshold: float,
    ) -> None:
        self.store = store
        self.retriever = retriever
        self.reranker = reranker
        self.composer = composer
        self.scorer = scorer
        self.rewriter = rewriter
        self.refusal_model = LinearModel.load(REFUSAL_MODEL)
        self.passage_model = LinearModel.load(RERANK_MODEL)
        self.refusal_threshold = refusal_threshold
        self.generative: GenerativeStage | None = None  # answer_mode=generative
        self.runnable: Runnable = (
            RunnableLambda(self._check)
            | RunnableLambda(self._rewrite)
            | RunnableLambda(self._retrieve)
            | RunnableLambda(self._compose)
        )

    @classmethod
    def from_settings(cls, settings: Settings, store: ChunkStore) -> AnswerChain:
        scorer = UnitScorer(store.embeddings)
        terms = StoreTerms(store)
        reranker: Reranker
        if settings.rerank == "cross-encoder":
            if not settings.cross_encoder_model:
                raise ValueError("rerank=cross-encoder needs KOMMUNSTOD_CROSS_ENCODER_MODEL (a local model folder)")
            reranker = CrossEncoderReranker(settings.cross_encoder_model)
        elif settings.rerank == "features":
            reranker = FeatureReranker(scorer, terms, model=HAND_SET)
        elif settings.rerank == "fitted":
            reranker = FeatureReranker(scorer, terms)
        else:
            reranker = NoReranker()
        rewriter: Rewriter = RuleRewriter()
        if settings.llm_base_url:
            rewriter = LLMRewriter(
                settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout
            )
        retriever = HybridRetriever(
            store=store,
            mode=settings.retrieval,
            fetch=settings.candidates,
            dense_weight=settings.dense_weight,
            lexical_weight=settings.lexical_weight,
            rrf_k=settings.rrf_k,
            k=settings.top_k,
            max_per_document=settings.max_per_document,
        )
        chain = cls(
            store,
            retriever,
            reranker,
            Composer(scorer, terms, settings.answer_selection),
            scorer,
            rewriter,
            settings.refusal_threshold,
        )
        if settings.answer_mode == "generative":
            chain.generative = GenerativeStage.from_settings(settings, store.embeddings)
        return chain

    # -- stages (each takes and returns the state dict) ------------------------------------------

    def _check(self, state: dict[str, Any]) -> dict[str, Any]:
        state["question"] = clean_question(state["question"])
        state["refuse"] = refusal_reason(state["question"])
        return state

    def _rewrite(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        state["standalone"] = state["question"]
        if state["history"] and not state["refuse"]:
            state["standalone"] = self.rewriter.rewrite(state["question"], state["history"])
        state["timings"]["rewrite"] = _ms(started)
        return state

    def _ranked(self, query: str, filters: Filters) -> list[Candidate]:
        return self.reranker.rerank(query, self.retriever.candidates(query, filters))

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        # A task ("Skriv ett utkast om …") is searched for, and judged on, what it is about.
        state["topic"] = (
            task_topic(state["standalone"]) if intent(state["standalone"]) == "task" else state["standalone"]
        )
        state["candidates"] = [] if state["refuse"] else self._ranked(state["topic"], state["filters"])
        state["passages"] = cap_per_document(state["candidates"], self.retriever.max_per_document, self.retriever.k)
        state["timings"]["retrieve"] = _ms(started)
        return state

    def _compose(self, state: dict[str, Any]) -> Answer:
        started = time.perf_counter()
        passages: list[Candidate] = state["passages"]
        retrieved = [Hit.from_document(c.doc, c.score) for c in passages]
        answer = Answer("", True, [], retrieved, state["timings"], standalone_question=state["standalone"])
        if state["refuse"]:
            answer.answer = f"{REFUSAL} {_REFUSAL_NOTES[state['refuse']]}"
        elif not passages:
            answer.answer = REFUSAL if self.store.count() else EMPTY_STORE
        else:
            question = state["standalone"]
            query_vec = self.scorer.query_vector(question)
            fill_dense(passages, self.scorer, query_vec)
            terms = self.composer.terms.current()
            composition = self.composer.compose(question, query_vec, passages)
            topic = state["topic"]
            answer.evidence = self.refusal_model.probability(
                evidence_features(topic, passages, terms, self.passage_model)
            )
            covered = "\n".join(f"{h.title}\n{h.section or ''}\n{h.text}" for h in retrieved)
            similar = similarity_evidence(composition.best, max(c.dense or 0.0 for c in passages[:3]))
            grounded = (
                answer.evidence >= self.refusal_threshold
                and (self.composer.selection == "fitted" or similar >= SIMILARITY_THRESHOLD)
                and not unmatched_names(question, covered)
            )
            if composition.citations and grounded:
                missing = uncovered_words(topic, passages, terms)
                if composition.kind == "task":
                    composition.notes.insert(0, TASK_NOTE)
                elif missing:
                    composition.notes.append(f"Dokumenten säger inget om {_joined(missing)}.")
                answer.answer, answer.refused, answer.citations = composition.text, False, composition.citations
            else:
                answer.suggestions = _distinct_documents(passages, 3)
                names = "; ".join(h.title for h in answer.suggestions)
                answer.answer = f"{REFUSAL} Närmast ligger: {names}." if names else REFUSAL
        state["timings"]["answer"] = _ms(started)
        return answer

    # -- public --------------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict[str, str]], filters: Filters) -> Answer:
        if self.generative is not None:
            events = self._generate(question, history, filters)
            while True:
                try:
                    next(events)
                except StopIteration as done:
                    return done.value
        return self.runnable.invoke({"question": question, "history": history, "filters": filters, "timings": {}})

    def stream(self, question: str, history: list[dict[str, str]], filters: Filters) -> Iterator[dict[str, Any]]:
        """Token events, then the citations, then the whole answer. Generative mode streams the
        model's verified sentences as they come (and may send `replace`); the extractive answer is
        composed whole and then delivered in pieces."""
        if self.generative is not None:
            answer = yield from self._generate(question, history, filters)
        else:
            answer = self.ask(question, history, filters)
            yield from pieces(answer.answer)
        yield {"type": "citations", "citations": [c.to_json() for c in answer.citations]}
        yield {"type": "done", "answer": answer.to_json()}

    def _generate(
        self, question: str, history: list[dict[str, str]], filters: Filters
    ) -> Generator[dict[str, Any], None, Answer]:
        """The generative stage after retrieval, with the extractive answer as its fallback."""
        state = {"question": question, "history": history, "filters": filters, "timings": {}}
        state = self._retrieve(self._rewrite(self._check(state)))
        return (yield from self.generative.run(state, self._compose(state)))

    def search(self, query: str, k: int, filters: Filters) -> list[Hit]:
        ranked = self._ranked(clean_question(query), filters)
        return [Hit.from_document(c.doc, c.score) for c in ranked[:k]]


SIMILARITY_THRESHOLD = 0.825  # calibrated on evals/sets/shared_dev.yaml (session 1)


def similarity_evidence(best_unit: float, best_passage: float) -> float:
    """The earlier evidence, kept beside the fitted one: how similar the best unit and passages are to
    the question. It separates off-topic questions well; the fitted model adds term coverage."""
    return 0.2 * best_unit + 0.8 * best_passage


def _joined(words: list[str]) -> str:
    quoted = [f"”{w}”" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _distinct_documents(passages: list[Candidate], n: int) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for cand in passages:
        seen.setdefault(cand.source, Hit.from_document(cand.doc, cand.score))
    return list(seen.values())[:n]


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)

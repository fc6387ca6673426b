"""The answer chain: check → rewrite → retrieve → rerank → compose → cite, or refuse.

Plain Python stages over one typed Turn: no stage is a LangChain model call except the optional
generative one, which streams through its own chat model, so a Runnable pipeline would add nothing
but indirection. It works with no LLM at all; an LLM endpoint, when configured, rewrites follow-up
questions, and with answer_mode=generative writes the answer, verified sentence by sentence
(answer/generative.py).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.answer.compose import Composer, Composition, opens_a_sentence
from assistant.answer.coverage import (
    REFUSAL_MODEL,
    evidence_features,
    focus_stems,
    named_after,
    names_title,
    title_share,
    titled,
    uncovered_words,
    unmentioned,
)
from assistant.answer.detail import asked_detail, gives_detail, lies_on, named_page
from assistant.answer.generative import GenerativeStage, pieces
from assistant.answer.guard import clean_question, named_places, refusal_reason, unmatched_names
from assistant.answer.intent import (
    asked_part,
    asked_topic,
    asks_more_than_one,
    compared,
    compared_sides,
    defined_term,
    each_question,
    event_year,
    first_ask,
    for_each_name,
    intent,
    later_asks,
    task_focus,
    task_topic,
    told_asks,
)
from assistant.answer.rewrite import Rewriter
from assistant.answer.units import titled_units
from assistant.domain import Answer, Candidate, Filters, Hit
from assistant.retrieval.hybrid import HybridRetriever, cap_per_document
from assistant.retrieval.linear import LinearModel
from assistant.retrieval.rerank import RERANK_MODEL, Reranker, fill_dense
from assistant.retrieval.scoring import content_stems
from ingest.store import ChunkStore
from ingest.swedish import YEAR

REFUSAL = "Jag hittar inget stöd för det i de inlästa dokumenten."
EMPTY_STORE = "Inga dokument är inlästa ännu. Läs in dokument med `kommunstod ingest MAPP` eller under fliken Dokument."
_REFUSAL_NOTES = {
    "instruktion": "Jag svarar bara på frågor utifrån de inlästa dokumenten och följer inga andra instruktioner.",
    "språk": "Jag svarar på svenska utifrån svenska dokument. Ställ gärna frågan på svenska.",
}
TASK_NOTE = "Jag kan bara citera ur dokumenten, inte skriva texter själv; här är underlaget som finns."
# The passages searched for what each compared thing is, for one under a heading named for it.
_EACH_RANKED = 8
# At most this many other municipalities' examples join the passages of a question for lärande exempel.
_MORE_EXAMPLES = 3


@dataclass
class Turn:
    """One question on its way through the stages; each stage fills in its part."""

    question: str
    history: list[dict[str, str]]
    filters: Filters
    timings: dict[str, float] = field(default_factory=dict)
    refuse: str | None = None  # why the question is refused before any search
    standalone: str = ""  # the question rewritten to stand without the conversation
    topic: str = ""  # what is searched for: the standalone question, or a task's subject
    passages: list[Candidate] = field(default_factory=list)
    context: list[Candidate] = field(default_factory=list)  # more of the best passage's document, to quote


class AnswerChain:
    def __init__(
        self,
        store: ChunkStore,
        retriever: HybridRetriever,
        reranker: Reranker,
        composer: Composer,
        rewriter: Rewriter,
        refusal_threshold: float,
        similarity_threshold: float,
        evidence_unit_weight: float,
        generative: GenerativeStage | None = None,
        document_context: int = 0,
    ) -> None:
        self.store = store
        self.retriever = retriever
        self.reranker = reranker
        self.composer = composer
        self.scorer = composer.scorer
        self.rewriter = rewriter
        self.refusal_model = LinearModel.load(REFUSAL_MODEL)
        self.passage_model = LinearModel.load(RERANK_MODEL)
        self.refusal_threshold = refusal_threshold
        self.similarity_threshold = similarity_threshold
        self.evidence_unit_weight = evidence_unit_weight
        self.generative = generative  # answer_mode=generative: the LLM writes, verified
        self.document_context = document_context  # chunks of the best document added to quote from

    # -- stages (each fills in its part of the turn) ---------------------------------------------

    def _check(self, turn: Turn) -> None:
        turn.question = clean_question(turn.question)
        turn.refuse = refusal_reason(turn.question)

    def _rewrite(self, turn: Turn) -> None:
        started = time.perf_counter()
        turn.standalone = turn.question
        if turn.history and not turn.refuse:
            turn.standalone = self.rewriter.rewrite(turn.question, turn.history)
        turn.timings["rewrite"] = _ms(started)

    def _ranked(self, query: str, filters: Filters) -> list[Candidate]:
        return self.reranker.rerank(query, self.retriever.candidates(query, filters))

    def _retrieve(self, turn: Turn) -> None:
        started = time.perf_counter()
        # A task ("Skriv ett utkast om …") is searched for, and judged on, what it is about.
        turn.topic = task_topic(turn.standalone) if intent(turn.standalone) == "task" else turn.standalone
        candidates = [] if turn.refuse else self._ranked(turn.topic, turn.filters)
        if (year := event_year(turn.topic)) is not None:  # a text older than the event cannot report it
            candidates = [c for c in candidates if int(c.doc.metadata.get("year") or year) >= year] or candidates
        turn.passages = _named_first(
            candidates, cap_per_document(candidates, self.retriever.max_per_document, self.retriever.k), turn.topic
        )
        kind = intent(turn.topic)
        if kind == "definition":
            turn.passages = self._with_opening(turn.passages, defined_term(turn.topic))
        if (pair := compared(turn.topic)) is not None:
            turn.passages = self._with_each(turn.passages, pair, turn.filters)
        # Each side of a comparison, or each question of several, dated by a year no passage has
        # ("… det som riksdagen beslutade 2017? Och vad föreslog beredningen 2025?") is searched for alone.
        if sides := compared_sides(turn.topic) or each_question(turn.topic):
            turn.passages = self._with_each_dated(turn.passages, sides, turn.filters)
        if sides := compared_sides(turn.topic):
            turn.passages = self._with_each_titled(turn.passages, sides, turn.filters)
        if (page := named_page(turn.topic)) is not None:
            turn.passages = self._on_page(turn.passages, page)
        turn.passages = self._with_each_named(turn.passages, turn.topic, turn.filters)
        if kind == "examples":
            turn.passages = self._with_examples(turn.passages, turn.topic, turn.filters)
        turn.context = self._document_context(turn.passages)
        if kind == "steps":
            turn.context += self._continuations(turn.passages, turn.context)
        turn.timings["retrieve"] = _ms(started)

    def _with_each(self, passages: list[Candidate], pair: tuple[str, str], filters: Filters) -> list[Candidate]:
        """ "Vad är skillnaden mellan preciseringar och etappmål?" is answered by what each is, which
        the passages naming both seldom say: the best passage on each ("Vad är etappmål?") is added."""
        out = list(passages)
        for term in pair:
            ranked = self._ranked(f"Vad är {term}?", filters)[:_EACH_RANKED]
            # The first with a sentence opening with it under a heading named after it ("Etappmålen"),
            # else the first of the best five with a sentence opening with it.
            opening = [(i, c) for i, c in enumerate(ranked) if opens_a_sentence(term, c.doc.page_content)]
            headed = [c for _, c in opening if named_after(term, str(c.doc.metadata.get("section") or ""))]
            best = next(iter(headed + [c for i, c in opening if i < 5]), None)
            if best is not None and best.doc.id not in {c.doc.id for c in out}:
                out.append(best)
        return out

    def _with_each_dated(self, passages: list[Candidate], sides: Sequence[str], filters: Filters) -> list[Candidate]:
        """ "Hur skilde sig uppdraget till delegationen 2016 från det till samordnaren 2020?": a side
        dated by a year no passage has is searched for alone, and its best passage with that year joins."""
        out = list(passages)
        for side in sides:
            missing = set(YEAR.findall(side)).difference(*map(_years_of, out))
            if not missing:
                continue
            best = next((c for c in self._ranked(side, filters)[:5] if missing & _years_of(c)), None)
            if best is not None:
                out.append(best)
        return out

    def _with_each_titled(self, passages: list[Candidate], sides: Sequence[str], filters: Filters) -> list[Candidate]:
        """ "Jämför etappmålet i det klimatpolitiska ramverket med det beredningen föreslog 2025": a side
        naming most of a document's title, among the best k for the side alone, brings that
        document's passage, which the whole question may rank below the other side's."""
        out = list(passages)
        for side in sides:
            have = {c.source for c in out}
            out += [
                c
                for c in self._ranked(side, filters)[: self.retriever.k]
                if c.source not in have and title_share(side, str(c.doc.metadata.get("title", ""))) >= 0.5
            ][:1]
        return out

    def _with_each_named(self, passages: list[Candidate], question: str, filters: Filters) -> list[Candidate]:
        """ "Vilka åtgärdsområden har både Hagfors och Säffle valt?" is answered for each: the passages
        of a document named after each (in its title) among the best three for the question asked of it
        alone join the passages."""
        out = list(passages)
        for name, alone in for_each_name(question).items():
            stems, have = content_stems(name), {c.doc.id for c in out}
            ranked = self._ranked(alone, filters)[:3]
            out += [
                c for c in ranked if stems & content_stems(c.doc.metadata.get("title", "")) and c.doc.id not in have
            ]
        return out

    def _with_examples(self, passages: list[Candidate], question: str, filters: Filters) -> list[Candidate]:
        """Lärande exempel are asked for from several municipalities, while a page on one of them can
        fill the passages: the best passage of each other municipality's example among the best of
        the examples alone that is not among them yet joins them (what is there of a municipality's page
        may be about another: "Jämförelse med Hagfors" on Säffle's)."""
        ids, out, added = {c.doc.id for c in passages}, list(passages), set()
        for c in self._ranked(question, replace(filters, examples_only=True))[: self.retriever.k]:
            key = (c.source, c.doc.metadata.get("municipality"))
            if key[1] and key not in added and c.doc.id not in ids and len(added) < _MORE_EXAMPLES:
                added.add(key)
                out.append(c)
        return out

    def _with_opening(self, passages: list[Candidate], term: str) -> list[Candidate]:
        """What a thing is, a document named after it says first ("Myllrande våtmarker"): when only
        its later passages were found, its opening passage joins them, in place of the last one."""
        named = [c for c in passages if named_after(term, c.doc.metadata.get("title", ""))]
        if not named or any(c.doc.metadata.get("chunk_index") == 0 for c in named):
            return passages
        chunks = self.store.chunks_of(named[0].source)
        if not chunks or chunks[0].metadata.get("chunk_index") != 0:
            return passages
        at = passages.index(named[0])
        opening = Candidate(chunks[0], score=named[0].score)
        return [*passages[:at], opening, *passages[at:]][: len(passages)]

    def _document_context(self, passages: list[Candidate]) -> list[Candidate]:
        """The best passage's document beyond what was retrieved of it, nearest chunks first: a fact
        sheet's answer is often in the section after the one that matched best. They are quoted
        from, never counted as evidence (that is the retrieved passages' alone)."""
        if not passages or self.document_context <= 0:
            return []
        source, have = passages[0].source, {c.doc.id for c in passages}
        near = [c.doc.metadata.get("chunk_index", 0) for c in passages if c.source == source]
        rest = [c for c in self.store.chunks_of(source) if c.id not in have]
        rest.sort(key=lambda c: min(abs(c.metadata.get("chunk_index", 0) - i) for i in near))
        return [Candidate(c, score=passages[0].score) for c in rest[: self.document_context]]

    def _continuations(self, passages: list[Candidate], context: list[Candidate]) -> list[Candidate]:
        """The chunk after each passage: a procedure told in prose may go on past a chunk's end
        ("… De flesta ska rapportera …" | "Regeringen sammanställer sedan …"). Quoted from, like context."""
        have, out = {c.doc.id for c in [*passages, *context]}, []
        chunks = {source: self.store.chunks_of(source) for source in dict.fromkeys(c.source for c in passages)}
        for cand in passages:
            after = cand.doc.metadata.get("chunk_index", 0) + 1
            nxt = next((c for c in chunks[cand.source] if c.metadata.get("chunk_index") == after), None)
            if nxt is not None and nxt.id not in have:
                have.add(nxt.id)
                out.append(Candidate(nxt, score=cand.score))
        return out

    def _units_on(self, phrase: str) -> list[str]:
        """The sentences and lists of the store's best lexical matches for the phrase."""
        ids = [cid for cid, _ in self.store.lexical_search(phrase, k=20)]
        return [text for doc in self.store.get(ids) for text in titled_units(doc)]

    def _on_page(self, passages: list[Candidate], page: int) -> list[Candidate]:
        """ "Vad står det på sidan 47 i vägledningen?": the passages on that page of the first retrieved
        document that has one, ahead of the rest."""
        best: dict[str, Candidate] = {}  # each document once, in rank order, with its best passage
        for cand in passages:
            best.setdefault(cand.source, cand)
        for source, cand in best.items():
            chunks = [c for c in self.store.chunks_of(source) if lies_on(c.metadata, page)]
            if chunks:
                found = [Candidate(c, score=cand.score) for c in chunks]
                ids = {c.doc.id for c in found}
                return [*found, *(c for c in passages if c.doc.id not in ids)][: len(passages)]
        return passages

    def _compose(self, turn: Turn) -> Answer:
        started = time.perf_counter()
        passages = turn.passages
        retrieved = [Hit.from_document(c.doc, c.score) for c in passages]
        answer = Answer("", True, [], retrieved, turn.timings, standalone_question=turn.standalone)
        if turn.refuse:
            answer.answer = f"{REFUSAL} {_REFUSAL_NOTES[turn.refuse]}"
        elif not passages:
            answer.answer = REFUSAL if self.store.count() else EMPTY_STORE
        else:
            question = turn.standalone
            # A task is answered from what it is about, its wording ("utkast", "inledning") aside, and its
            # quotes are chosen for its own topic when that does not refer to the occasion told before it.
            focus = task_focus(turn.standalone) if intent(turn.standalone) == "task" else turn.topic
            query_vec = self.scorer.query_vector(focus)
            quotable = [*passages, *turn.context]
            fill_dense(quotable, self.scorer, query_vec)
            terms = self.composer.terms.current()
            composition = self.composer.compose(focus, query_vec, passages, turn.context, intent(question))
            # What the answer may quote beyond the retrieved passages is listed after them.
            answer.retrieved = [*retrieved, *(Hit.from_document(c.doc, c.score) for c in turn.context)]
            topic = turn.topic
            asked, questions = asked_part(topic), each_question(topic)
            # Judged on what is asked too: "… i klimatmålen? Vi behöver förklara begreppet för politikerna."
            # has words for the reader's situation that no passage need have, while "Hagfors jobbar med
            # pollinering. Hur kopplar det till …?" says in its first sentence what "det" is.
            # A comparison is judged as the plain question too ("Jag blandar ihop X och Y – vad är
            # skillnaden?" asks what "Vad är skillnaden mellan X och Y?" asks).
            pair = compared(topic) if composition.kind == "comparison" else None
            plain = {f"Vad är skillnaden mellan {pair[0]} och {pair[1]}?"} if pair else set()
            answer.evidence = max(
                self.refusal_model.probability(evidence_features(text, passages, terms, self.passage_model))
                for text in {topic, asked, *plain, *told_asks(topic), *questions, *_each_ask(asked, questions)}
            )
            # A document's year counts as named: a page from 2015 need not say "2015" to answer for it;
            # nor its number, which its address has ("SOU 2023:14" for ".../sou-202314"); nor its
            # publisher ("Vad skriver Naturvårdsverket om …" of Naturvårdsverket's page).
            covered = "\n".join(map(_named_in, passages))
            best_passage = max(c.dense or 0.0 for c in passages[:3])
            answer.similarity = similarity_evidence(composition.best, best_passage, self.evidence_unit_weight)
            # A task's topic is a fragment, not a question: the refusal model was fitted on questions,
            # so a task is judged on similarity alone. A page the question names is looked up, not judged.
            page = named_page(topic)
            on_page = page is not None and any(lies_on(c.doc.metadata, page) for c in passages)
            # "Vad säger dokumenten om Y?" is a lookup: a sentence naming all of Y (with its page's title
            # and heading) answers it, however loosely the rest of the question resembles it.
            # A task's short topic ("Skriv ett stycke om småskalig vedeldning") is looked up the same way.
            short = composition.kind == "task" and len(topic.split()) <= 5
            about = asked_topic(topic) or (topic.strip(" .!?") if short else "")
            named = bool(about) and not unmentioned(about, [t for c in quotable for t in titled_units(c.doc)])
            # "Ge mig några lärande exempel": no theme to judge the passages on, so the municipalities'
            # examples retrieved are looked up, like a page.
            examples = (
                composition.kind == "examples"
                and not focus_stems(asked)
                and any(c.doc.metadata.get("municipality") for c in quotable)
            )
            # A name only the asker's own sentences have ("Vi har hittat PFAS i en vattentäkt.") need not
            # be matched; of several questions, one whose names all are matched is answered.
            # A task's names are its topic's: "Skriv ett mejl till vår VA-chef om …" names its reader too.
            unmatched = all(unmatched_names(q, covered) for q in questions or [asked])
            grounded = (
                on_page
                or examples
                or (
                    (answer.evidence >= self.refusal_threshold or composition.kind == "task")
                    and (
                        self.composer.selection == "fitted"
                        or answer.similarity >= self.similarity_threshold
                        or titled(topic, passages, terms)
                        or named
                    )
                )
            ) and not unmatched
            unnamed, alone = _unnamed(topic, composition, quotable) if grounded else ([], False)
            # A detail asked for (a cost, a page …) that no passage gives: refused, or noted when the
            # question asks something else too or the passages answer part of it (a remit, for what
            # was proposed).
            detail = asked_detail(asked)
            given = detail is not None and any(
                gives_detail(detail, text, quotable, terms) for text in {topic, asked, *questions}
            )
            lacking = detail.name if detail is not None and not given else ""
            # "Vad står det i planen om solceller?" when no sentence of the passages (`named`) or of the
            # store's best lexical matches names all of it ("buller" and "vindkraft" apart do not): the same.
            if not lacking and about and not named and unmentioned(about, self._units_on(about)):
                lacking = about
            if not lacking and page is not None and not on_page:
                lacking = f"sidan {page}"
            refusal = REFUSAL
            if alone:
                grounded, refusal = False, f"Jag hittar ingen uppgift om {_quoted(unnamed)} i de inlästa dokumenten."
            partial = asks_more_than_one(topic) or (detail is not None and detail.partial)
            if lacking and not partial:
                grounded, refusal = False, f"Jag hittar ingen uppgift om {lacking} i de inlästa dokumenten."
            if composition.citations and grounded:
                # A later ask a quote answers needs none of its words in the documents ("vad lovar
                # länsstyrelsen i gengäld", answered by "Länsstyrelsen Värmland åtar sig att: …").
                open_part = functools.reduce(lambda text, ask: text.replace(ask, ""), composition.answered, asked)
                missing = [lacking] if lacking else [f"”{w}”" for w in uncovered_words(open_part, quotable, terms)]
                if composition.kind == "task":
                    composition.notes.insert(0, TASK_NOTE)
                elif missing:
                    composition.notes.append(f"Dokumenten säger inget om {_joined(missing)}.")
                # A place or a body by name; not a year or an abbreviation ("SOU" of "SOU 2019:13").
                if names := [n for n in unnamed if not n.isupper() and not n.isdigit()]:
                    composition.notes.append(f"De citerade dokumenten nämner inte {_quoted(names)}.")
                answer.answer, answer.refused, answer.citations = composition.text, False, composition.citations
            else:
                answer.suggestions = _distinct_documents(passages, 3)
                names = "; ".join(h.title for h in answer.suggestions)
                answer.answer = f"{refusal} Närmast ligger: {names}." if names else refusal
        turn.timings["answer"] = _ms(started)
        return answer

    # -- public --------------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict[str, str]], filters: Filters) -> Answer:
        if self.generative is not None:
            events = self._generate(self.generative, question, history, filters)
            while True:
                try:
                    next(events)
                except StopIteration as done:
                    return done.value
        return self._compose(self._retrieved(question, history, filters))

    def stream(self, question: str, history: list[dict[str, str]], filters: Filters) -> Iterator[dict[str, Any]]:
        """Token events, then the citations, then the whole answer. Generative mode streams the
        model's verified sentences as they come (and may send `replace`); the extractive answer is
        composed whole and then delivered in pieces."""
        if self.generative is not None:
            answer = yield from self._generate(self.generative, question, history, filters)
        else:
            answer = self.ask(question, history, filters)
            yield from pieces(answer.answer)
        yield {"type": "citations", "citations": [c.to_json() for c in answer.citations]}
        yield {"type": "done", "answer": answer.to_json()}

    def _generate(
        self, stage: GenerativeStage, question: str, history: list[dict[str, str]], filters: Filters
    ) -> Generator[dict[str, Any], None, Answer]:
        """The generative stage after retrieval, with the extractive answer as its fallback."""
        turn = self._retrieved(question, history, filters)
        return (yield from stage.run(turn.question, turn.history, self._compose(turn)))

    def _retrieved(self, question: str, history: list[dict[str, str]], filters: Filters) -> Turn:
        """A turn through the stages before the answer: check, rewrite, retrieve."""
        turn = Turn(question, history, filters)
        self._check(turn)
        self._rewrite(turn)
        self._retrieve(turn)
        return turn

    def search(self, query: str, k: int, filters: Filters) -> list[Hit]:
        ranked = self._ranked(clean_question(query), filters)
        return [Hit.from_document(c.doc, c.score) for c in ranked[:k]]


def similarity_evidence(best_unit: float, best_passage: float, unit_weight: float) -> float:
    """The earlier evidence, kept beside the fitted one: how similar the best unit and passages are to
    the question (the weight is Settings.evidence_unit_weight). It separates off-topic questions
    well; the fitted refusal model adds term coverage."""
    return unit_weight * best_unit + (1 - unit_weight) * best_passage


def _named_first(candidates: list[Candidate], passages: list[Candidate], question: str) -> list[Candidate]:
    """A document whose title the question names word for word ("Vad innebär miljökvalitetsmålet Giftfri
    miljö?" and the page "Giftfri miljö") is what it asks about: its best-ranked passage goes first,
    ahead of commissions and bills that merely mention the name. The longest such title wins."""
    named = [c for c in candidates if names_title(question, str(c.doc.metadata.get("title", "")))]
    if not named or not passages:
        return passages
    first = max(named, key=lambda c: len(str(c.doc.metadata.get("title", ""))))  # the first of the longest
    if first.doc.id == passages[0].doc.id:
        return passages
    return [first, *(c for c in passages if c.doc.id != first.doc.id)][: len(passages)]


def _unnamed(question: str, composition: Composition, quotable: list[Candidate]) -> tuple[list[str], bool]:
    """The names and years of the question that the documents quoted never mention (a passage
    retrieved beside them may), and whether that leaves the answer about somewhere else: none of the
    places that set its scope ("… i Värmlands län", "Länsstyrelsen i Dalarnas län") is mentioned.
    Another name left out ("… enligt Naturvårdsverket", "både Hagfors och Säffle") leaves the answer
    partial, not wrong; an examples question is about its place alone."""
    sources = {c.source for c in composition.citations}
    quoted = "\n".join(_named_in(c) for c in quotable if c.source in sources)
    unnamed, places = unmatched_names(question, quoted), named_places(question)
    alone = bool(unnamed) and (composition.kind == "examples" or bool(places) and set(places) <= set(unnamed))
    return unnamed, alone


def _each_ask(asked: str, questions: list[str]) -> list[str]:
    """Each ask of a question that asks more than one ("… – vad förväntas vi göra, och vad lovar
    länsstyrelsen i gengäld?"): one the documents answer is evidence even when another's words are
    the asker's own ("lovar", "i gengäld" of what the documents call "åtar sig", or "Hur går det till
    rent praktiskt för kommunen" of what they call "Så väljer aktörerna")."""
    return [ask for q in questions or [asked] if (first := first_ask(q)) for ask in (first, *later_asks(q))]


def _named_in(cand: Candidate) -> str:
    """What a passage names: its text, and its document's title, section, year, publisher and address."""
    m = cand.doc.metadata
    fields = (m.get("title"), m.get("section"), m.get("year"), m.get("publisher"), cand.source, cand.doc.page_content)
    return "\n".join(str(f or "") for f in fields)


def _years_of(cand: Candidate) -> set[str]:
    """The years a passage states or is from."""
    year = cand.doc.metadata.get("year")
    return {*YEAR.findall(cand.doc.page_content), *([str(year)] if year else [])}


def _quoted(names: list[str]) -> str:
    return _joined([f"”{n}”" for n in names])


def _joined(quoted: list[str]) -> str:
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _distinct_documents(passages: list[Candidate], n: int) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for cand in passages:
        seen.setdefault(cand.source, Hit.from_document(cand.doc, cand.score))
    return list(seen.values())[:n]


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)

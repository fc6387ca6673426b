"""Extractive answer composition: pick the sentences and whole lists that answer the question.

Units are scored by the fitted unit model (assistant/answer/selection.py), then shaped by the
question's intent: a list asked for is shown whole with its lead-in, a sentence opening with a
pronoun brings the sentence it refers to, quotes never cross a heading. Every block of the answer
is verbatim text of one retrieved passage followed by its citation marker.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import takewhile

import numpy as np

from assistant.answer.coverage import (
    MODALS,
    everyday,
    focus_stems,
    found,
    mentioned_share,
    named_after,
    names_title,
    title_share,
    unmentioned,
)
from assistant.answer.detail import DATE, MONTH, NOT_STATED, Gives, asked_detail, names_counted
from assistant.answer.intent import (
    ADJECTIVE,
    COUNT_WORD,
    DIFFERS,
    NUMERALS,
    asked_for,
    asked_part,
    asked_topic,
    asks_about_now,
    asks_for_a_date,
    compared,
    compared_sides,
    count_of,
    defined_term,
    each_question,
    intent,
    joined_names,
    later_asks,
    wants_list,
)
from assistant.answer.selection import CONNECTIVE_START, PRONOUN_START, UNIT_MODEL, UnitCandidate, select, unit_features
from assistant.answer.units import Unit, UnitScorer, item_texts, list_items, scored_texts, split_units
from assistant.domain import Candidate, Citation
from assistant.retrieval.linear import LinearModel
from assistant.retrieval.scoring import content_stems
from assistant.retrieval.terms import StoreTerms
from ingest.chunk import page_at, page_details, section_at
from ingest.swedish import YEAR

# A sentence that announces a list ("… väljer bland sju områden", "… följande:").
# A sentence that is one step of several ("Steg 2: …", "Först …", "Därefter …").
_STEP = re.compile(
    r"^\W*(?:steg\s+\d|\d+[.)]\s|först\b|börja\b|därefter\b|sedan\b|slutligen\b|till sist\b)", re.IGNORECASE
)
_ANNOUNCES = re.compile(r":\s*$|\b(följande|nedan|bland\s+\w+|dessa\s+\w+:)", re.IGNORECASE)
_FIGURE = re.compile(r"\b(\d[\d\s,.]*?)\s+(?:av\s+|st\s+)?([a-zåäöé]{3,})", re.IGNORECASE)
# A quantity or a frequency: what a "hur många / hur ofta / när" question is answered with.
_QUANTITY = re.compile(
    r"\d|\b(?:" + "|".join(NUMERALS) + r")\b|\b(?:gång|gånger|årligen|varje|varannat|per år|procent)\b",
    re.IGNORECASE,
)
# "… beskrivs i faktabladet Åtaganden och tidsplan", "Läs mer i rapporten": where to read, not what it says.
_POINTS_ELSEWHERE = re.compile(
    r"\b(?:finns|beskrivs|redovisas|presenteras|framgår)\s+(?:\w+\s+){0,2}i\s+(?:\w+\s+)?"
    r"(?:faktabladet|faktabladen|rapporten|dokumentet|bilagan|broschyren|vägledningen|guiden)\b|\bläs mer\b|"
    r"\(se (?:\w+ )?(?:faktabladet|faktabladen|rapporten|bilagan|avsnittet)\b",
    re.IGNORECASE,
)
# A name of two capitalised words inside a sentence ("… utser Gabriel Wikström till …", "Länsstyrelsen
# Värmland"), not one opening it.
_PERSON = re.compile(r"(?<=[\w,]\s)([A-ZÅÄÖ][a-zåäöé]+)\s+([A-ZÅÄÖ][a-zåäöé]+)\b")
# What a later ask is answered with, by its question word.
_ASK_GIVES = {
    # not "1900-talet"; "när på året" is answered with a month or a season ("i slutet av mars")
    "när": re.compile(
        rf"{DATE.pattern}|{YEAR.pattern}(?!-tal)|\b{MONTH}\b|\b(?:våren|sommaren|hösten|vintern)\b", re.IGNORECASE
    ),
    "hur många": _QUANTITY,
    "hur mycket": _QUANTITY,
    "vilket år": YEAR,
    # "… och vem samordnar den?": a body by its name ("Naturvårdsverkets samordning …"), or a person's.
    "vem": re.compile(
        r"\b[A-ZÅÄÖ][\wåäö-]*(?:-\s+och\s+\w+)?(?:verket|styrelsen|myndigheten|inspektionen|institutet|rådet|"
        rf"departementet|delegationen|beredningen)s?\b|\b(?:Länsstyrelse|Regering)\w*|{_PERSON.pattern}"
    ),
    # "… och vad kom samordnaren fram till?": a conclusion, which a report states as one.
    "vad kom": re.compile(
        r"\bslutsats\w*|\bkonstater\w*|\bbedömer\b|\b(?:kom|kommit|kommer)\s+(?:\w+\s+){0,3}?fram till\b",
        re.IGNORECASE,
    ),
}
# When something was to be done by, and the date it was due.
_DEADLINE_ASK = re.compile(
    r"\bnär\b.*\b(?:klar|klart|färdig|färdigt|redovisa\w*|slutredovisa\w*|lämnas|rapporteras)\b", re.IGNORECASE
)
_BY_DATE = re.compile(rf"\bsenast\s+(?:den\s+)?(?:{DATE.pattern})", re.IGNORECASE)
_MODAL_STEMS = content_stems(" ".join(MODALS))  # "ska" in "vad ska Länsstyrelsen bidra med" is no topic
# A later ask is answered by likeness from a document whose best passage scores this share of the best
# passage's score at least. Hand-set on sets P and shared_dev (evals/FITTED.md).
_LIKE_RETRIEVED = 0.8
# "…, säger klimat- och miljöminister Romina Pourmokhtari.": a person's words, not what the documents state.
_SAID = re.compile(
    r",\s+(?:säger|sa|menar|betonar|konstaterar)\s+(?:[\w-]+\s+){0,5}?[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+\W*$"
)
_ASKS_SAID = re.compile(r"\b(?:säger|sa|sade|tycker|anser|menar|uttalade|citat)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:inte|ej|aldrig|varken)\b", re.IGNORECASE)
_WHERE = re.compile(r"^\W*var\b|\bvar (?:finns|hittar|står|beskrivs|kan (?:jag|man|vi) läsa)\b", re.IGNORECASE)
# "Exemplet är Kommunstöds sammanställning av …", "Det är inte hämtat ur RUS vägledning": a sheet's provenance.
_ABOUT_THE_SHEET = re.compile(r"\bsammanställning av\b|\bhämtat (?:ur|från)\b", re.IGNORECASE)
# "väljer bland sju åtgärdsområden", "de fyra områdena": a count of things, listed elsewhere.
_SEVERAL = r"\d{1,2}|" + "|".join(w for w, n in NUMERALS.items() if n > 1)  # a count of more than one thing
_COUNTED = re.compile(rf"\b({_SEVERAL})\s+(?:\w+\s+)?(\w{{4,}})", re.IGNORECASE)


@dataclass
class Scored:
    cand: UnitCandidate
    score: float  # the unit model's probability, or similarity minus a passage-rank prior


@dataclass
class Composition:
    lead_in: str
    blocks: list[tuple[str, str, int]]  # (label, verbatim text, citation number); label "" or a municipality
    citations: list[Citation]
    best: float  # score of the best unit
    kind: str = "other"
    notes: list[str] = field(default_factory=list)  # sentences said before the quotes (recency, gaps)
    # Later asks a quote answers, perhaps in other words ("vad lovar länsstyrelsen i gengäld" by "åtar sig")
    answered: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        body = "\n\n".join(f"{label}: {text} [{n}]" if label else f"{text} [{n}]" for label, text, n in self.blocks)
        lead = " ".join([*self.notes, self.lead_in])
        return f"{lead}\n\n{body}" if body else lead


class Composer:
    """selection="similarity" (default): units scored by dense similarity with heading context plus
    coverage, chosen within a margin of the best (tuned on shared_dev and sample). selection="fitted":
    the unit model fitted on SweQUAD-dev (unit_model.json), which needs no unit embeddings; on the
    project's own sets it chose the list that answers a question less often, so it is opt-in."""

    # The numbers come from Settings (composer_*), where their origin is recorded.
    def __init__(
        self,
        scorer: UnitScorer,
        terms: StoreTerms,
        max_units: int,
        max_chars: int,
        margin: float,
        rank_penalty: float,
        other_document_margin: float,
        passage_margin: float,
        focus_share: float,
        age_warning_years: int,
        selection: str = "similarity",
        model: LinearModel | None = None,
    ) -> None:
        self.scorer = scorer
        self.terms = terms
        self.selection = selection
        self.model = model or LinearModel.load(UNIT_MODEL)
        self.params = self.model.params
        self.max_units = max_units
        self.max_chars = max_chars
        self.margin = margin  # similarity: units within this of the best are relevant enough to show
        self.passage_margin = passage_margin  # similarity: the same, for units of the best unit's passage
        self.rank_penalty = rank_penalty  # similarity: passage rank is a prior (the reranker judged passages)
        self.other_document_margin = other_document_margin  # similarity: the margin for another document
        self.focus_share = focus_share  # similarity: how much of the question a unit from a new passage names
        self.age_warning_years = age_warning_years  # a figure or state from a source this old gets a warning

    def score(
        self, question: str, kind: str, query_vec: np.ndarray, passages: list[Candidate], priors: list[int]
    ) -> list[Scored]:
        """Every sentence and list of the passages, and for "Var hittar jag …?" the lines that link to
        it; `priors[i]` is passage i's rank for the prior."""
        kinds = ("sentence", "list", "link") if _WHERE.search(question) else ("sentence", "list")
        cands: list[UnitCandidate] = []
        for rank, passage in enumerate(passages):
            units = [u for u in split_units(passage.doc.page_content) if u.kind in kinds]
            cands.extend(
                UnitCandidate(rank, u, i, len(units), passage.score, passage.dense or 0.0) for i, u in enumerate(units)
            )
        units = [c.unit for c in cands]
        dense = self.scorer.dense(query_vec, units)
        if self.selection == "fitted":
            rows = unit_features(question, kind, cands, self.terms.current(), dense)
            return [Scored(c, self.model.probability(r)) for c, r in zip(cands, rows, strict=True)]
        scores = [
            sim - self.rank_penalty * priors[c.rank]
            for c, sim in zip(cands, self.scorer.score(question, dense, units), strict=True)
        ]
        return [Scored(c, s) for c, s in zip(cands, scores, strict=True)]

    def _select(self, question: str, kind: str, scored: list[Scored], passages: list[Candidate]) -> list[Scored]:
        texts = [s.cand.unit.text for s in scored]
        if self.selection == "fitted":
            return [scored[i] for i in select(texts, [s.score for s in scored], self.params)]

        asks_where, asks_said = bool(_WHERE.search(question)), bool(_ASKS_SAID.search(question))

        def pointer(s: Scored) -> bool:
            """Where else to read about it answers only a where-question; what someone said in an
            interview or a press release ("…, säger Hans Vestberg.") only a question about what was said."""
            text = s.cand.unit.text
            return (not asks_where and bool(_POINTS_ELSEWHERE.search(text))) or (
                not asks_said and bool(_SAID.search(text))
            )

        order = sorted(scored, key=lambda s: (pointer(s), -s.score))
        counted: list[Scored] = []
        if kind == "number":  # a count, a frequency or a date is answered with one, when one is close
            quantities = [s for s in order if _QUANTITY.search(s.cand.unit.text)]
            # "Hur många åtgärder …": a count of that very thing ("163 åtgärder") comes first.
            counted = [s for s in quantities if _counts(asked_for(question), s.cand.unit.text)]
            if counted and counted[0].score >= order[0].score - 2 * self.margin:
                quantities = [*counted, *(s for s in quantities if s not in counted)]
            else:
                counted = []
            if quantities and quantities[0].score >= order[0].score - 2 * self.margin:
                order = quantities
        # What the question is about, as far as the passages mention it at all (an unknown word would
        # otherwise count against every unit alike).
        named = set().union(*(content_stems(t) for t in scored_texts([s.cand.unit for s in scored])))
        focus, terms = {f for f in focus_stems(question) if found(f, named)}, self.terms.current()
        sources, top = [p.source for p in passages], order[0].score
        # The answer opens with the close unit most about what the question asks, in its own words or
        # its document's title ("COP16 enades om …"), rather than one that only sounds like it.
        titles = [str(p.doc.metadata.get("title", "")) for p in passages]
        # "Vem var samordnare, och när skulle uppdraget redovisas?": the name is what the answer opens with;
        # the date is a later ask (`_later_asks`).
        asks = later_asks(question) if kind in ("who", "yesno") else []
        primary = question[: question.find(asks[0])] if asks else question
        if kind == "yesno":  # what the asker tells ("Jag behöver argument till kommunstyrelsen.") is not asked
            primary = asked_part(primary)
        topic = {f for f in focus_stems(primary) if found(f, named | set().union(*map(content_stems, titles)))}

        close = [s for s in order if s.score >= top - 2 * self.margin and not pointer(s)] or order[:1]

        def common(s: Scored) -> bool:
            return s.cand.unit.kind == "sentence" and terms.is_common(s.cand.unit.text)

        def titled(s: Scored) -> str:
            return f"{titles[s.cand.rank]}\n{scored_texts([s.cand.unit])[0]}"

        # A sentence many documents share is not about its page's subject: its title does not count.
        # On demand: the best unit may be a pointer, which is not close. A yes/no question is answered by
        # the sentence naming all it asks about, however it shortens a compound ("Överenskommelserna är
        # Länsstyrelsen Värmlands egna och inte en produkt av RUS" for "Värmlands miljööverenskommelser").
        aboutness: dict[int, float] = {}
        yes_no = kind == "yesno"

        def about(s: Scored) -> float:
            if id(s.cand) not in aboutness:
                text = scored_texts([s.cand.unit])[0] if common(s) else titled(s)
                aboutness[id(s.cand)] = mentioned_share(topic, text, terms) if yes_no else terms.coverage(topic, text)
            return aboutness[id(s.cand)]

        comparing = kind in ("examples", "comparison")  # about several things, from several documents, by nature
        # A count of the very thing asked about ("15 kommuner") is not displaced by a unit that is only
        # more about the question's other words.
        most = max([s for s in close if s in counted] or close, key=lambda s: (about(s), s.score))
        if not comparing and most is not order[0] and about(most) > max(about(order[0]), self.focus_share - 1e-9):
            order = [Scored(most.cand, top + 1e-6), *(s for s in order if s is not most)]
        # The page the question names by its title ("… målet Ett rikt odlingslandskap") answers before a
        # commission that mentions the name: its best close unit opens the answer.
        named_page = [s for s in close if names_title(question, titles[s.cand.rank]) and not common(s)]
        if not comparing and named_page and not names_title(question, titles[order[0].cand.rank]):
            order = [Scored(named_page[0].cand, top + 1.5e-6), *(s for s in order if s.cand is not named_page[0].cand)]
        # A comparison that a document states under a heading of its own ("Skillnaden mot 2018–2020",
        # "Jämförelse med Hagfors") is answered from there first.
        # Or in a sentence that says it is the difference ("Det är den stora skillnaden mot perioden 2022–2025").
        stating = [s for s in close if kind == "comparison" and _DIFFERENCE.search(_sections(s, passages)[-1])] or [
            s for s in close if kind == "comparison" and _STATES_DIFFERENCE.search(s.cand.unit.text)
        ]
        if stating and stating[0].cand is not order[0].cand:
            order = [Scored(stating[0].cand, top + 1.7e-6), *(s for s in order if s.cand is not stating[0].cand)]
        # A close unit that gives the detail asked for (a sum, a page …; for "När …" a date to the day,
        # "den 25 september 2014" before "hösten 2014") goes first, if as much about the question.
        detail = asked_detail(question)
        # A date asked after a name ("Vem …, och när …?") is a later ask, answered beside the name.
        dated = asks_for_a_date(question) and kind != "who"
        gives = detail.gives if detail is not None else DATE if dated else None
        # A date must be about the question in its own right: a remit's reply date is no answer to when
        # a goal is due. The detail a question asks for by name ("hur ofta", "hur mycket pengar") is rarer
        # than a date: one that is about the question at all answers it.
        enough = self.focus_share - 1e-9 if detail is not None else max(about(order[0]), self.focus_share - 1e-9)
        giving = [s for s in close if gives is not None and gives.search(s.cand.unit.text) and about(s) >= enough]
        # A figure proposed is not the target decided ("… enligt etappmålet", beside the inquiry's
        # "förslag till fyra nya etappmål"), unless the question asks what was proposed.
        if not _PROPOSED.search(question):
            giving.sort(key=lambda s: bool(_PROPOSED.search(s.cand.unit.text)))
        if giving and giving[0].cand is not order[0].cand:
            order = [Scored(giving[0].cand, top + 2e-6), *(s for s in order if s.cand is not giving[0].cand)]
        # "Vem var nationell samordnare …": a close unit that names someone the question does not
        # ("Gabriel Wikström") goes first, if as much about the question; "En särskild utredare" names nobody.
        if kind == "who":
            asked_names = {w.lower() for w in re.findall(r"[\w-]+", question)}
            naming_actor = [
                s
                for s in close
                if about(s) >= max(about(order[0]), self.focus_share - 1e-9)
                and any(
                    {m.group(1).lower(), m.group(2).lower()} - asked_names for m in _PERSON.finditer(s.cand.unit.text)
                )
            ]
            if naming_actor and naming_actor[0].cand is not order[0].cand:
                first = naming_actor[0]
                order = [Scored(first.cand, top + 2.5e-6), *(s for s in order if s.cand is not first.cand)]
        # "Vad säger dokumenten om vindkraft i fjällen?": the best unit that names all of it goes first.
        named = asked_topic(question)
        naming = [s for s in order if named and not unmentioned(named, [titled(s)])]
        if naming and naming[0].cand is not order[0].cand:
            order = [Scored(naming[0].cand, top + 3e-6), *(s for s in order if s.cand is not naming[0].cand)]
        chosen, used = [order[0]], len(order[0].cand.unit.text)
        defined = _head(defined_term(question)) if kind == "definition" else frozenset()
        documents, quoted = {sources[order[0].cand.rank]}, {order[0].cand.rank}
        # A list question whose best unit is a list has its answer: only that passage adds context.
        listed = kind in ("list", "examples") and order[0].cand.unit.kind == "list"
        for s in order[1:]:
            if len(chosen) >= self.max_units or s.score < top - max(self.margin, self.passage_margin):
                break
            # The best unit's own passage is its context: its units may come from further down.
            if s.score < top - self.margin and s.cand.rank != order[0].cand.rank:
                continue
            if listed and s.cand.rank != order[0].cand.rank:
                continue
            # A count of the asked thing answers: other passages add only their own count of it (an
            # older or newer figure), not what they say around it.
            if counted and s.cand.rank != order[0].cand.rank and s not in counted:
                continue
            # Another document must come closer to the best unit: its near-misses are the filler that
            # near-duplicate sources add. A unit from a passage not yet quoted must mention most of
            # what the question is about (IDF-weighted), or it adds no answer.
            if not comparing and sources[s.cand.rank] not in documents and s.score < top - self.other_document_margin:
                continue
            if s.cand.rank not in quoted and terms.coverage(focus, scored_texts([s.cand.unit])[0]) < self.focus_share:
                continue
            # What a thing is, another document says only in a sentence that names the thing.
            elsewhere = sources[s.cand.rank] != sources[order[0].cand.rank]
            if defined and elsewhere and not _names(defined, s.cand.unit.text):
                continue
            # A sentence many documents share ("Varje år görs en årlig uppföljning …") is filler unless it
            # goes on in the best unit's passage or names the rarest thing the question asks about.
            if (
                common(s)
                and s.cand.rank != order[0].cand.rank
                and terms.rare_coverage(focus, scored_texts([s.cand.unit])[0]) < 0.5
            ):
                continue
            if pointer(s):
                continue
            if used + len(s.cand.unit.text) <= self.max_chars and _dedupe([*chosen, s])[-1] is s:
                chosen.append(s)
                documents.add(sources[s.cand.rank])
                quoted.add(s.cand.rank)
                used += len(s.cand.unit.text)
        return chosen

    def _later_asks(
        self, question: str, scored: list[Scored], chosen: list[Scored], passages: list[Candidate]
    ) -> tuple[list[Scored], list[str], list[str]]:
        """A question that asks two things ("Vem genomförde satsningen och när skulle den rapporteras?")
        is answered on both: for a later ask no chosen unit answers, the close unit that does. An answer
        gives what the ask asks for ("när": a date or year; "hur många": a figure) in a document already
        quoted, or names half of the ask (IDF-weighted, its heading included); an ask of another kind
        ("vem skulle man samråda med") is answered by a unit naming half of it. Also returns the asks
        for a date or a figure that no unit answers, for the answer to say so, and the asks a unit
        answers, whose words the documents may put otherwise."""
        asks = later_asks(question) if chosen else []
        if not asks:
            return chosen, [], []
        out, terms, best = list(chosen), self.terms.current(), max(s.score for s in scored)
        unanswered, answered = [], []
        texts = dict(zip((id(s.cand) for s in scored), scored_texts([s.cand.unit for s in scored]), strict=True))
        quoted = {passages[c.cand.rank].source for c in chosen}
        # A year the question states ("… för Agenda 2030, och när …") answers no "när".
        stated = set(YEAR.findall(question))

        def unstated(text: str) -> str:
            return YEAR.sub(lambda m: "" if m.group() in stated else m.group(), text)

        by_passage = _by_passage(scored)
        # A unit naming an ask answers it from a document retrieved about as well as the best, however it scores.
        well = _well_retrieved(passages)
        # "Vad menas med miljöövervakning, och vem samordnar den?": "den" is the thing defined.
        term = defined_term(question)
        for asked in asks:
            ask = _REFERS_BACK.sub(term, asked, count=1) if term else asked
            words, stems = ask.lower().split(), focus_stems(ask) - _MODAL_STEMS
            # A detail asked for by name ("hur stor minskning", "någon siffra på hur mycket") is given as
            # the whole question's would be: a share or a change by a figure, not any number.
            detail = asked_detail(ask)
            gives = detail.gives if detail else _ASK_GIVES.get(" ".join(words[:2]), _ASK_GIVES.get(words[0]))
            named = {key: terms.coverage(stems, text) if stems else 0.0 for key, text in texts.items()}
            # "… och när skulle den vara klar?": a deadline ("ska redovisas senast den 28 februari 2020") names it.
            if _DEADLINE_ASK.search(ask):
                named = {key: 1.0 if _BY_DATE.search(texts[key]) else share for key, share in named.items()}
            # An ask about the thing defined is answered only by a unit that names it.
            about = content_stems(term) if ask != asked else frozenset()
            answers = {
                id(s.cand): _answers(
                    unstated(s.cand.unit.text), gives, named[id(s.cand)], passages[s.cand.rank].source in quoted
                )
                and all(found(t, content_stems(texts[id(s.cand)])) for t in about)
                for s in scored
            }
            # A detail by name that nothing gives is the whole question's to note ("Dokumenten säger inget om …").
            if not any(answers.values()) and gives is not None and detail is None:
                unanswered.append(asked.rstrip(" ?"))  # in the asker's words
            # "… genom en första uppsättning etappmål." (dated), then "Tretton etappmål fastställs …": the count
            # asked for is in the sentence after the one that names the ask.
            if " ".join(words[:2]) in ("hur många", "hur mycket"):
                out += [
                    after
                    for s in list(out)
                    if named[id(s.cand)] >= 0.5 and not _counts_beside_dates(s.cand.unit.text)
                    and (after := _next_under_heading(s, by_passage, "sentence")) is not None
                    and _counts_beside_dates(after.cand.unit.text) and after not in out
                ]  # fmt: skip
            if gives is None:  # "vad ska Länsstyrelsen bidra med": the unit most like the ask alone
                if any(named[id(s.cand)] >= 0.5 for s in out):
                    answered.append(asked)
                elif like := self._most_like(ask, scored, out, named, passages):
                    out += [] if like in out else [like]
                    answered.append(asked)
                continue
            # A unit naming half of the ask answers first ("… och vem har motsvarande ansvar för Levande
            # skogar?" is not answered by the quoted sentence on Boverket). Then a document already quoted
            # answers however its unit resembles the whole question: the asks are about one subject. Then
            # the ask most named, then a date to the day before a year, then the score.
            close = [
                (
                    named[id(s.cand)] >= 0.5,
                    passages[s.cand.rank].source in quoted,
                    named[id(s.cand)],
                    gives is _ASK_GIVES["när"] and bool(DATE.search(s.cand.unit.text)),
                    s.score,
                    -i,
                )
                for i, s in enumerate(scored)
                if answers[id(s.cand)]
                and (
                    passages[s.cand.rank].source in quoted
                    or self._close(s.score, best)
                    or (named[id(s.cand)] >= 0.5 and passages[s.cand.rank].source in well)
                )
            ]
            if not close:
                continue
            answered.append(asked)
            # A chosen unit answers if it names the ask as much as any that could: a date for the
            # analysis is no answer to when the plans were due, which another sentence dates.
            _, _, most, *_, first = max(close)  # -index: of equal ranks the first in order
            if not any(answers[id(s.cand)] and named[id(s.cand)] >= most - 1e-9 for s in out):
                out.append(scored[-first])
        # A quote an ask brought in that announces a list ("… att föreslå hur … kan utvecklas" before "I
        # uppdraget ingår att lämna förslag till: …") comes with it: the list is what was asked.
        listed = [_next_under_heading(s, by_passage, "list") for s in out[len(chosen) :]]
        return _dedupe([*out, *(t for t in listed if t is not None)]), unanswered, answered

    def _most_like(
        self,
        ask: str,
        scored: list[Scored],
        chosen: list[Scored],
        named: dict[int, float],
        passages: list[Candidate],
    ) -> Scored | None:
        """The unit most like an ask that no figure or date answers ("vad ska Länsstyrelsen bidra
        med" → "Länsstyrelsen Värmland åtar sig att: …"), among the chosen units and the close units naming
        any of it from a document retrieved about as well as the best (a chosen one when it is as like
        it): what the whole question is most like may answer another of its asks, or answer it in other
        words ("mål 11" for "vilket globalt mål", beside a page on global health retrieved far below)."""
        top, well = max(s.score for s in scored), _well_retrieved(passages)
        naming = [
            s
            for s in scored
            if named[id(s.cand)] > 0
            and passages[s.cand.rank].source in well
            and self._close(s.score, top)
            and not _POINTS_ELSEWHERE.search(s.cand.unit.text)
        ]
        if not naming:
            return None
        pool = [*chosen, *(s for s in naming if s not in chosen)]
        dense = self.scorer.dense(self.scorer.query_vector(ask), [s.cand.unit for s in pool])
        best = max(zip(dense, pool, strict=True), key=lambda t: t[0])[1]
        return best

    def _close(self, score: float, best: float) -> bool:
        """Close enough to the best unit to be brought in by an intent rule."""
        return score >= 0.5 * best if self.selection == "fitted" else score >= best - 2 * self.margin

    def _shape(
        self, question: str, kind: str, scored: list[Scored], chosen: list[Scored], passages: list[Candidate]
    ) -> list[Scored]:
        """Intent rules on top of the model's choice."""
        sources = [p.source for p in passages]
        by_passage = _by_passage(scored)
        out = list(chosen)
        best = chosen[0].score if chosen else 0.0
        if wants_list(kind):
            lists = [s for s in scored if s.cand.unit.kind == "list" and self._close(s.score, best)]
            asked = content_stems(asked_for(question))
            headed = [(_names(asked, s.cand.unit.context), s.score, s) for s in lists if s.cand.unit.context]
            headed = [h for h in headed if h[0] > 0]
            if headed:  # the list under a heading that names what is asked is the answer: first, and no other list
                match = max(headed, key=lambda h: (h[0], h[1]))[2]
                # What other passages say around it is no part of that answer.
                rest = [
                    s
                    for s in out
                    if s.cand.unit.kind != "list" and s.cand is not match.cand and s.cand.rank == match.cand.rank
                ]
                out = [Scored(match.cand, best + 1e-6), *rest]
            elif lists and not any(s.cand.unit.kind == "list" for s in out):
                # A list of something else than what is asked ("områden" for "Vilka grundprinciper …")
                # would open the answer: the list, its lead-in or its heading must name the asked thing;
                # when the question names no thing, the list must be from the best unit's document.
                extra = max(lists, key=lambda s: s.score)
                if (
                    _lists_asked(asked, extra)
                    if asked
                    else not chosen or sources[extra.cand.rank] == sources[chosen[0].cand.rank]
                ):
                    out.append(extra)
        if (
            kind == "steps"
            and chosen
            and not any(s.cand.unit.kind == "list" or _STEP.search(s.cand.unit.text) for s in out)
        ):
            out += [t for t in _timed_after(chosen[0], by_passage, passages) if t not in out]
        if kind == "definition":  # the sentence that says what the thing is ("Miljöövervakning ger …") first
            defining = self._defining(question, scored, by_passage, passages, best)
            if defining:
                first = defining[0]
                # Quotes keep document order inside a passage, so what precedes it there is left out.
                before = {(first.cand.rank, i) for i in range(first.cand.index + 1)}
                rest = [s for s in out if (s.cand.rank, s.cand.index) not in before]
                out = [Scored(first.cand, best + 1e-6), *defining[1:], *rest]
        if wants_list(kind) or kind == "number":
            for s in list(out):  # a sentence announcing a list (or a count) brings the list that follows it
                if s.cand.unit.kind == "sentence" and _ANNOUNCES.search(s.cand.unit.text):
                    after = by_passage[s.cand.rank][s.cand.index + 1 : s.cand.index + 3]
                    following = [t for t in after if t.cand.unit.kind == "list"]
                    if following and following[0] not in out:
                        out.append(following[0])
        for s in list(out):  # a sentence followed by a list under the same heading ("… de viktigaste läsarna:")
            after = _next_under_heading(s, by_passage, "list")
            if after is not None and self._close(after.score, best) and after not in out:
                out.append(after)
        for s in list(out):  # "… bland sju åtgärdsområden": the list of those seven, wherever the document has it
            counted = _counted_list(s, scored, sources, "" if wants_list(kind) or kind == "number" else question)
            if counted is not None and counted not in out:
                out.append(counted)
        out = _with_what_came_before(out, scored)

        # A sentence announcing what follows ("… följande 25 myndigheter:") whose list is not in the
        # passage would leave the answer hanging; a list is quoted with its lead-in. So would one that
        # goes on from a sentence the passage does not have ("Samtidigt ska …" opening a chunk).
        def hanging(s: Scored) -> bool:
            unit = s.cand.unit
            carries_on = s.cand.index == 0 and CONNECTIVE_START.search(unit.text)
            return unit.kind == "sentence" and (unit.text.rstrip().endswith(":") or bool(carries_on))

        return _dedupe([s for s in out if not hanging(s)] or out)

    def _defining(
        self,
        question: str,
        scored: list[Scored],
        by_passage: dict[int, list[Scored]],
        passages: list[Candidate],
        best: float,
    ) -> list[Scored]:
        """The sentence that says what the asked thing is: one that opens with it and a defining verb,
        or the first under a heading that asks it ("Vad en miljööverenskommelse är"), when close to the
        best; or, however they score, the sentences opening with it under a heading that is the thing
        itself ("Etappmålen"), or the opening of a document named after it ("Myllrande våtmarker"), with
        the sentence after it."""
        name = defined_term(question)
        term = content_stems(name)
        headed = [
            t for units in by_passage.values() for i, t in enumerate(units)
            if _ASKS_WHAT.match(t.cand.unit.context) and _names(term, t.cand.unit.context)
            and (i == 0 or units[i - 1].cand.unit.context != t.cand.unit.context)
        ]  # fmt: skip
        head = _head(name)
        close = [
            s
            for s in scored
            if (_defines(head, s.cand.unit) or _counts_as(term, s.cand.unit) or s in headed)
            and self._close(s.score, best)
        ]
        if close:
            return [max(close, key=lambda s: s.score)]
        for units in by_passage.values():
            # Under the heading that is the thing itself, the sentences that open with it.
            under = [t for t in units if _is_term(term, t.cand.unit.context)]
            if opening := list(itertools.takewhile(lambda t: _opens_with(head, t.cand.unit.text), under)):
                return opening[:2]
        for rank, units in by_passage.items():
            if _opens(passages[rank], name) and units[0].cand.unit.kind == "sentence":
                return [u for u in units[:2] if u.cand.unit.kind == "sentence"]
        return []

    def _examples(
        self, theme_of: tuple[str, str] | None, scored: list[Scored], passages: list[Candidate]
    ) -> tuple[list[Scored], bool]:
        """Lärande exempel: one unit per municipality in each document, the best one that names the
        question's theme (`theme_of`, from `_theme`); none when no municipality's document does. And whether
        one names it only as what it did not do: then the documents say that none did."""
        theme = {theme_of[0]} if theme_of else set()
        names = {str(p.doc.metadata.get("municipality") or "") for p in passages} - {""}
        picks: dict[tuple[str, str], Scored] = {}
        negated = False

        def position(s: Scored) -> tuple[int, int]:
            return passages[s.cand.rank].doc.metadata.get("chunk_index", 0), s.cand.unit.start

        # Without a theme, each example is told by its document's opening, which sums it up: the best
        # scored unit would be one about examples ("Kommunens sida har en rubrik för exempel …").
        for s in sorted(scored, key=position if not theme else lambda s: -s.score):
            doc = passages[s.cand.rank].doc
            source, own = doc.metadata.get("source", ""), str(doc.metadata.get("municipality") or "")
            text = s.cand.unit.text
            if not own or (own not in text and any(n in text for n in names - {own})):
                continue  # not an example, or a sentence about another municipality than its own
            if s.cand.unit.kind == "heading" or _ABOUT_THE_SHEET.search(text) or NOT_STATED.search(s.cand.unit.context):
                continue  # where the sheet comes from, or what it does not say: nothing the municipality did
            # The best unit of each municipality's document that names the theme, not as what it
            # did not do ("De tre områden som Hagfors inte valt är … Giftfri vardag").
            named = not theme or _names(theme, scored_texts([s.cand.unit])[0])
            negated |= bool(theme) and bool(named) and bool(_NEGATED.search(text))
            # Each municipality once, also when one document holds several's examples (the guidance).
            if (source, own) not in picks and named and not (theme and _NEGATED.search(text)):
                picks[source, own] = s
        return list(picks.values())[: self.max_units], negated and not picks

    def _theme(self, question: str) -> tuple[str, str] | None:
        """An examples question's theme: its rarest focus term that is no everyday word ("giftfri" in
        "… har valt giftfri vardag", not "jobbar"), as (stem, the word as the question spells it). The
        sentences that ask say it first; when they do not ("Vi är en värmländsk kommun som ska välja
        åtgärdsområden. Finns det exempel på hur andra har valt?"), the rest tells it, among words the
        documents have: what tells about the asker ("värmländsk") is no theme."""
        # Of several questions, the first asks for the examples ("Finns det något lärande exempel om
        # pollinering? … under vilket tema hamnar det?": "tema" is asked of them, it is not theirs).
        terms, asking = self.terms.current(), (each_question(question) or [asked_part(question)])[0]

        def theme(text: str, known: bool) -> tuple[str, str] | None:
            focus = focus_stems(text)
            words = [(stem, w) for w in re.findall(r"[\w-]+", text) if not everyday(w) for stem in content_stems(w)]
            themed = sorted({(stem, w) for stem, w in words if stem in focus and (not known or terms.df.get(stem))})
            return max(themed, key=lambda t: terms.idf(t[0])) if themed else None

        return theme(asking, False) or (theme(question, True) if asking != question else None)

    def _no_example(self, question: str, theme: tuple[str, str]) -> str:
        """The note for an examples question whose theme (`_theme`) the municipalities' documents name
        only as what they did not do."""
        # The theme with the neighbour naming it with it, as rare ("giftfri vardag").
        words, idf = re.findall(r"[\w-]+", question), self.terms.current().idf
        i = words.index(theme[1])

        def kin(w: str) -> bool:
            stems = content_stems(w)
            return bool(stems) and not everyday(w) and min(map(idf, stems)) >= 0.8 * idf(theme[0])

        phrase = [w for j, w in enumerate(words) if j == i or (abs(j - i) == 1 and kin(w))]
        return f"Dokumenten har inget exempel på en kommun som arbetar med ”{' '.join(phrase)}”."

    def compose(
        self,
        question: str,
        query_vec: np.ndarray,
        passages: list[Candidate],
        context: list[Candidate] | None = None,
        kind: str | None = None,
    ) -> Composition:
        """Passages need their dense cosine filled (`rerank.fill_dense`). `context` is more of the best
        passage's document (`AnswerChain._document_context`): quoted from like a passage ranked with
        that document's last retrieved one, but not part of `best`, the evidence of what was retrieved.
        `kind` is the intent when `question` is a task's topic rather than the question asked."""
        kind = kind or intent(question)
        context = context or []
        retrieved = len(passages)
        # A chunk of context is ranked with its document's last retrieved passage.
        priors = list(range(retrieved)) + [
            max((i for i, p in enumerate(passages) if p.source == c.source), default=0) for c in context
        ]
        passages = [*passages, *context]
        scored = self.score(question, kind, query_vec, passages, priors)
        detail = asked_detail(question)
        if detail is not None and detail.beside is not None:  # what an inquiry was to propose is no proposal
            scored = [s for s in scored if not detail.beside.search(s.cand.unit.text)] or scored
        if not scored:
            return Composition("", [], [], 0.0, kind)
        chosen = self._shape(question, kind, scored, self._select(question, kind, scored, passages), passages)
        chosen, unanswered, answered = self._later_asks(question, scored, chosen, passages)
        if kind != "examples":
            chosen = _each_named(question, scored, chosen, passages)
        if kind == "comparison" and (pair := compared(question)) is not None:
            chosen = _each_compared(pair, scored, chosen, passages)
        elif kind == "comparison":
            chosen = _each_titled(question, scored, _each_year(question, scored, chosen, passages), passages)
        top = max(s.score for s in scored)
        if kind == "comparison":
            chosen = _each_measured(chosen, scored, passages, lambda s: self._close(s.score, top))
        # "Vilka tre kommuner som presenterade exempel … framgår inte …": the documents saying that what is
        # asked is not known answer first, and no municipality's example stands in for it.
        unknown = _says_unknown(question, scored)
        unknown = unknown if unknown is not None and self._close(unknown.score, top) else None
        # (deduped either way: the comparison rules above may add a unit that repeats one chosen)
        chosen = _dedupe([unknown, *chosen] if unknown is not None else chosen)
        theme = self._theme(question) if kind == "examples" else None
        examples, none_did = (
            self._examples(theme, scored, passages) if kind == "examples" and unknown is None else ([], False)
        )
        # A quote a later rule added needs what it refers to as much as one the selection chose.
        if chosen and not examples:
            chosen = _without_gaps(_with_what_came_before(_with_what_goes_on(chosen, scored), scored), scored)
        chosen = examples or chosen
        notes = [self._no_example(question, theme)] if none_did and theme else []
        if (
            not examples
            and kind != "comparison"  # "… från det mål som gäller i dag": a side of it, not the question
            and asks_about_now(question)
            and (newest := _newest_now(question, scored, chosen, passages[:retrieved]))
        ):
            chosen = _dedupe([*newest[0], *chosen])
            notes.append(
                f"Frågan gäller nuläget: den nyaste källan ({newest[1]}) visas först; äldre uppgifter kan ha ändrats."
            )
        notes += [f"Dokumenten svarar inte på ”{ask}”." for ask in unanswered]
        # "Vilka kommuner har redan miljözoner …?" with no municipality's example is a list question too.
        listing = kind == "list" or (kind == "examples" and not examples)
        if wants_list(kind) and unknown is None and (counted := _unlisted(question, scored, chosen if listing else [])):
            notes.append(f"Dokumenten nämner {counted} men räknar inte upp dem.")
        best = max((s.score for s in scored if s.cand.rank < retrieved), default=0.0)
        # Passages in the order of their best chosen unit, the first chosen (the most direct answer,
        # which an intent rule may have put before better-scored units) first, except that when
        # sources of different years give different figures the newest goes first; inside a passage
        # document order, joining units that stand next to each other into one quoted span.
        order = list(dict.fromkeys(s.cand.rank for s in [chosen[0], *sorted(chosen, key=lambda s: -s.score)]))
        lists = [s for s in chosen if s.cand.unit.kind == "list"]
        if (wants_list(kind) or kind == "who") and lists:  # the list that answers a list question comes first
            # One that names the asked thing ("De fem fokusområdena" for "Vilka fokusområden …"), else the
            # best list if it is the best unit's passage's: a list of proposals does not open an answer on
            # challenges just for being a list.
            asked = content_stems(asked_for(question))
            answering = max(lists, key=lambda s: (_lists_asked(asked, s), s.score))
            if _lists_asked(asked, answering) or answering.cand.rank == order[0]:
                order = [answering.cand.rank, *(r for r in order if r != answering.cand.rank)]
        # The steps of one document in the document's order, when the answer is made of steps (a list,
        # "Steg 2 …", "Först …", a section headed "Steg 3: Ställ frågor"); what a way of working brings
        # ("Hur kan planeringen bidra …") is told best first, like any other answer.
        steps = kind == "steps" and any(
            s.cand.unit.kind == "list"
            or _STEP.search(s.cand.unit.text)
            or any(map(_STEP.search, _sections(s, passages)))
            for s in chosen
        )
        if steps:
            first = {}
            for rank in order:
                first.setdefault(passages[rank].source, len(first))
            order.sort(key=lambda r: (first[passages[r].source], passages[r].doc.metadata.get("chunk_index", 0)))
        if not steps and kind != "examples":  # figures that differ between sources: the newest first
            order, note = _newest_first(order, chosen, passages)
            notes += [note] if note else []
        # The state may have changed, unless the question asks when, or about a year it names.
        if kind in ("number", "status") and order and not asks_for_a_date(question) and not YEAR.search(question):
            year = passages[order[0]].doc.metadata.get("year")
            if year and date.today().year - int(year) >= self.age_warning_years:
                notes.append(f"Obs: uppgiften kommer från en källa från {year} och kan ha ändrats sedan dess.")
        citations: list[Citation] = []
        blocks: list[tuple[str, str, int]] = []
        for rank in order:
            doc = passages[rank].doc
            text = doc.page_content
            units = sorted((s.cand.unit for s in chosen if s.cand.rank == rank), key=lambda u: u.start)
            spans: list[list[int]] = []
            for i, unit in enumerate(units):
                # Neighbours join into one quote, but not across a heading: a list's heading is its
                # lead-in, so only the same heading above both shows they are one piece of text.
                if spans and not text[spans[-1][1] : unit.start].strip() and unit.context == units[i - 1].context:
                    spans[-1][1] = unit.end
                else:
                    spans.append([unit.start, unit.end])
            if not steps and not examples and rank == order[0]:
                # The most direct answer first, even when its passage says something earlier.
                lead = next(s for s in chosen if s.cand.rank == rank).cand.unit
                spans.sort(key=lambda span: not span[0] <= lead.start < span[1])
            for start, end in spans:
                citations.append(_citation(len(citations) + 1, doc, start, end))
                # Blank lines separate answer blocks, so a quoted span is shown without them.
                label = _municipality(doc.metadata) if examples else ""
                blocks.append((label, re.sub(r"\n\s*\n", "\n", text[start:end]), citations[-1].n))
        lead_in = _examples_lead_in(citations) if examples else _lead_in(citations)
        return Composition(lead_in, blocks, citations, best, kind, notes, answered)


def _citation(n: int, doc: object, start: int, end: int) -> Citation:
    m = doc.metadata  # type: ignore[attr-defined]
    text = doc.page_content  # type: ignore[attr-defined]
    page = page_at(m, start)
    page_label, ocr = page_details(m, page)
    return Citation(
        n=n,
        source=m.get("source", ""),
        title=m.get("title", ""),
        source_url=m.get("source_url"),
        page=page,
        section=section_at(m, start) or None,
        quote=text[start:end],
        chunk_id=m.get("chunk_id", doc.id or ""),  # type: ignore[attr-defined]
        start=start,
        end=end,
        text=text,
        year=m.get("year"),
        page_label=page_label,
        ocr=ocr,
    )


def _names(stems: set[str] | frozenset[str], text: str) -> float:
    """1.0 when the text has each stem as a word, an inflection of it or the head of a compound
    ("områd" in "åtgärdsområdena"; not "pollinering" in "pollineringsarbetet": a head ends the word)."""
    have = content_stems(text)

    def named(s: str, w: str) -> bool:
        return w == s or (len(s) >= 4 and (w.endswith(s) or (w.startswith(s) and len(w) - len(s) <= 3)))

    return float(bool(stems) and all(any(named(s, w) for w in have) for s in stems))


def _well_retrieved(passages: list[Candidate]) -> set[str]:
    """The documents whose best passage scores `_LIKE_RETRIEVED` of the best passage's score at least."""
    best: dict[str, float] = {}
    for p in passages:
        best[p.source] = max(best.get(p.source, p.score), p.score)
    return {source for source, score in best.items() if score >= _LIKE_RETRIEVED * max(best.values(), default=0.0)}


def _answers(text: str, gives: Gives | None, named: float, quoted: bool) -> bool:
    """A unit answers a later ask (`Composer._later_asks`): `named` is how much of the ask it names,
    `quoted` whether its document is already quoted. Where else to read answers no ask."""
    if _POINTS_ELSEWHERE.search(text):
        return False
    if gives is None:
        return named >= 0.5
    return bool(gives.search(text)) and (quoted or named >= 0.5)


# "De två första delarna …", "Den tredje …": "de" and "den" before a count or an ordinal name what
# follows, they refer to nothing before.
_DETERMINER = re.compile(rf"^\W*de[nt]?\s+(?:{COUNT_WORD}|första|andra|tredje|fjärde|femte|sista)\b", re.IGNORECASE)
_DIFFERENCE = re.compile(rf"\b(?:skillnad\w*|jämför\w*|{DIFFERS})\b", re.IGNORECASE)


def _sections(s: Scored, passages: list[Candidate]) -> list[str]:
    """The headings a unit stands under, outermost first."""
    return section_at(passages[s.cand.rank].doc.metadata, s.cand.unit.start).split(" > ")


def _each_year(question: str, scored: list[Scored], chosen: list[Scored], passages: list[Candidate]) -> list[Scored]:
    """A comparison of years ("Vad skiljer propositionen från 2005 från den som kom 2010?") is answered
    from a document of each year: the best unit of one of that year is added when none is quoted."""
    years = list(dict.fromkeys(YEAR.findall(question)))
    if len(years) < 2:
        return chosen
    out = list(chosen)
    for year in years:
        of_year = [s for s in scored if str(passages[s.cand.rank].doc.metadata.get("year")) == year]
        if of_year and not any(s in out for s in of_year):
            out.append(max(of_year, key=lambda s: s.score))
    return out


def _each_titled(question: str, scored: list[Scored], chosen: list[Scored], passages: list[Candidate]) -> list[Scored]:
    """A side of a comparison that names most of a document's title ("… i det klimatpolitiska ramverket")
    is answered from the document whose title it names most: its best unit is added when none is quoted."""
    out = list(chosen)
    for side in compared_sides(question) or ():
        share = {
            s.cand.rank: title_share(side, str(passages[s.cand.rank].doc.metadata.get("title", ""))) for s in scored
        }
        most = max(share.values(), default=0.0)
        titled = [s for s in scored if most >= 0.5 and share[s.cand.rank] == most]
        quoted = {passages[s.cand.rank].source for s in out}
        if titled and not any(passages[s.cand.rank].source in quoted for s in titled):
            out.append(max(titled, key=lambda s: s.score))
    return out


def _each_compared(
    pair: tuple[str, str], scored: list[Scored], chosen: list[Scored], passages: list[Candidate]
) -> list[Scored]:
    """A comparison of two things is answered with what each is: the best sentence opening with each
    ("Preciseringarna förtydligar …", "Etappmålen ska …"), after what was chosen from the best unit's
    passage (a sentence that may state the difference). When either has none, the answer stays as chosen."""
    heads = [_head(term) for term in pair]
    # A list with an item on each ("- Preciseringarna anger …", "- Etappmålen tas fram …") says both.
    both = [s for s in scored if s.cand.unit.kind == "list" and all(_item_opens_with(h, s.cand.unit) for h in heads)]
    if both:
        listed = max(both, key=lambda s: s.score)
        where = (listed.cand.rank, listed.cand.unit.context)
        beside = [s for s in chosen if (s.cand.rank, s.cand.unit.context) == where and s is not listed]
        return _dedupe([listed, *beside])
    picks = []
    for term, head in zip(pair, heads, strict=True):
        opening = [s for s in scored if s.cand.unit.kind == "sentence" and _opens_with(head, s.cand.unit.text)]
        if not opening:
            return chosen
        # One under a heading named after it ("Etappmålen" on a goal's page, not a press release on
        # climate targets), then from a document named for it (the 2020 guidance on itself, not the
        # 2014 guide on it) first.
        ranks = [
            (
                named_after(term, _sections(s, passages)[-1]),
                _names(head, str(passages[s.cand.rank].doc.metadata.get("title", ""))),
                s.score,
            )
            for s in opening
        ]
        picks.append(opening[ranks.index(max(ranks))])
    stated = [s for s in chosen if s.cand.rank == chosen[0].cand.rank] if chosen else []
    return _dedupe([*stated, *picks])


def _each_named(question: str, scored: list[Scored], chosen: list[Scored], passages: list[Candidate]) -> list[Scored]:
    """ "Vilka åtgärdsområden har både Hagfors och Säffle valt?" is answered for each: for a name that no
    chosen unit (with its heading and its document's title) names, the best unit of a passage whose
    document's title names it, of the answer's first unit's kind if it has one (Säffle's list beside
    Hagfors's), a list whose heading names what the question asks for first."""
    names = joined_names(question)
    if len(names) < 2 or not chosen:
        return chosen
    out, asked = list(chosen), content_stems(asked_for(question))

    def title(s: Scored) -> str:
        return str(passages[s.cand.rank].doc.metadata.get("title", ""))

    for stems in map(content_stems, names):
        if any(_names(stems, f"{title(s)}\n{s.cand.unit.context}\n{s.cand.unit.text}") for s in out):
            continue
        own = [s for s in scored if _names(stems, title(s))]
        if own:
            out.append(
                max(own, key=lambda s: (s.cand.unit.kind == out[0].cand.unit.kind, _lists_asked(asked, s), s.score))
            )
    return _dedupe(out)


def opens_a_sentence(term: str, text: str) -> bool:
    """A sentence of the text opens with the term ("Etappmålen ska …" for "etappmål")."""
    return any(u.kind == "sentence" and _opens_with(_head(term), u.text) for u in split_units(text))


def _head(term: str) -> frozenset[str]:
    """The stems of a defined term's first word: what a sentence defining it opens with."""
    return content_stems(term.split()[0]) if term.split() else frozenset()


def _lists_asked(asked: set[str] | frozenset[str], s: Scored) -> float:
    """The list's heading or lead-in names the asked thing ("De fem fokusområdena"); one item naming it
    ("- …, nationell samordnare" among a press invitation's speakers) does not."""
    return _names(asked, f"{s.cand.unit.context}\n{s.cand.unit.text.splitlines()[0]}")


def _municipality(metadata: dict) -> str:
    name = str(metadata.get("municipality") or "").strip()
    return name if not name or re.search(r"\b(kommun|region|stad)$", name, re.IGNORECASE) else f"{name} kommun"


def _examples_lead_in(citations: list[Citation]) -> str:
    titles = "; ".join(_named(t, y) for t, y in dict.fromkeys((c.title, c.year) for c in citations))
    return f"Exempel från kommunerna, med vad de har gjort (källor: {titles}):"


def _named(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year and str(year) not in title else title


def _lead_in(citations: list[Citation]) -> str:
    sources = list(dict.fromkeys((c.title, c.year) for c in citations))
    if len(sources) == 1:
        return f"Enligt {_named(*sources[0])}:"
    return "Enligt " + "; ".join(f"{_named(t, y)}" for t, y in sources[:-1]) + f" och {_named(*sources[-1])}:"


# A step of a procedure told in prose says when it is taken ("i slutet av mars", "sedan varje år").
_TIMED = re.compile(
    rf"{_ASK_GIVES['när'].pattern}|\b(?:varje|vart|årlig\w*|sedan|därefter|slutligen|mandatperiod\w*)\b",
    re.IGNORECASE,
)
_PROSE_STEPS = 7  # units after the best one at most


def _timed_after(s: Scored, by_passage: dict[int, list[Scored]], passages: list[Candidate]) -> list[Scored]:
    """A procedure told in prose ("Varje år görs en uppföljning … i slutet av mars. … Regeringen
    sammanställer sedan …"): the sentences after the best one under its heading that say when, when
    at least two do, with what stands between them; on into the document's next chunk when it is
    among the passages."""
    doc = passages[s.cand.rank].doc.metadata
    nxt = next(
        (
            r
            for r, p in enumerate(passages)
            if p.source == doc.get("source") and p.doc.metadata.get("chunk_index") == doc.get("chunk_index", 0) + 1
        ),
        None,
    )
    units = by_passage[s.cand.rank][s.cand.index + 1 :] + (by_passage.get(nxt, []) if nxt is not None else [])
    after = list(takewhile(lambda t: t.cand.unit.context == s.cand.unit.context, units))
    after = after[:_PROSE_STEPS]
    timed = [i for i, t in enumerate(after) if t.cand.unit.kind == "sentence" and _TIMED.search(t.cand.unit.text)]
    return after[: timed[-1] + 1] if len(timed) >= 2 else []  # what goes between tells who does it


_A_COUNT = re.compile(rf"\b(?:{_SEVERAL})\b", re.IGNORECASE)


def _counts_beside_dates(text: str) -> bool:
    """A count of more than one besides dates and years ("Tretton etappmål", "25 myndigheter")."""
    return bool(_A_COUNT.search(YEAR.sub("", DATE.sub("", text))))


# Words inside a sentence that refer to what the sentence before said.
_REFERS_TO_BEFORE = re.compile(r"\b(?:på så (?:vis|sätt)|därför|därmed|i stället|dessutom|också)\b", re.IGNORECASE)


def _without_gaps(chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """One sentence left out between two quoted under one heading is quoted too when the second refers
    back to it ("Under den första perioden skrevs specifika åtgärder in …" and "… hoppas man att
    aktörerna på så vis ska samarbeta …" without "Nu skrivs i stället åtgärdsområden in.")."""
    by_passage = _by_passage(scored)
    out = list(chosen)
    for s in chosen:
        units = by_passage[s.cand.rank]
        gap = units[s.cand.index + 1 : s.cand.index + 3]
        if (
            len(gap) == 2
            and gap[1] in chosen
            and (PRONOUN_START.search(gap[1].cand.unit.text) or _REFERS_TO_BEFORE.search(gap[1].cand.unit.text))
            and gap[0] not in out
            and gap[0].cand.unit.kind == s.cand.unit.kind == gap[1].cand.unit.kind == "sentence"
            and gap[0].cand.unit.context == s.cand.unit.context == gap[1].cand.unit.context
            # not someone's words, nor a pointer to where to read, which are left out for their own sake
            and not _SAID.search(gap[0].cand.unit.text)
            and not _POINTS_ELSEWHERE.search(gap[0].cand.unit.text)
            and not gap[0].cand.unit.text.rstrip().endswith(":")
        ):
            out.append(gap[0])
    return out


def _with_what_came_before(chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """ "Det …", "De …", "just den …" need the sentence before (which may need its own), and so does a
    list whose lead-in sentence opens so ("De säger …, men de återger inte:"), however it was chosen."""
    by_passage = _by_passage(scored)
    out = list(chosen)
    for s in out:
        unit = s.cand.unit
        lead = unit.text.split("\n", 1)[0]
        led = unit.kind == "list" and lead.rstrip().endswith(":") and not _DETERMINER.match(lead)
        if (unit.kind == "sentence" or led) and s.cand.index > 0 and PRONOUN_START.search(unit.text):
            prev = by_passage[s.cand.rank][s.cand.index - 1]
            if prev.cand.unit.kind == "sentence" and prev.cand.unit.context == unit.context and prev not in out:
                out.append(prev)
    return out


def _with_what_goes_on(chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """Each quoted sentence's next one, when it goes on about the same thing ("Detta gäller för de
    sektorer som inte ingår …" after a target, "De bidrar till att minska övergödning …" after "andra
    egenskaper"): left out, it would leave the quote saying less, or more, than its text."""
    by_passage = _by_passage(scored)
    out = list(chosen)
    for s in chosen:
        after = _next_under_heading(s, by_passage, "sentence")
        if after is not None and PRONOUN_START.search(after.cand.unit.text) and after not in out:
            out.append(after)
    return _dedupe(out)


def _by_passage(scored: list[Scored]) -> dict[int, list[Scored]]:
    """The scored units of each passage (by rank), in document order."""
    out: dict[int, list[Scored]] = {}
    for s in scored:
        out.setdefault(s.cand.rank, []).append(s)
    return out


def _next_under_heading(s: Scored, by_passage: dict[int, list[Scored]], kind: str) -> Scored | None:
    """The unit right after a sentence, when it is of `kind` and under the same heading."""
    after = by_passage[s.cand.rank][s.cand.index + 1 : s.cand.index + 2]
    same = after and after[0].cand.unit.kind == kind and after[0].cand.unit.context == s.cand.unit.context
    return after[0] if s.cand.unit.kind == "sentence" and same else None


_STATES_DIFFERENCE = re.compile(r"\bskillnad(?:en|erna)?\s+(?:mot|från|mellan)\b|\btill skillnad från\b", re.IGNORECASE)
# A pronoun, not an article: at the end of the ask or before a preposition or particle ("vem samordnar den
# i Sverige", "hur följs det upp"), not "den allra första uppsättningen".
_REFERS_BACK = re.compile(
    r"\b(?:den|det|dem|dess|denna|detta|dessa)\b"
    r"(?=\s*(?:[?.!,;]|$)|\s+(?:i|på|till|med|för|av|om|upp|ut|fram|och|nu|idag)\b)",
    re.IGNORECASE,
)
_PROPOSED = re.compile(r"\bföreslå\w*|\bförslag\w*|\bföreslog\w*", re.IGNORECASE)
_ASKS_WHAT = re.compile(r"vad\b", re.IGNORECASE)
_DEFINING = re.compile(
    r"^\S+(?:,[^,]{0,80},)?(?:\s+\S+){0,3}?\s+"
    r"(?:är|innebär|betyder|avser|kallas|ger|omfattar|syftar|definieras|står för|handlar om)\b",
    re.IGNORECASE,
)


def _opens(passage: Candidate, term: str) -> bool:
    """The passage opens a document named after the term."""
    meta = passage.doc.metadata
    return meta.get("chunk_index") == 0 and named_after(term, str(meta.get("title", "")))


def _is_term(term: frozenset[str], heading: str) -> bool:
    """The (innermost) heading is the term and nothing else: "Etappmålen" for "etappmål"."""
    stems = content_stems(heading.split(" > ")[-1])
    return bool(stems) and all(found(stem, term) for stem in stems)


def _defines(term: frozenset[str], unit: Unit) -> bool:
    """A sentence that opens with the term (its first word: "Sjöar och vattendrag är …" does not define
    "Levande sjöar och vattendrag") and says what it is ("Miljöövervakning ger en lägesbeskrivning …")."""
    return unit.kind == "sentence" and _opens_with(term, unit.text) and bool(_DEFINING.search(unit.text))


# "Som kompletterande åtgärder får räknas: …", "Med miljöövervakning avses …": what counts as the thing.
_COUNTS_AS = re.compile(r"^(?:som|med)\s+(.{3,80}?)\s+(?:får\s+)?(?:räknas|avses|menas)\b", re.IGNORECASE)


def _counts_as(term: frozenset[str], unit: Unit) -> bool:
    """A sentence or list that opens by saying what counts as the term."""
    match = _COUNTS_AS.match(unit.text)
    return bool(term and match) and all(found(t, content_stems(match.group(1))) for t in term)


def _opens_with(term: frozenset[str], text: str) -> bool:
    """The text's first word is the term's ("Etappmålen …" for "etappmål")."""
    opening = content_stems(text.split(maxsplit=1)[0]) if text.split() else frozenset()
    return bool(term and opening) and any(found(t, opening) for t in term)


def _item_opens_with(term: frozenset[str], unit: Unit) -> bool:
    """An item of the list opens with the term."""
    return any(_opens_with(term, item) for item in item_texts(unit.text))


def _counts(asked: str, text: str) -> bool:
    """The text gives a number of the asked thing: "163 åtgärder" or "15 av Värmlands kommuner" for
    "åtgärder" and "kommuner"."""
    stems = content_stems(asked)
    if not stems:
        return False
    stem = re.escape(min(stems, key=len)[:5])
    return bool(re.search(rf"\b\d[\d\s]*\s+(?:\w+\s+){{0,2}}{stem}", text, re.IGNORECASE))


def _figures(text: str) -> dict[str, set[str]]:
    """The figures a text gives, by what they count: {"miljökv": {"15"}, "åtgärd": {"163"}}. Years are
    dates, not figures; a measure ("85 procent", "400 miljoner kronor") says what it measures only in
    the words around it, so two such figures may be about different things and are not compared."""
    out: dict[str, set[str]] = {}
    for number, word in _FIGURE.findall(text):
        number, key = number.strip(" ,."), word.lower()[:6]
        if not YEAR.fullmatch(number) and key not in _MEASURES:
            out.setdefault(key, set()).add(number)
    return out


def _measures(text: str) -> set[str]:
    """What a text's figures measure ("procen" for "63 procent")."""
    return {word.lower()[:6] for _, word in _FIGURE.findall(text)} & _MEASURES


# "… framgår inte av det underlag som faktabladet bygger på": what the documents say they do not tell.
_WHICH_UNKNOWN = re.compile(r"\s*vilk(?:a|en|et)\b.*\b(?:framgår|anges|nämns|redovisas)\s+inte\b", re.IGNORECASE)


def _says_unknown(question: str, scored: list[Scored]) -> Scored | None:
    """The best sentence saying that the things a "vilka …" question asks for are not told, in its words
    ("Vilka tre kommuner som presenterade exempel … framgår inte …" for "Vilka tre kommuner visade upp …?")."""
    thing = asked_for(question)
    if not thing or not re.search(rf"\bvilk(?:a|en|et)\b[^?]*?\b{re.escape(thing)}", question, re.IGNORECASE):
        return None
    stems = content_stems(thing)
    saying = [
        s
        for s in scored
        if s.cand.unit.kind == "sentence" and _WHICH_UNKNOWN.match(s.cand.unit.text) and _names(stems, s.cand.unit.text)
    ]
    return max(saying, key=lambda s: s.score, default=None)


def _each_measured(
    chosen: list[Scored], scored: list[Scored], passages: list[Candidate], close: Callable[[Scored], bool]
) -> list[Scored]:
    """A comparison quoting a measured figure from one document ("… minst 63 procent lägre än utsläppen
    1990") quotes the same measure from each other document it quotes ("… minska med minst 60 procent
    jämfört med 2005"): that document's best close unit giving one, when none of its quotes does."""
    quoted: dict[str, set[str]] = {}
    for s in chosen:
        quoted.setdefault(passages[s.cand.rank].source, set()).update(_measures(s.cand.unit.text))
    wanted = set().union(*quoted.values())
    out = list(chosen)
    for source, measures in quoted.items():
        giving = [
            s
            for s in scored
            if not measures and passages[s.cand.rank].source == source and _measures(s.cand.unit.text) & wanted
        ]
        if giving and close(best := max(giving, key=lambda s: s.score)):
            out.append(best)
    return out


_MEASURES = {
    "procen", "kronor", "kr", "miljon", "miljar", "tusen", "ton", "kilo", "grader", "gånger", "dagar", "månade",
    "veckor", "timmar", "timme", "kilome", "meter", "hektar",
}  # fmt: skip


def _newest_now(
    question: str, scored: list[Scored], chosen: list[Scored], retrieved: list[Candidate]
) -> tuple[list[Scored], int] | None:
    """ "Vem är ordförande i Miljömålsberedningen nu?" answered from an older document while a newer one
    was retrieved about as well (`_LIKE_RETRIEVED` of the best passage's score): what the newest says
    goes first (2025's list of members, not 2023's press release), its lists under a heading naming the
    question's words ("Ordförande") or else its best unit, with that document's year."""
    if not chosen or not retrieved:
        return None
    well = _well_retrieved(retrieved)
    years = [int(p.doc.metadata["year"]) for p in retrieved if p.source in well and p.doc.metadata.get("year")]
    first = chosen[0].cand.rank
    if not years or first >= len(retrieved) or int(retrieved[first].doc.metadata.get("year") or 0) >= max(years):
        return None
    newest = {p.source for p in retrieved if p.source in well and p.doc.metadata.get("year") == max(years)}
    own = [s for s in scored if s.cand.rank < len(retrieved) and retrieved[s.cand.rank].source in newest]
    if not own:
        return None
    focus = focus_stems(question)
    headed = [
        s for s in own
        if s.cand.unit.kind == "list" and any(found(t, content_stems(s.cand.unit.context)) for t in focus)
    ]  # fmt: skip
    return headed or [max(own, key=lambda s: s.score)], max(years)


def _newest_first(order: list[int], chosen: list[Scored], passages: list[Candidate]) -> tuple[list[int], str]:
    """When sources of different years give different figures of the same thing ("15
    miljökvalitetsmål" and "16 miljökvalitetsmål"), the newest source goes first and the answer
    says so; an older figure is never the one presented first."""
    years = {rank: passages[rank].doc.metadata.get("year") for rank in order}
    figures = {rank: _figures(" ".join(s.cand.unit.text for s in chosen if s.cand.rank == rank)) for rank in order}
    dated = [r for r in order if years[r]]
    disagree = [
        (a, b)
        for a in dated
        for b in dated
        if years[a] < years[b] and any(figures[a][m] != figures[b][m] for m in figures[a].keys() & figures[b].keys())
    ]
    if not disagree:
        return order, ""
    newest = sorted(order, key=lambda r: -(years[r] or 0))
    old = min(years[a] for a, _ in disagree)
    new = max(years[b] for _, b in disagree)
    note = f"Källorna anger olika uppgifter; den nyaste källan ({new}) visas först och gäller före den äldre ({old})."
    return newest, note


def _counted_list(s: Scored, scored: list[Scored], sources: list[str], question: str = "") -> Scored | None:
    """The list a sentence counts ("väljer bland sju prioriterade åtgärdsområden"): a list of the same
    document with exactly that many items whose lead-in or heading names the counted thing. Given a
    `question` that asks for no list or count, only a list of something it names: the 16 objectives
    counted in a sentence on the generational goal are no answer to what that goal is."""
    if s.cand.unit.kind != "sentence":
        return None
    for match in _COUNTED.finditer(s.cand.unit.text):
        number = match.group(1).lower()
        n = count_of(number)
        stem = match.group(2).lower()[:6]
        if question and stem not in question.lower():
            continue
        for t in scored:
            if sources[t.cand.rank] == sources[s.cand.rank] and _lists(t.cand.unit, n, stem):
                return t
        # Or a sentence of the same document naming them ("I de tre strategierna behandlas A, B samt C").
        for t in scored:
            if (
                t is not s
                and t.cand.unit.kind == "sentence"
                and sources[t.cand.rank] == sources[s.cand.rank]
                and _enumerates(t, f"{match.group(1)} {match.group(2)}")
            ):
                return t
    return None


def _lists(unit: Unit, n: int, stem: str) -> bool:
    """The unit is a list of n items whose lead-in or heading names the thing (its first six letters)."""
    return (
        unit.kind == "list"
        and list_items(unit.text) == n
        and stem in f"{unit.context}\n{unit.text.splitlines()[0]}".lower()
    )


# "… nämner fyra nyckelfaktorer …. Vilka är de?": a count and the thing counted, as the question puts it.
_ASKED_COUNT = re.compile(rf"\b({_SEVERAL})\s+((?:{ADJECTIVE})?[a-zåäöé]\w{{3,}})", re.IGNORECASE)


def _enumerates(s: Scored, counted: str) -> bool:
    """The unit names the counted things ("fem områden") after counting them, maybe by their compound's
    head ("I de tre strategierna behandlas A, B samt C" names "tre åtgärdsstrategier")."""
    count, *words = counted.split()
    text = s.cand.unit.text
    # not a sentence saying they are not named ("Vilka tre kommuner som presenterade exempel … framgår inte")
    if not words or NOT_STATED.search(text):
        return False
    head = next(iter(content_stems(words[-1])), "")
    for match in re.finditer(rf"\b{re.escape(count)}\s+(\w+)", text, re.IGNORECASE):
        said = next(iter(content_stems(match.group(1))), "")
        if said and min(len(said), len(head)) >= 5 and (head.endswith(said) or said.endswith(head)):
            return names_counted(count, match.group(1), text)
    return False


def _unlisted(question: str, scored: list[Scored], chosen: list[Scored]) -> str:
    """The counted things a list question asks for that the documents name ("fyra nyckelfaktorer")
    but list nowhere: no list of that many items whose lead-in or heading names them. "" otherwise."""
    texts = [s.cand.unit.text for s in scored]
    for match in _ASKED_COUNT.finditer(question):
        number, words = match.groups()
        n, stem = count_of(number), words.split()[-1].lower()[:6]
        # As the documents put it: "sex tematiska fokusområden" for "de sex tematiska fokusområdena".
        counted = re.compile(rf"\b{number}\s+(?:\w+\s+)?{re.escape(stem)}\w*", re.IGNORECASE)
        named = next((m.group(0) for t in texts if (m := counted.search(t))), "")
        if n > 1 and named and not any(_lists(s.cand.unit, n, stem) or _enumerates(s, named) for s in scored):
            return named
    # "Vilka svenska kommuner har miljözon …?" answered first by a count of them ("… har införts av åtta
    # svenska kommuner") and by no list: the count is all the documents say.
    thing = asked_for(question)
    stem = thing.lower()[:6]
    # A list quoted under a lead-in or heading naming the thing lists them (another list, of proposals, does not).
    listed = any(
        s.cand.unit.kind == "list" and stem in f"{s.cand.unit.context}\n{s.cand.unit.text.splitlines()[0]}".lower()
        for s in chosen
    )
    if not thing or _ASKED_COUNT.search(question) or listed:
        return ""
    counting = re.compile(rf"\b({_SEVERAL})\s+(?:\w+\s+)?{re.escape(stem)}\w*", re.IGNORECASE)
    for match in (m for s in chosen for m in counting.finditer(s.cand.unit.text)):
        n = count_of(match.group(1))
        if n > 1 and not any(_lists(s.cand.unit, n, stem) or _enumerates(s, match.group(0)) for s in scored):
            return match.group(0)
    return ""


def _dedupe(picks: list[Scored]) -> list[Scored]:
    """Overlapping chunks repeat sentences and lists, and near-copies of a page say them again in
    other words ("Miljödepartementet" for "Miljö- och energidepartementet"): never show one twice. A
    unit of three content words or more that are mostly (80 %) in one already shown adds nothing."""
    out: list[Scored] = []
    for s in picks:
        stems = content_stems(s.cand.unit.text)
        overlaps = any(
            o.cand.rank == s.cand.rank and o.cand.unit.start < s.cand.unit.end and s.cand.unit.start < o.cand.unit.end
            for o in out
        )
        # A short sentence says its own thing in few words ("De behandlas inte här."), however common.
        repeats = len(stems) >= 3 and any(len(stems & content_stems(o.cand.unit.text)) >= 0.8 * len(stems) for o in out)
        if overlaps or repeats:
            continue
        out.append(s)
    return out

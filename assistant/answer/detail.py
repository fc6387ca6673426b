"""A question that asks for a detail of a particular kind (what something costs, on which page, by
how many per cent, how often, on which date) is answered only by a sentence that gives such a detail about the
question's topic. When the documents name the topic but never give the detail ("Hur stor budget har
Hagfors avsatt för pollinering?" over a page that names the pollination work but no sum), quoting
the nearby sentences would look like an answer; the honest answer is that the documents do not say.

The patterns are narrow on purpose: each asks form was checked against the questions of the fit
side of ../shared/swequad-dev whose gold answer it would have to find (evals/FITTED.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from assistant.answer.coverage import focus_stems, found
from assistant.answer.intent import ADJECTIVE, COUNT_WORD, asked_for, count_of
from assistant.answer.units import split_units
from assistant.domain import Candidate
from assistant.retrieval.scoring import content_stems
from assistant.retrieval.terms import TermWeights
from ingest.swedish import YEAR

MONTH = r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
# A date to the day or the month ("25 september 2014", "2022-02-22", "mars 2018"), not a season or a year.
# A match takes the year with the day when there is one ("25 september 2014").
DATE = re.compile(
    rf"\b\d{{1,2}}(?::[ae])? {MONTH}(?: \d{{4}})?\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{MONTH} \d{{4}}\b", re.IGNORECASE
)


class Gives(Protocol):
    """What gives a detail: a pattern, or a matcher with the same `search`."""

    def search(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class Detail:
    name: str  # what the documents do not give, as the refusal says it ("kostnad eller belopp")
    asks: re.Pattern[str]
    gives: Gives
    # The nearby sentences still answer part of it (a remit says what was to be proposed), so the
    # answer quotes them and says what is missing rather than refusing.
    partial: bool = False
    # How much of the question's topic the giving sentence (with its title) must name; any of it by
    # default. A proposal must be about the inquiry asked of, not one sharing a word ("översyn").
    topic_share: float = 0.0
    # Sentences that say what was to be done rather than what came of it (a remit, for what was
    # proposed): no answer to quote beside the detail.
    beside: Gives | None = None
    # The giving sentence (with its heading and title) must name the topic's rarest word: the common
    # words of "presenterade goda exempel vid undertecknandet 2022" are named by any sentence on the
    # signing.
    rarest: bool = False


# Saying what an inquiry was to propose: "Utredaren ska …", "I uppdraget ingår att lämna förslag till …".
_OWN_REMIT = re.compile(
    r"\b(?:ska|skall|bör)\s+(?:\w+\s+){0,3}(?:föreslå|lämna\s+förslag|redovisa\s+förslag)|\butredaren\b|"
    r"\bdirektiv\w*|\buppdras\b|\b(?:har|hade|haft)\s+(?:\w+\s+)?i uppdrag\b|"
    r"\batt (?:\w+ ){0,2}(?:lämna|ta fram|redovisa) förslag",
    re.IGNORECASE,
)
_ASSIGNMENT = re.compile(r"\buppdrag\w*", re.IGNORECASE)
# What came of it, said as such: "Förslaget är att regeringen … ger länsstyrelserna ett tydligare uppdrag …"
# is a proposal, though it names an assignment.
_STATES_PROPOSAL = re.compile(
    r"\bförslaget (?:är|innebär)\b|\b(?:föreslår|föreslås|föreslog|föreslogs)\b|\blämnas (?:\w+ ){0,3}förslag",
    re.IGNORECASE,
)


class _Remit:
    """A sentence saying what was to be proposed, not what was."""

    def search(self, text: str) -> bool:
        return bool(_OWN_REMIT.search(text)) or (bool(_ASSIGNMENT.search(text)) and not _STATES_PROPOSAL.search(text))


_REMIT = _Remit()


class _Proposing:
    """Gives what was proposed: a sentence with a proposal in it that is not the remit to make one
    ("Utredningen har haft i uppdrag att … föreslå …" says what was asked for, not what came of it)."""

    _PROPOSAL = re.compile(r"\bföreslå\w*|\bförslag\w*", re.IGNORECASE)

    def search(self, text: str) -> bool:
        return bool(self._PROPOSAL.search(text)) and not _REMIT.search(text)


# A date, or a season of a year ("hösten 2027"); not a bare year, which may be a target ("till 2030").
_WHEN = re.compile(rf"{DATE.pattern}|\b(?:våren|sommaren|hösten|vintern|början av|slutet av) \d{{4}}\b", re.IGNORECASE)


class _Upcoming:
    """Gives when something next happens: a date, month or season of a year not yet past ("i mars 2027",
    "hösten 2027"); a date without a year may be the next one."""

    def search(self, text: str) -> bool:
        for match in _WHEN.finditer(text):
            year = YEAR.search(match.group(0))
            if year is None or int(year.group(0)) >= date.today().year:
                return True
        return False


DETAILS = (
    Detail(
        "kostnad eller belopp",
        re.compile(
            r"\b(?:vad|hur mycket) (?:kostar|kostade|kommer \w+ (?:att )?kosta)\b|"
            r"\b(?:kostar|kostade) det\b|\bär det (?:gratis|kostnadsfritt)\b|\b(?:någon|en) avgift\b|"
            r"\b(?:vad|hur stor) (?:är|var|blir) kostnaden\b|\bhur (?:stor|stort|stora) (?:summa|budget|kostnad|"
            r"belopp|bidrag|anslag|ersättning)\b|\b(?:vilket|vilken) (?:belopp|summa|budget|ersättning)\b|"
            # "Hur många kronor avsätts …" asks for a sum, not for a count of something.
            r"\bhur många (?:kronor|miljoner|miljarder)\b|"
            # "Hur mycket av de pengarna fördelas via Lona …": a share of a sum is a sum.
            r"\bhur mycket (?:av (?:de|dessa|det|detta) )?(?:pengar\w*|bidrag\w*|stöd\w*|medel|medlen|anslag\w*|"
            r"ersättning\w*|summan)\b|"
            # "… något ekonomiskt bidrag, och hur mycket i så fall?": how much of the money asked about
            r"\bekonomisk\w* .{0,60}\bhur mycket\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d[\d\s,.]*\s*(?:kr\b|kr\.|kronor|sek\b|msek|mkr|mnkr|tkr|miljon|miljard|euro|€|dollar)|"
            r"\b(?:gratis|kostnadsfri|kostnadsfritt|avgiftsfri|avgiftsfritt|ingen (?:avgift|kostnad))\b",
            re.IGNORECASE,
        ),
        # About the question's thing, not a sum for something sharing its common words ("genomföra
        # åtgärder" in another programme's budget): its rarest word or half of its topic.
        topic_share=0.5,
    ),
    Detail(
        "antal sidor eller sidnummer",
        re.compile(r"\bhur många sidor\b|\bsidnummer\b|\bvilken sida i (?!webb)|\bvilka sidor i\b", re.IGNORECASE),
        re.compile(r"\b(?:sid(?:an|orna|a)?|s\.)\s*\d+|\b\d+\s*(?:sidor|s\.)(?!\w)", re.IGNORECASE),
    ),
    Detail(
        "andel eller förändring i siffror",
        re.compile(
            r"\bhur många procent\b|\bhur stor (?:andel|del|minskning|ökning|förändring)\b|\bvilken procent|"
            r"\bmed hur mycket\b|\bsiffr\w* på hur (?:mycket|stor)\b|"
            r"\bhur mycket (?:har|hade|ska|skulle)\b.{0,60}?\b(?:minsk|ök|sjunk|stig|förändr)\w*",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d+(?:[,.]\d+)?\s*(?:%|procent)|\b(?:hälften|halver\w*|fördubbl\w*|en (?:tredjedel|fjärdedel))\b|"
            r"\bvar (?:tredje|fjärde|femte|tionde)\b|\d[\d\s,.]*\s*(?:miljoner |tusen )?(?:ton|kton|kilo|kg)\b",
            re.IGNORECASE,
        ),
    ),
    Detail(
        "vad som föreslogs",
        re.compile(
            r"\b(?:vad|vilka|vilken|vilket)\s+(?:\w+\s+){0,2}?(?:föreslog|föreslår|föreslogs|föreslås|föreslagits)\b|"
            r"\bvad har \w+ föreslagit\b|\bvilka förslag\b|\bvad (?:blev|var|är) (?:förslaget|förslagen)\b|"
            r"\b[A-ZÅÄÖ]?\w+(?:ens|ningens|ets|arens)\s+förslag\b",  # "Miljömålsberedningens förslag till …"
            re.IGNORECASE,
        ),
        _Proposing(),
        partial=True,
        topic_share=0.5,
        beside=_REMIT,
    ),
    Detail(
        "hur ofta det sker",
        re.compile(r"\bhur ofta\b", re.IGNORECASE),
        re.compile(
            r"\b(?:\d+|en|två|tre|fyra|fem|sex)\s+gång(?:er)?\b|\b(?:varje|per)\s+(?:år|månad|vecka|dag|kvartal|termin)\b|"
            r"\bvart(?:\s+(?:annat|tredje|fjärde|femte))?\s+år\b|\bvarannan\s+(?:månad|vecka|dag)\b|"
            r"\b(?:årligen|dagligen|månadsvis|kvartalsvis|veckovis|löpande|kontinuerligt|regelbundet)\b",
            re.IGNORECASE,
        ),
    ),
    Detail("datum", re.compile(r"\bvilket datum\b|\bsista dag(?:en)? för\b", re.IGNORECASE), DATE),
    # "När ska nästa omgång skrivas under?": the last one's date is no answer.
    Detail("när det sker nästa gång", re.compile(r"\bnär (?:\w+ ){1,2}?nästa\b", re.IGNORECASE), _Upcoming()),
    # "Vilken placering fick Sverige i SDG-indexet?": a rank ("plats 3", "tredje plats", "placerade sig fyra").
    Detail(
        "placering eller rangordning",
        re.compile(
            r"\b(?:vilken|vilket) (?:placering|rank\w*)\b|\bvilken plats (?:fick|kom|hamnade)\b|\bvar hamnade\b|"
            r"\bhur (?:högt|långt ner) (?:rankades|hamnade)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:plats|placering)(?:en)?\s+(?:nummer\s+)?\d+|\b(?:\d+:[ae]|första|andra|tredje|fjärde|femte|sjätte|"
            r"sjunde|åttonde|nionde|tionde)\s+plats|\bplacerade sig\b|\brankad\w*\s+(?:som\s+)?(?:nummer\s+)?\d+",
            re.IGNORECASE,
        ),
    ),
    # "Vilket telefonnummer/vilken e-postadress har …": the number or the address itself.
    Detail(
        "telefonnummer eller e-postadress",
        re.compile(r"\btelefonnummer\w*|\be-?post(?:adress\w*)?\b|\bmejladress\w*|\bmailadress\w*", re.IGNORECASE),
        re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b0\d{1,3}[-\s]?\d{2,3}[\s-]?\d{2}[\s-]?\d{2}\b|\+46", re.IGNORECASE),
    ),
)


# A number that is not a year, in digits or words.
_NUMBER = re.compile(
    r"\b(?!(?:19|20)\d\d\b)\d+|\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|"
    r"sexton|tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio|hundra|tusen)",
    re.IGNORECASE,
)
# "Hur många X" as the question's ask, opening it or a clause of its own (not "Var står det hur många …").
_HOW_MANY = re.compile(r"(?:^\W*|[,;]\s*|\boch\s+)hur många\s+(?:\w+\s+){0,2}?\w+", re.IGNORECASE)


class _Counting:
    """Gives a number of the asked thing: a number next to a word for the thing ("97 av åtgärderna",
    "12 kommuner", "kommunerna är 12", "antogs 300"), other than the numbers the question states
    ("Hur många av de 163 åtgärderna …" is not answered by 163). "Hur många av åtgärderna hade genomförts
    …?" asks for a part of them: only a part answers ("97 av åtgärderna", "80 procent av åtgärderna"),
    not how many there were ("163 åtgärder")."""

    def __init__(self, asked: str, question: str = "") -> None:
        stems = content_stems(asked)
        self.stated = {m.group(0).lower() for m in _NUMBER.finditer(question)}
        # The thing as a word or a compound's head ("åtgärderna", "medlemskommuner"; not "åtgärdsområden").
        thing = r"\w*(?:" + "|".join(re.escape(s) for s in stems) + r")\w{0,5}\b"
        number = rf"(?:{_NUMBER.pattern})[\d\s]*"
        part = re.search(rf"\bhur många av\s+(?:de\s+|dessa\s+)?{re.escape(asked)}\b", question, re.IGNORECASE)
        self.near = (
            re.compile(
                rf"({number})\s+(?:procent\s+)?av\s+(?:\S+\s+){{0,2}}?{thing}"
                if part
                else rf"({number})\s+(?:(?!\d)\S+\s+){{0,3}}?{thing}|{thing}\s+(?:(?!\d)\S+\s+){{0,4}}?({number})",
                re.I,
            )
            if stems
            else None
        )

    def search(self, text: str) -> bool:
        if self.near is None:
            return False
        return any(
            next(g for g in m.groups() if g).strip().lower() not in self.stated for m in self.near.finditer(text)
        )


# "Vilka tre kommuner …" asks for the three, by name.
# "Vilka är de fyra nyckelfaktorerna …", "Vad säger de fem etappmålen …" asks the same.
_WHICH_N = re.compile(
    # The thing may have an adjective before it ("de sex tematiska fokusområdena").
    rf"\b(?:vilka|(?:vilka|vad)\s+(?:är|var|säger|innebär|innehåller)\s+(de|dessa))\s+({COUNT_WORD})\s+"
    rf"((?:{ADJECTIVE})?\w{{4,}})",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+", re.MULTILINE)
_SEPARATOR = re.compile(r",\s*|\s+(?:och|samt|respektive)\s+")


class _Naming:
    """Names the N things asked for: a list of N items or more, or an enumeration of N parts or more;
    not a sentence or list item that repeats the question's "tre kommuner" without them ("Vid
    undertecknandet presenterade tre kommuner goda exempel"), unless an enumeration follows it."""

    def __init__(self, count: str, thing: str) -> None:
        self.count = count_of(count)
        stem = thing[: max(4, len(thing) - 3)]  # "fyra nyckelfaktorer" repeats "de fyra nyckelfaktorerna"
        self.repeat = re.compile(rf"\b{re.escape(count)}\s+{re.escape(stem)}\w*\b(?!\s*:)", re.IGNORECASE)

    def search(self, text: str) -> bool:
        items = _ITEM.split(text)[1:]  # a list's items, after its lead-in
        if len(items) >= self.count and not any(self.repeat.search(item) for item in items):
            return True
        repeat = self.repeat.search(text)
        if repeat is None:
            return len(_SEPARATOR.split(text)) >= self.count
        # "Bland de 16 miljökvalitetsmålen finns A, B och C" names some of them, which answers in part.
        rest = re.split(r"[.:;\n]", text[repeat.end() :], maxsplit=1)[0]  # in the same sentence or item
        return len(_SEPARATOR.split(rest)) >= min(3, self.count)


def names_counted(count: str, thing: str, text: str) -> bool:
    """The text names the things it counts: a list of that many, or an enumeration after the count in
    the same sentence ("… fem områden, nämligen ledarskap …, data … samt hållbar konsumtion …")."""
    return _Naming(count, thing).search(text)


def asked_detail(question: str) -> Detail | None:
    """The detail a question asks for; "Hur många X …" asks for a number of X, "Vilka tre X …" for
    the three by name, in a sentence about at least half of the question's topic."""
    detail = next((d for d in DETAILS if d.asks.search(question)), None)
    which = _WHICH_N.search(question)
    if detail is None and which:
        the, count, thing = which.groups()
        name = f"vilka de {count.lower()} {thing} är" if the else f"vilka {count.lower()} {thing} det gäller"
        return Detail(name, _WHICH_N, _Naming(count, thing), rarest=True)
    asked = asked_for(question)
    if detail is None and asked and _HOW_MANY.search(question):
        return Detail(f"antalet {asked.lower()}", _HOW_MANY, _Counting(asked, question))
    return detail


# "Vilka tre kommuner som presenterade exempel … framgår inte": a sentence saying the documents do not tell.
NOT_STATED = re.compile(r"\b(?:framgår|anges|nämns|redovisas|finns)\s+inte\b", re.IGNORECASE)


def gives_detail(detail: Detail, question: str, passages: list[Candidate], terms: TermWeights | None = None) -> bool:
    """Whether a sentence or list of the passages gives the detail and names something the question
    is about (beyond the words that ask for the detail); `terms` tell which word is rarest."""
    # "Vilka är de sex tematiska fokusområdena …": the things named are what the answer is about.
    asks = [
        m.group(0)[: m.start(3) - m.start()] if detail.asks is _WHICH_N else m.group(0)
        for m in detail.asks.finditer(question)
    ]
    asking = content_stems(" ".join(asks))
    topic = focus_stems(question) - asking
    rarest = max(sorted(topic), key=(terms or TermWeights({}, 0)).idf) if topic else ""
    for cand in passages:
        for unit in split_units(cand.doc.page_content):
            if (
                unit.kind in ("sentence", "list")
                and detail.gives.search(unit.text)
                and not NOT_STATED.search(unit.text)
            ):
                # A list's heading names what it lists ("De sju åtgärdsområdena").
                stems = content_stems(f"{cand.doc.metadata.get('title', '')}\n{unit.context}\n{unit.text}")
                if detail.rarest and rarest:
                    if found(rarest, stems):
                        return True
                    continue
                named = sum(found(t, stems) for t in topic)
                if not topic or (named and (named >= detail.topic_share * len(topic) or found(rarest, stems))):
                    return True
    return False


# "Vad står det på sidan 47 i vägledningen?": a page the question names, not one it asks for.
_NAMED_PAGE = re.compile(
    r"\b(?:på|från|sidan|sida|s\.)\s*(?:sidan\s+|sida\s+)?(\d{1,4})\b(?!\s*(?:sidor|%|procent))", re.IGNORECASE
)
_PAGE_WORD = re.compile(r"\bsid(?:an|a)\b|\bs\.\s*\d", re.IGNORECASE)


def named_page(question: str) -> int | None:
    """The page number a question points to ("på sidan 47", "s. 12"), if any."""
    if not _PAGE_WORD.search(question):
        return None
    match = _NAMED_PAGE.search(question)
    return int(match.group(1)) if match else None


def lies_on(metadata: dict, page: int) -> bool:
    """The chunk is on that page: by the number printed on it when the PDF prints page numbers of its
    own (the reader quotes those), else by the PDF's page index."""
    first = metadata.get("page")
    if first is None:
        return False
    labels = json.loads(metadata.get("page_labels") or "{}")
    return str(page) in labels.values() if labels else first <= page <= (metadata.get("page_end") or first)

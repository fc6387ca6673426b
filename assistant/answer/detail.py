"""A question that asks for a detail of a particular kind (what something costs, on which page, by
how many per cent, on which date) is answered only by a sentence that gives such a detail about the
question's topic. When the documents name the topic but never give the detail ("Hur stor budget har
Hagfors avsatt för pollinering?" over a page that names the pollination work but no sum), quoting
the nearby sentences would look like an answer; the honest answer is that the documents do not say.

The patterns are narrow on purpose: each asks form was checked against the questions of the fit
side of ../shared/swequad-dev whose gold answer it would have to find (evals/FITTED.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.coverage import focus_stems, found
from assistant.answer.intent import asked_for
from assistant.answer.units import split_units
from assistant.domain import Candidate
from assistant.retrieval.scoring import content_stems

_MONTH = r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
# A date to the day or the month ("25 september 2014", "2022-02-22", "mars 2018"), not a season or a year.
DATE = re.compile(rf"\b\d{{1,2}}(?::[ae])? {_MONTH}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{_MONTH} \d{{4}}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Detail:
    name: str  # what the documents do not give, as the refusal says it ("kostnad eller belopp")
    asks: re.Pattern[str]
    gives: re.Pattern[str] | _Counting  # anything with .search(text)


DETAILS = (
    Detail(
        "kostnad eller belopp",
        re.compile(
            r"\b(?:vad|hur mycket) (?:kostar|kostade|kommer \w+ (?:att )?kosta)\b|\bhur mycket pengar\b|"
            r"\b(?:vad|hur stor) (?:är|var|blir) kostnaden\b|\bhur (?:stor|stort|stora) (?:summa|budget|kostnad|"
            r"belopp|bidrag|anslag|ersättning)\b|\b(?:vilket|vilken) (?:belopp|summa|budget|ersättning)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d[\d\s,.]*\s*(?:kr\b|kr\.|kronor|sek\b|msek|mkr|mnkr|tkr|miljon|miljard|euro|€|dollar)|"
            r"\b(?:gratis|kostnadsfri|kostnadsfritt|avgiftsfri|avgiftsfritt|ingen (?:avgift|kostnad))\b",
            re.IGNORECASE,
        ),
    ),
    Detail(
        "antal sidor eller sidnummer",
        re.compile(r"\bhur många sidor\b|\bsidnummer\b|\bvilken sida i (?!webb)|\bvilka sidor i\b", re.IGNORECASE),
        re.compile(r"\b(?:sid(?:an|orna|a)?|s\.)\s*\d+|\b\d+\s*(?:sidor|s\.)(?!\w)", re.IGNORECASE),
    ),
    Detail(
        "andel eller förändring i siffror",
        re.compile(
            r"\bhur många procent\b|\bhur stor andel\b|\bvilken procent|\bmed hur mycket\b|"
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
        "datum",
        re.compile(
            r"\bvilket datum\b|\bnär (?:är|blir|hålls|sker|äger) nästa\b|\bsista dag(?:en)? för\b", re.IGNORECASE
        ),
        DATE,
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
    """Gives a number of the asked thing: a unit naming the thing ("kommuner", "antogs") with a number."""

    def __init__(self, asked: str) -> None:
        self.stems = content_stems(asked)

    def search(self, text: str) -> bool:
        return bool(_NUMBER.search(text)) and any(found(s, content_stems(text)) for s in self.stems)


def asked_detail(question: str) -> Detail | None:
    """The detail a question asks for; "Hur många X …" asks for a number of X."""
    detail = next((d for d in DETAILS if d.asks.search(question)), None)
    asked = asked_for(question)
    if detail is None and asked and _HOW_MANY.search(question):
        return Detail(f"antalet {asked.lower()}", _HOW_MANY, _Counting(asked))
    return detail


def gives_detail(detail: Detail, question: str, passages: list[Candidate]) -> bool:
    """Whether a sentence or list of the passages gives the detail and names something the question
    is about (beyond the words that ask for the detail)."""
    asking = content_stems(" ".join(m.group(0) for m in detail.asks.finditer(question)))
    topic = focus_stems(question) - asking
    for cand in passages:
        for unit in split_units(cand.doc.page_content):
            if unit.kind in ("sentence", "list") and detail.gives.search(unit.text):
                stems = content_stems(f"{cand.doc.metadata.get('title', '')} {unit.text}")
                if not topic or any(found(t, stems) for t in topic):
                    return True
    return False

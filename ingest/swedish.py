"""The Swedish text rules, in one place: words, years, stop words and sentence boundaries (with
character offsets). Chunking, BM25, answer units, question checks and the eval metrics share them."""

from __future__ import annotations

import re

from bm25s.stopwords import STOPWORDS_SWEDISH

WORD = re.compile(r"\w+")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Search: bm25s's Swedish list plus question words, which carry no topic; leaving them in makes
# every "Vilka …?" match every list.
STOPWORDS = frozenset(STOPWORDS_SWEDISH) | {"vilka", "vilken", "vilket", "hur", "varför", "när", "vad", "finns"}
# Claims (the eval metrics' word overlap): function words carry no claim, so overlap on them would
# make any sentence look supported. Kept apart from STOPWORDS: the support thresholds were set with it.
FUNCTION_WORDS = frozenset(
    """
    alla allt andra att av bara blev bli blir de dem den denna deras dess det detta dig din dina
    ditt du där efter ej eller en ett fler flera från för ha hade han hans har hela hon honom hur
    här i icke ingen inom inte jag ju kan kunde man med mellan men mer mest mig min mina mitt mot
    mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitt ska skall skulle
    som så sådan till under upp ut utan vad var vara varför varit vars vem vi vid vilka vilken
    vilket vill än är åt även över också enligt genom kommer finns får sätt både eftersom
    """.split()  # noqa: SIM905 - a word list reads better as text
)


# "miljö- eller hållbarhetsprogram" means "miljöprogram eller hållbarhetsprogram": Swedish leaves out
# the shared head of the first compound.
_ELISION = re.compile(r"\b(\w{2,})-\s+(?:och|eller|samt|respektive|som)\s+(\w{7,})", re.IGNORECASE)


def expand_elisions(text: str) -> str:
    """The text with every elided compound spelt out, for searching. Where the second compound
    splits is unknown, so each split leaving at least three letters before and four after is added
    ("miljöprogram", "miljösprogram", …): the non-words among them never match a query."""
    if "- " not in text:
        return text

    def spelt_out(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        return " ".join([match.group(0), *(first + second[i:] for i in range(3, len(second) - 3))])

    return _ELISION.sub(spelt_out, text)


def words(text: str) -> list[str]:
    """Lower-case words (letters and digits)."""
    return WORD.findall(text.casefold())


# A boundary is .!? (maybe a closing quote) + space + an upper-case letter, digit, quote or dash.
_BOUNDARY = re.compile(r"([.!?]+[\"”»)]?)\s+(?=[A-ZÅÄÖÉ0-9\"”»(–-])")
# "t.ex. Hagfors", "kap. 3", "(dir. 2010:74)": the dot of an abbreviation ends no sentence.
_ABBREV = re.compile(
    r"(?:\b(?:t\.ex|bl\.a|m\.m|s\.k|d\.v\.s|o\.s\.v|fr\.o\.m|t\.o\.m|p\.g\.a|jfr|kap|nr|ca|resp|dvs|osv|prop|skr|"
    r"rskr|dir|bet|inkl|exkl|enl)\.|\b\w\.)$",
    re.I,
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1))
        if _ABBREV.search(text[start:end]):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in sentence_spans(text)]

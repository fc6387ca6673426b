"""Question checks before retrieval: bad input, prompt injection, other languages."""

from __future__ import annotations

import re

from assistant.domain import QuestionError
from ingest.swedish import YEAR, words

MAX_QUESTION_CHARS = 1000

_TAG = re.compile(r"<[^>]{0,200}>")
# Script and style elements hold code, never words of the question.
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]{0,200}>.{0,2000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
_INJECTION = re.compile(
    r"(ignorera|strunta i|glöm|bortse från|skippa)\s+(alla\s+|dina\s+)?(tidigare|ovanstående|föregående|dina|alla)?\s*"
    r"(instruktioner|regler|anvisningar|direktiv)"
    r"|ignore\s+(all\s+)?(previous|prior|above|your)\s+(instructions|rules)"
    r"|system\s*-?prompt|du är nu\b|you are now\b|låtsas att du|jailbreak|utvecklarläge|developer mode",
    re.IGNORECASE,
)
_SWEDISH = {
    "och", "att", "det", "som", "en", "är", "av", "för", "med", "till", "den", "har", "de", "inte", "om",
    "ett", "på", "vad", "hur", "vilka", "vilken", "vilket", "när", "varför", "kan", "ska", "vi", "man", "i",
    "kommunen", "kommuner", "miljömål", "miljömålen", "vem", "var", "finns", "gäller", "eller", "så",
}  # fmt: skip
_ENGLISH = {
    "the", "what", "which", "how", "is", "are", "of", "and", "to", "in", "does", "do", "who", "when", "why",
    "can", "for", "with", "about", "please", "tell", "me", "you", "your", "should", "would", "could",
}  # fmt: skip


def clean_question(question: str) -> str:
    """The question as text to search for, or a QuestionError with a Swedish message."""
    if question is None or not question.strip():
        raise QuestionError("Frågan är tom. Skriv en fråga om miljömål, Agenda 2030 eller miljööverenskommelser.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"Frågan är för lång ({len(question)} tecken). Korta den till högst {MAX_QUESTION_CHARS} tecken."
        )
    text = " ".join(_TAG.sub(" ", _CODE_ELEMENT.sub(" ", question)).split())  # HTML in a question is never markup
    if not any(ch.isalpha() for ch in text):
        raise QuestionError("Frågan innehåller inga ord. Skriv frågan med ord, till exempel: Vad är generationsmålet?")
    return text


def refusal_reason(question: str) -> str | None:
    """Why a question must be refused before any search, or None."""
    if _INJECTION.search(question):
        return "instruktion"
    tokens = words(question)
    english = sum(t in _ENGLISH for t in tokens)
    swedish = sum(t in _SWEDISH for t in tokens) + sum(ch in "åäö" for ch in question.lower())
    if english >= 2 and swedish == 0:
        return "språk"
    return None


_EVERYWHERE = {"sverige", "sveriges"}
_ASKERS_ROLE = re.compile(r"\b(?:oss|vi|jag|mig|ni|er)\s+som\s+([^.?!,;:]{1,60})", re.IGNORECASE)
_SENTENCE_OPENER = re.compile(r"(?:^|[.!?:]\s+)\W*([\wåäöÅÄÖ-]+)")


def unmatched_names(question: str, passages_text: str) -> list[str]:
    """Names and years the question asks about that none of the passages mention: the passages can
    then only be about something else ("Arvika" when only Hagfors and Säffle are covered)."""
    from assistant.answer.rewrite import entities

    sequence = words(passages_text)
    haystack = set(sequence)
    openers = set(_SENTENCE_OPENER.findall(question))
    roles = " ".join(_ASKERS_ROLE.findall(question))
    missing = []
    for name in [*entities(question), *YEAR.findall(question)]:
        if name in openers:
            continue  # capitalised because it opens a sentence ("Fanns det …", "… i klimatmålen? Vi behöver …")
        if name in roles:
            continue  # what the asker is ("… påverkar oss som kommun och VA-huvudman"), not what is asked about
        if name.lower() in _EVERYWHERE:
            continue  # every document is about Sweden; a page need not say so to answer for it
        # Inflections and compounds: "Jordbruksverkets" ~ "jordbruksverk", "Säffles" ~ "säffle"; an EU
        # body without its "EU-" ("EU-kommissionens" ~ "kommissionen"), which its own texts leave out.
        # Not any hyphenated name by its last part: "Lona-bidrag" is not any "bidrag", nor "Lona" and "bidrag"
        # apart, but their words together; an abbreviation's compound ("RUS-vägledningen", "SOS-operatör") is
        # the abbreviation and the word anywhere ("RUS tog fram vägledningen").
        low = re.sub(r"^eu-", "", name.lower().strip("-"))
        parts = [_stem_of(p) for p in low.split("-") if p]
        apart = len(parts) == 1 or name.split("-", 1)[0].isupper()
        matched = (
            all(any(w.startswith(stem) for w in haystack) for stem in parts) if apart else _in_sequence(parts, sequence)
        )
        if not matched:
            missing.append(name)
    return missing


def _in_sequence(stems: list[str], sequence: list[str]) -> bool:
    """The stems start words that follow one another, a word between any two at most ("RUS:s vägledning")."""

    def follows(at: int, rest: list[str]) -> bool:
        if not rest:
            return True
        nxt = next((j for j in (at + 1, at + 2) if j < len(sequence) and sequence[j].startswith(rest[0])), None)
        return nxt is not None and follows(nxt, rest[1:])

    return any(word.startswith(stems[0]) and follows(i, stems[1:]) for i, word in enumerate(sequence))


def _stem_of(name: str) -> str:
    """Enough of a name to match its inflections and compounds by."""
    return name if len(name) <= 4 else name[: max(5, len(name) - 3)]


# A place that sets the question's scope: "Värmlands län", "Säffle kommun", "Region Värmland",
# "Länsstyrelsen i Dalarna", "i Karlstad" (not "i Agenda 2030").
_PLACE = re.compile(
    r"\b([A-ZÅÄÖ][\wåäö-]+?)s?\s+(?:län|kommun|kommuns|stad|stads)\b"
    r"|\b(?:Region|Länsstyrelsen i|Länsstyrelsen|[Ii])\s+([A-ZÅÄÖ][\wåäö-]+)\b(?!\s*\d)"
)


def named_places(question: str) -> list[str]:
    """The places a question's scope is set by, as `unmatched_names` reports names."""
    places = {a or b for a, b in _PLACE.findall(question)}
    return [n for n in unmatched_names(question, "") if any(n.startswith(p) for p in places)]

"""Text handling shared by the metrics: normalising, answer blocks, numbers and content words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.swedish import FUNCTION_WORDS

_SPACE = re.compile(r"\s+")  # \s covers NBSP and the other Unicode spaces in Python 3
_MARKERS_AT_END = re.compile(r"((?:\s*\[\d+\])+)\s*$")
_MARKER = re.compile(r"\[(\d+)\]")
# A number as written in Swedish text: "12", "2022", "1 000", "12,5", "30 %"/"30 procent".
_NUMBER = re.compile(r"(?<![\w,.])\d{1,3}(?:[  ]\d{3})+(?![\d])|(?<![\w])\d+(?:[,.]\d+)?(?!\d)")
_WORD = re.compile(r"[^\W\d_]+")


def normalize(text: str) -> str:
    """Case-folded, every run of whitespace (NBSP included) turned into one space."""
    return _SPACE.sub(" ", text).strip().casefold()


def strip_markers(text: str) -> str:
    return _SPACE.sub(" ", _MARKER.sub("", text)).strip()


@dataclass
class Block:
    """One block of an answer after the lead-in, with the citation numbers it ends with."""

    text: str  # without the trailing markers
    markers: list[int]


def split_answer(answer: str) -> tuple[str, list[Block]]:
    """The lead-in (first paragraph, when it ends with ':') and the blocks after it. A block runs
    up to the paragraph that ends with its citation markers, since one block (an intro line and its
    list, a heading and its list) may span paragraphs; trailing paragraphs without markers are
    uncited blocks of their own."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", answer.strip()) if p.strip()]
    lead = ""
    if paragraphs and strip_markers(paragraphs[0]).endswith(":"):
        lead = paragraphs.pop(0)
    blocks: list[Block] = []
    pending: list[str] = []
    for para in paragraphs:
        match = _MARKERS_AT_END.search(para)
        if not match:
            pending.append(para)
            continue
        text = "\n\n".join([*pending, para[: match.start()].strip()])
        blocks.append(Block(text, [int(n) for n in _MARKER.findall(match.group(1))]))
        pending = []
    blocks += [Block(para, []) for para in pending]
    return lead, blocks


def number_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of every number, year and percentage value in the text;
    normalised so "1 000" = "1000" and "12.5" = "12,5"."""
    return [(m.start(), m.end(), _SPACE.sub("", m.group(0)).replace(".", ",")) for m in _NUMBER.finditer(text)]


def numbers(text: str) -> set[str]:
    return {value for _, _, value in number_spans(strip_markers(text))}


def content_words(text: str) -> set[str]:
    return {w for w in (m.group(0).casefold() for m in _WORD.finditer(text)) if len(w) > 2 and w not in FUNCTION_WORDS}


def word_overlap(claim: str, support: str) -> float:
    """Share of the claim's content words that occur in the support (1.0 for a claim without any)."""
    words = content_words(claim)
    if not words:
        return 1.0
    available = content_words(support)
    return len(words & available) / len(words)


def fact_found(fact: str | list[str], text: str) -> bool:
    """A key fact (or any of its alternatives) occurs in the text, ignoring case and spacing."""
    alternatives = [fact] if isinstance(fact, str) else fact
    haystack = normalize(text)
    return any(normalize(alt) in haystack for alt in alternatives)

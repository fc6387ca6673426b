"""Line-level helpers shared by the text and PDF loaders: re-joining wrapped lines and
telling a heading line from a line of running text."""

from __future__ import annotations

import re

from ingest.clean import is_sentence

# A heading does not end on these (a wrapped sentence often does): "... arbetar med".
_FUNCTION_WORDS = frozenset(
    {
        "och", "eller", "samt", "men", "att", "som", "av", "för", "från", "i", "inom", "med", "mot", "om",
        "på", "till", "under", "vid", "en", "ett", "den", "det", "de", "dess", "deras", "är", "var", "har",
        "kan", "ska", "skall", "the", "and", "or", "of", "for", "to", "in", "on", "with", "a", "an", "by"
    }
)
# "miljö- och klimatarbetet": the hyphen belongs to a shortened compound, keep it.
_CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "till", "som", "and", "or"})
_URL = re.compile(r"https?://|www\.|\S@\S")


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, undoing hyphenation at line ends."""
    text = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("\u00ad"):
            text = text[:-1] + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            first_word = line.split()[0].casefold()
            if first_word in _CONJUNCTIONS:
                text += " " + line
            elif text[-2].islower() and line[0].islower():
                text = text[:-1] + line  # "miljö-\nmålen" -> "miljömålen"
            else:
                text += line  # "EU-\nkommissionen", "2030-\ntalet"
        else:
            text += " " + line
    return text


def looks_like_heading(text: str, max_words: int = 12) -> bool:
    """A short, title-like line: no sentence-final period, no trailing comma/colon, not ending on
    a function word, starting with a capital or a digit. '?' is allowed ("Hur jobbar vi?")."""
    words = text.split()
    if not words or len(words) > max_words or len(text) > 100:
        return False
    if text[-1] in ".,;:!…-–" or _URL.search(text) or " | " in text:
        return False
    first = text.lstrip("\"'”«(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return words[-1].casefold().strip("\"'”»)") not in _FUNCTION_WORDS


def ends_paragraph(text: str) -> bool:
    return is_sentence(text) or text.endswith(":")

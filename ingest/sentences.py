"""Swedish sentence boundaries with character offsets (shared by chunking and answer units)."""

from __future__ import annotations

import re

# A boundary is .!? (maybe a closing quote) + space + an upper-case letter, digit, quote or dash.
_BOUNDARY = re.compile(r"([.!?]+[\"”»)]?)\s+(?=[A-ZÅÄÖÉ0-9\"”»(–-])")
# "t.ex. Hagfors", "kap. 3": the dot of an abbreviation ends no sentence.
_ABBREV = re.compile(
    r"(?:\b(?:t\.ex|bl\.a|m\.m|s\.k|d\.v\.s|o\.s\.v|jfr|kap|nr|ca|resp|dvs|osv|prop|skr)\.|\b\w\.)$", re.I
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

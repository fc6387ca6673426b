"""Answer units of a passage: sentences, and whole lists together with their lead-in sentence.

Every unit keeps exact character offsets into the chunk text, so a citation can quote and
highlight precisely what the answer used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document

from assistant.retrieval.scoring import DenseScorer, content_stems, cosines, coverage
from ingest.embeddings import NamedEmbeddings
from ingest.swedish import sentence_spans

_BLOCK = re.compile(r"[^\n](?:.|\n(?!\n))*")  # runs of text separated by blank lines
_LIST_LINE = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


@dataclass
class Unit:
    start: int
    end: int
    text: str
    kind: str  # "sentence" | "list" | "heading"
    context: str = ""  # the nearest heading above the unit in the passage


def _is_heading(block: str) -> bool:
    """A lone short line without sentence end; a lone short question ("Hur jobbar vi?") is a heading
    too, since documents rarely put a one-line question paragraph in running text."""
    if "\n" in block or len(block) >= 90:
        return False
    return not re.search(r"[.!:;]\s*$", block) and (not block.rstrip().endswith("?") or len(block) < 70)


def _sentences(block: str, offset: int) -> list[Unit]:
    return [Unit(offset + a, offset + b, "", "sentence") for a, b in sentence_spans(block)]


_LEAD_IN = re.compile(r"(:|\b(nedan|följande|enligt följande))\W*$|\bnedan\b", re.IGNORECASE)


def _introduces_list(unit: Unit) -> bool:
    """A heading, or a sentence that announces what follows ("… följande områden:", "… enligt nedan")."""
    return unit.kind == "heading" or bool(_LEAD_IN.search(unit.text))


def split_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    heading = ""
    for match in _BLOCK.finditer(text):
        block = match.group(0).rstrip()
        start = match.start()
        if not block.strip():
            continue
        lines = block.split("\n")
        if all(_LIST_LINE.match(line) for line in lines if line.strip()):
            unit = Unit(start, start + len(block), "", "list", heading)
            if units and _introduces_list(units[-1]):
                lead = units.pop()
                unit.start = lead.start  # a list is shown with the heading or sentence that introduces it
            units.append(unit)
        elif _is_heading(block):
            units.append(Unit(start, start + len(block), block, "heading"))
            heading = block
        else:
            for sentence in _sentences(block, start):
                sentence.text = text[sentence.start : sentence.end]
                sentence.context = heading
                units.append(sentence)
    for unit in units:
        unit.text = text[unit.start : unit.end]
    return units


class UnitScorer(DenseScorer):
    """Scores units against a question: dense similarity of the unit plus lexical coverage, each
    seen with the nearest heading above it, so a sentence under "Uppföljning" knows its topic."""

    def __init__(self, embeddings: NamedEmbeddings, dense_weight: float) -> None:
        super().__init__(embeddings)
        self.dense_weight = dense_weight

    def score(self, question: str, query_vec: np.ndarray, units: list[Unit]) -> list[float]:
        if not units:
            return []
        texts = scored_texts(units)
        dense = cosines(self.embeddings.embed_documents(texts), query_vec)
        stems = content_stems(question)
        lexical = [coverage(stems, t) for t in texts]
        w = self.dense_weight
        return [float(w * d + (1 - w) * c) for d, c in zip(dense, lexical, strict=True)]


def scored_texts(units: list[Unit]) -> list[str]:
    """What the scorer embeds for each unit: the unit seen with its nearest heading."""
    return [f"{u.context}: {u.text}" if u.context else u.text for u in units]


def warm_units(embeddings: NamedEmbeddings, chunks: Iterable[Document]) -> None:
    """Embed at ingest the unit texts the answer step will score, so a passage's first answer finds
    them in the embedding cache instead of embedding them on the spot (see bench/README.md)."""
    texts = [t for c in chunks for t in scored_texts([u for u in split_units(c.page_content) if u.kind != "heading"])]
    if texts:
        embeddings.embed_documents(texts)

"""Answer units of a passage: sentences, and whole lists together with their lead-in sentence.

Every unit keeps exact character offsets into the chunk text, so a citation can quote and
highlight precisely what the answer used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.retrieval.text import content_stems, coverage
from ingest.embeddings import NamedEmbeddings
from ingest.sentences import sentence_spans

_BLOCK = re.compile(r"[^\n](?:.|\n(?!\n))*")  # runs of text separated by blank lines
_LIST_LINE = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


@dataclass
class Unit:
    start: int
    end: int
    text: str
    kind: str  # "sentence" | "list" | "heading"


def _is_heading(block: str) -> bool:
    return "\n" not in block and len(block) < 90 and not re.search(r"[.!?:;]\s*$", block)


def _sentences(block: str, offset: int) -> list[Unit]:
    return [Unit(offset + a, offset + b, "", "sentence") for a, b in sentence_spans(block)]


def split_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    for match in _BLOCK.finditer(text):
        block = match.group(0).rstrip()
        start = match.start()
        if not block.strip():
            continue
        lines = block.split("\n")
        if all(_LIST_LINE.match(line) for line in lines if line.strip()):
            lead = units[-1] if units and units[-1].kind == "sentence" else None
            if lead is not None and text[lead.start : lead.end].rstrip().endswith(":"):
                units.pop()
                start = lead.start  # a list is shown with the sentence that introduces it
            units.append(Unit(start, match.start() + len(block), "", "list"))
        elif _is_heading(block):
            units.append(Unit(start, start + len(block), "", "heading"))
        else:
            units.extend(_sentences(block, start))
    for unit in units:
        unit.text = text[unit.start : unit.end]
    return units


class UnitScorer:
    """Scores units against a question: dense similarity of the unit plus lexical coverage."""

    def __init__(self, embeddings: NamedEmbeddings, dense_weight: float = 0.6) -> None:
        self.embeddings = embeddings
        self.dense_weight = dense_weight

    def query_vector(self, question: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(question), dtype=np.float32)

    def score(self, question: str, query_vec: np.ndarray, units: list[Unit]) -> list[float]:
        if not units:
            return []
        vectors = np.asarray(self.embeddings.embed_documents([u.text for u in units]), dtype=np.float32)
        dense = vectors @ query_vec / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query_vec) + 1e-9)
        stems = content_stems(question)
        lexical = [coverage(stems, u.text) for u in units]
        w = self.dense_weight
        return [float(w * d + (1 - w) * c) for d, c in zip(dense, lexical, strict=True)]

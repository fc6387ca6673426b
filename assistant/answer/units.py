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
# A Markdown table row (PDF tables are stored as Markdown), with or without its outer pipes.
_TABLE_LINE = re.compile(r"^\s*\||\S \| \S")


@dataclass
class Unit:
    start: int
    end: int
    text: str
    kind: str  # "sentence" | "list" | "heading" | "link" (a "Läs mer …" line: never quoted)
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


_LINE = re.compile(r"[^\n]+")
_LINK_LINE = re.compile(r"^\s*(?:läs mer|mer information|se även|länk till)\b", re.IGNORECASE)
_POINTS_TO_LINK = re.compile(
    r"\b(?:via|i|på|under) (?:länk(?:en|arna)?|knappen) (?:nedan|ovan|här)\b|\bklicka (?:här|på länken)\b",
    re.IGNORECASE,
)
# A web address that ends its line (a source list: "Prop. 2009/10:155: https://…") or a Markdown link;
# one inside running text ("utveckla webbplatsen www.hallbarstad.se till en plattform …") is content.
_REFERENCE = re.compile(r"\]\((?:https?://|www\.)|(?:https?://|www\.)\S*[\s.,;:)\"”»]*$")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"”»)]?\s*$")


def _runs(block: str) -> list[tuple[str, int, int]]:
    """A block's lines grouped into runs of one kind: "list" (consecutive list lines), "table"
    (Markdown table rows), "heading" (a short line without sentence end followed by more text),
    "link" ("Läs mer …" lines and lines that end in a web address: reference lists, not answers) and "text"
    (lines up to one that ends a sentence). Web pages put a paragraph on each line, so a sentence
    never runs from one line into a heading or a link list on the next."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(block)]
    runs: list[tuple[str, int, int]] = []
    for i, (a, b) in enumerate(lines):
        line = block[a:b]
        if _LINK_LINE.match(line) or _REFERENCE.search(line):
            kind = "link"
        elif _TABLE_LINE.search(line) or (
            runs and runs[-1][0] == "table" and len(line.strip()) < 60 and not _ENDS_SENTENCE.search(line)
        ):  # a last row of one cell ("Upphandlingsmyndigheten") too
            kind = "table"
        elif _LIST_LINE.match(line):
            kind = "list"
        elif i + 1 < len(lines) and len(line.strip()) < 60 and _is_heading(line.strip()):
            kind = "heading"
        else:
            kind = "text"
        prev = runs[-1] if runs else None
        joins = prev is not None and prev[0] == kind and kind in ("list", "link", "table")
        joins |= (
            prev is not None
            and kind == "text"
            and prev[0] == "text"
            and not _ENDS_SENTENCE.search(block[prev[1] : prev[2]])
        )
        if joins and prev is not None:
            runs[-1] = (kind, prev[1], b)
        else:
            runs.append((kind, a, b))
    return runs


def list_items(text: str) -> int:
    """How many list lines a text has."""
    return len(item_texts(text))


def item_texts(text: str) -> list[str]:
    """The list lines of a text, without their bullets or numbers."""
    return [_LIST_LINE.sub("", line, count=1) for line in text.splitlines() if _LIST_LINE.match(line)]


def split_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    heading = ""
    for match in _BLOCK.finditer(text):
        block = match.group(0).rstrip()
        if not block.strip():
            continue
        # A short line after one that ends in a colon is what the colon announces (a command, a
        # name), not a heading.
        announced = bool(units) and units[-1].kind == "sentence" and text[: match.start()].rstrip().endswith(":")
        # A list of one item ("Ordförande" over "- Christofer Fjellner") is a list.
        lone = block.strip()
        lone_heading = "\n" not in lone and _is_heading(block) and not announced and not _LIST_LINE.match(lone)
        runs = [("heading", 0, len(block))] if lone_heading else _runs(block)
        for kind, a, b in runs:
            start, end = match.start() + a, match.start() + b
            if kind == "list":
                unit = Unit(start, end, "", "list", heading)
                if units and _introduces_list(units[-1]):
                    lead = units.pop()
                    unit.start = lead.start  # a list is shown with the heading or sentence that introduces it
                units.append(unit)
            elif kind == "heading":
                heading = text[start:end].strip()
                units.append(Unit(start, end, heading, "heading"))
            elif kind == "link":
                units.append(Unit(start, end, "", "link", heading))
            elif kind == "table":  # quoted whole, its header row with it
                unit = Unit(start, end, "", "sentence", heading)
                if units and units[-1].kind == "sentence" and units[-1].text.rstrip().endswith(":"):
                    # "Uppdraget går till följande 25 myndigheter:" and the table of them: a list
                    unit.start, unit.kind = units.pop().start, "list"
                units.append(unit)
            elif announced and "\n" not in block.strip() and len(block) < 120 and not block.endswith((".", "!", "?")):
                # "Kör kommandot … till exempel:" and the command it announces (no sentence of its own):
                # one unit, never the command without what to do with it.
                lead = units.pop()
                units.append(Unit(lead.start, end, "", "sentence", lead.context))
            else:
                for sentence in _sentences(text[start:end], start):
                    sentence.text, sentence.context = text[sentence.start : sentence.end], heading
                    if _POINTS_TO_LINK.search(sentence.text):  # "… hittar du via länken nedan": the link is gone
                        sentence.kind = "link"
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

    def dense(self, query_vec: np.ndarray, units: list[Unit]) -> list[float]:
        """Cosine of each unit, seen with its heading, to the question (from the embedding cache)."""
        if not units:
            return []
        return [float(d) for d in cosines(self.embeddings.embed_documents(scored_texts(units)), query_vec)]

    def score(self, question: str, dense: list[float], units: list[Unit]) -> list[float]:
        """The hand-set unit score from the units' cosines (`dense`) and their lexical coverage."""
        stems = content_stems(question)
        lexical = [coverage(stems, t) for t in scored_texts(units)]
        w = self.dense_weight
        return [w * d + (1 - w) * c for d, c in zip(dense, lexical, strict=True)]

    def unit_texts(self, text: str) -> list[str]:
        """The passage's units as `warm_units` embedded them at ingest (so the reranker's best-unit
        cosine reads them from the embedding cache)."""
        return scored_texts([u for u in split_units(text) if u.kind != "heading"])


def titled_units(doc: Document) -> list[str]:
    """Each sentence and list of a passage with its document's title and nearest heading: what a
    reader takes it to be about ("… exploateras för vindkraft …" on the page "Storslagen fjällmiljö")."""
    title = doc.metadata.get("title", "")
    quoted = [u for u in split_units(doc.page_content) if u.kind in ("sentence", "list")]
    return [f"{title}\n{t}" for t in scored_texts(quoted)]


def scored_texts(units: list[Unit]) -> list[str]:
    """What the scorer embeds for each unit: the unit seen with its nearest heading."""
    return [f"{u.context}: {u.text}" if u.context else u.text for u in units]


def warm_units(embeddings: NamedEmbeddings, chunks: Iterable[Document]) -> None:
    """Embed at ingest the unit texts the answer step will score, so a passage's first answer finds
    them in the embedding cache instead of embedding them on the spot (see bench/README.md)."""
    texts = [t for c in chunks for t in scored_texts([u for u in split_units(c.page_content) if u.kind != "heading"])]
    if texts:
        embeddings.embed_documents(texts)

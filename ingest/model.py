"""Data passed between the ingest stages: loaders produce a LoadedDocument of Blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "list", "table"]

# Metadata keys a loader may fill from front matter, HTML <meta> or PDF info.
DOCUMENT_FIELDS = (
    "title",
    "publisher",
    "source_url",
    "published",
    "doc_type",
    "region",
    "municipality",
    "language",
)


@dataclass
class Block:
    """One structural unit of a document, in reading order.

    A heading has a level (1 = top). A list block holds a whole list, one item per line
    starting with "- " (or "1. " when numbered), so the chunker never splits it blindly.
    A table block is a Markdown table (header row, separator, rows).

    PDF blocks also carry the printed page label (when the PDF has one), whether the page was
    OCR'd, and `box`: blocks sharing a box key sit in one sidebar/box, kept apart from running text.
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None
    page_label: str | None = None
    ocr: bool = False
    box: str | None = None


@dataclass
class LoadedDocument:
    source: str
    content_hash: str
    metadata: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


class LoadError(Exception):
    """A document could not be read; the message names the reason in plain words."""

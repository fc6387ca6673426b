"""Tables found by pdfplumber's ruling-line detection, rendered as Markdown tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Ruled tables only: text-aligned "tables" found by the text strategy are mostly false positives
# in running text (two columns, aligned lists).
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    markdown: str


def find_tables(page: Any) -> list[PageTable]:
    tables = []
    for table in page.find_tables(_SETTINGS):
        markdown = to_markdown(table.extract())
        if markdown:
            tables.append(PageTable(tuple(table.bbox), markdown))
    return tables


def to_markdown(rows: list[list[str | None]]) -> str:
    """First row as the header. Empty rows go; a table of one row or one column is no table."""
    cleaned = [[_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if len(cleaned) < 2 or max(len(r) for r in cleaned) < 2:
        return ""
    width = max(len(r) for r in cleaned)
    cleaned = [r + [""] * (width - len(r)) for r in cleaned]
    lines = [_row(cleaned[0]), "| " + " | ".join("---" for _ in range(width)) + " |"]
    lines += [_row(r) for r in cleaned[1:]]
    return "\n".join(lines)


def _cell(value: str | None) -> str:
    return " ".join((value or "").split()).replace("|", "\\|")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"

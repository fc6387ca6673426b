"""DOCX loader (python-docx): heading styles to heading blocks, list paragraphs to list blocks."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.model import Block, LoadError

# English built-in names plus the Swedish names custom templates sometimes use.
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-6])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|rubrik)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^(?:list (?:bullet|number|paragraph)|liststycke|punktlista|numrerad lista)", re.I)


def parse_docx(data: bytes) -> tuple[dict[str, Any], list[Block]]:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types
        raise LoadError(f"corrupt or not a Word .docx file ({type(exc).__name__}: {exc})") from exc
    numbering = _numbering(document)
    has_title = any(
        isinstance(p, Paragraph) and _TITLE_STYLE.match(_style_name(p)) for p in document.iter_inner_content()
    )
    blocks: list[Block] = []
    list_lines: list[str] = []
    counter = 0

    def flush_list() -> None:
        nonlocal counter
        if list_lines:
            blocks.append(Block("list", "\n".join(list_lines)))
            list_lines.clear()
        counter = 0

    for part in document.iter_inner_content():
        if isinstance(part, Table):
            flush_list()
            text = "\n".join(row for row in map(_table_row, part.rows) if row)
            if text:
                blocks.append(Block("paragraph", text))
            continue
        text = " ".join(part.text.split())
        if not text:
            continue
        level = _heading_level(part, has_title)
        kind = None if level else _list_kind(part, numbering)
        if kind:
            counter += 1
            list_lines.append(f"{counter}. {text}" if kind == "number" else f"- {text}")
            continue
        flush_list()
        blocks.append(Block("heading", text, level) if level else Block("paragraph", text))
    flush_list()
    return _metadata(document), blocks


def _table_row(row: Any) -> str:
    # merged cells repeat their text in every grid cell: keep each text once per row
    return " | ".join(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))


def _style_name(paragraph: Paragraph) -> str:
    style = paragraph.style
    return style.name if style is not None and style.name else ""


def _heading_level(paragraph: Paragraph, has_title: bool) -> int:
    """Heading N -> N, shifted one down when the document has a Title paragraph above them.
    Custom styles count when they are based on a heading style."""
    style = paragraph.style
    while style is not None:
        name = style.name or ""
        if _TITLE_STYLE.match(name):
            return 1
        if m := _HEADING_STYLE.match(name):
            return min(int(m.group(1)) + has_title, 6)
        style = style.base_style
    return 0


def _list_kind(paragraph: Paragraph, numbering: Any) -> str | None:
    name = _style_name(paragraph)
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if not _LIST_STYLE.match(name) and num_pr is None:
        return None
    if re.search(r"number|numrerad", name, re.IGNORECASE):
        return "number"
    if num_pr is not None and num_pr.numId is not None and numbering is not None:
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        fmt = numbering.xpath(
            f'./w:abstractNum[@w:abstractNumId=string(../w:num[@w:numId="{num_pr.numId.val}"]'
            f'/w:abstractNumId/@w:val)]/w:lvl[@w:ilvl="{ilvl}"]/w:numFmt/@w:val'
        )
        if fmt and fmt[0] not in ("bullet", "none"):
            return "number"
    return "bullet"


def _numbering(document: Any) -> Any:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _metadata(document: Any) -> dict[str, Any]:
    core = document.core_properties
    meta: dict[str, Any] = {}
    if core.title and core.title.strip():
        meta["title"] = " ".join(core.title.split())
    if core.author and core.author.strip():
        meta["author"] = " ".join(core.author.split())
        meta["publisher"] = meta["author"]
    if core.language and core.language.strip():
        meta["language"] = re.split(r"[-_]", core.language.strip())[0].lower()
    return meta

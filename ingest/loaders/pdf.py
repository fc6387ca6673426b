"""PDF loader (pdfplumber): text per page, headings from font size, boldness and numbering,
paragraphs re-joined across line breaks, running headers/footers and page numbers removed."""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ingest.loaders.lines import ends_paragraph, join_lines, looks_like_heading
from ingest.model import Block, LoadError

_BOLD = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
# Bullet glyphs, including the private-use ones Word's Symbol/Wingdings bullets map to.
_ITEM = re.compile(
    r"^(?:[•●▪■◦‣⁃∙·\uf0a7\uf0b7\uf0d8\uf076\uf0fc]\s*|[-–*]\s+|(\d{1,2})[.)]\s+)(\S.*)$"
)
_NUMBERED_HEADING = re.compile(
    r"^(?:(\d{1,2}(?:\.\d{1,2})+)\.?|(\d{1,2})|(?:del|kapitel|bilaga|avsnitt|part|chapter)\s+\d{1,2}[.:]?)"
    r"\s+\S",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|page|s\.)\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?$",
    re.IGNORECASE,
)
_JUNK_TITLE = re.compile(r"^(?:untitled|namnlös|dokument\d*|document\d*)$|\.(?:docx?|pdf|indd|pptx?)$", re.I)
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers/footers


@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    x0: float
    top: float
    bottom: float
    page: int


@dataclass
class _Unit:
    style: str  # "large" | "bold" | "body" | "list"
    page: int
    size: float
    lines: list[_Line] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)  # for lists: marker + lines per item


def parse_pdf(data: bytes) -> tuple[dict[str, Any], list[Block]]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            info = dict(pdf.metadata or {})
            pages = [_page_lines(page, n) for n, page in enumerate(pdf.pages, start=1)]
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise LoadError("PDF is encrypted (password-protected); remove the password first") from exc
        raise LoadError(f"corrupt or unreadable PDF ({type(cause).__name__}: {cause})") from exc
    except Exception as exc:  # pdfminer raises many exception types on damaged files
        raise LoadError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(pages):
        raise LoadError("no text layer (scanned PDF?); run OCR on it first")
    body = _body_size([line for page in pages for line in page])
    _drop_running_lines(pages, body)
    lines = [line for page in pages for line in page]
    return _metadata(info), _to_blocks(_group(lines, body), body)


def _page_lines(page: Any, number: int) -> list[_Line]:
    lines = []
    for raw in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in raw["chars"] if c["text"].strip()]
        text = " ".join(raw["text"].split())
        if not chars or not text:
            continue
        size = Counter(round(c["size"] * 2) / 2 for c in chars).most_common(1)[0][0]
        bold = sum(bool(_BOLD.search(c.get("fontname", ""))) for c in chars) >= 0.8 * len(chars)
        lines.append(_Line(text, size, bold, raw["x0"], raw["top"], raw["bottom"], number))
    return lines


def _body_size(lines: list[_Line]) -> float:
    """The font size carrying most of the text."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0]


def _drop_running_lines(pages: list[list[_Line]], body: float) -> None:
    """Remove page numbers and lines repeated at the top/bottom of most pages. Only lines not
    larger than the body text qualify, so a title that the running header repeats survives."""

    def edges(page: list[_Line]) -> list[_Line]:
        return page[:_EDGE_LINES] + page[_EDGE_LINES:][-_EDGE_LINES:]

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", " ".join(line.text.casefold().split()))

    counts = Counter(k for page in pages for k in {key(line) for line in edges(page)})
    threshold = max(2, math.ceil(0.5 * len(pages)))
    for page in pages:
        furniture = [
            line
            for line in edges(page)
            if line.size <= body + 0.5 and (_PAGE_NUMBER.match(line.text) or counts[key(line)] >= threshold)
        ]
        for line in furniture:
            page.remove(line)


def _style(line: _Line, body: float) -> str:
    if line.size >= body + 1:
        return "large"
    return "bold" if line.bold else "body"


def _paragraph_gap(lines: list[_Line], body: float) -> float:
    """Vertical gap above which a new paragraph starts: the line gap plus half a line. The line gap
    is the smallest gap that is common, since short paragraphs make paragraph gaps common too."""
    gaps = [
        round(b.top - a.bottom)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.size == b.size == body and 0 <= b.top - a.bottom < 3 * body
    ]
    counts = Counter(gaps)
    common = [gap for gap, n in counts.items() if n >= max(2, 0.1 * len(gaps))]
    line_gap = min(common) if common else (statistics.median(gaps) if gaps else 0.3 * body)
    return line_gap + 0.5 * body


def _group(lines: list[_Line], body: float) -> list[_Unit]:
    gap_limit = _paragraph_gap(lines, body)
    units: list[_Unit] = []
    current: _Unit | None = None
    prev: _Line | None = None
    for line in lines:
        style = _style(line, body)
        item = _ITEM.match(line.text) if style == "body" else None
        if prev is None or current is None:
            close = False
        elif line.page != prev.page:
            # A paragraph running over a page break continues in lower case.
            close = current.style == "body" and not ends_paragraph(prev.text) and line.text[:1].islower()
        else:
            close = line.top - prev.bottom <= gap_limit
        if item:
            marker = f"{item.group(1)}. " if item.group(1) else "- "
            if current is None or current.style != "list" or not close:
                current = _Unit("list", line.page, line.size)
                units.append(current)
            current.lines.append(line)
            current.items.append([marker + item.group(2)])
        elif current is not None and current.style == "list" and close and line.x0 > current.lines[-1].x0 + 2:
            current.items[-1].append(line.text)  # an indented line continues the item
            current.lines.append(line)
        elif (
            current is not None
            and close
            and current.style == style
            and current.size == line.size
            and not _starts_paragraph(current, line)
        ):
            current.lines.append(line)
        else:
            current = _Unit(style, line.page, line.size, [line])
            units.append(current)
        prev = line
    return units


def _starts_paragraph(unit: _Unit, line: _Line) -> bool:
    """A first-line indent after a finished sentence starts a new paragraph."""
    last = unit.lines[-1]
    return ends_paragraph(last.text) and line.x0 > min(x.x0 for x in unit.lines) + 8


def _to_blocks(units: list[_Unit], body: float) -> list[Block]:
    heading_sizes = sorted({u.size for u in units if u.style == "large" and _is_heading(u)}, reverse=True)
    below_sizes = len(heading_sizes)
    blocks: list[Block] = []
    for unit in units:
        if unit.style == "list":
            items = [join_lines(parts) for parts in unit.items]
            blocks.append(Block("list", "\n".join(items), page=unit.page))
            continue
        text = join_lines([line.text for line in unit.lines])
        if _is_heading(unit):
            if unit.style == "large":
                level = heading_sizes.index(unit.size) + 1
            else:
                level = below_sizes + _numbering_depth(text)
            blocks.append(Block("heading", text, min(level, 6), unit.page))
        else:
            blocks.append(Block("paragraph", text, page=unit.page))
    return blocks


def _is_heading(unit: _Unit) -> bool:
    text = " ".join(line.text for line in unit.lines)
    if unit.style == "large":
        return len(text.split()) <= 25 and not text.endswith(".")
    if len(unit.lines) > 2 or not looks_like_heading(text, max_words=15):
        return False
    return unit.style == "bold" or (len(unit.lines) == 1 and bool(_NUMBERED_HEADING.match(text)))


def _numbering_depth(text: str) -> int:
    """'3.2 Uppföljning' -> 2; '3 Resultat', 'Del 3' and unnumbered bold headings -> 1."""
    m = _NUMBERED_HEADING.match(text)
    return len(m.group(1).split(".")) if m and m.group(1) else 1


def _metadata(info: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    title = _info_text(info.get("Title"))
    if title and not _JUNK_TITLE.search(title):
        meta["title"] = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    author = _info_text(info.get("Author"))
    if author:
        meta["author"] = author
        meta["publisher"] = author
    return meta


def _info_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return " ".join(str(value).split()) if value else ""

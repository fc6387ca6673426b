"""PDF loader (pdfplumber): text in reading order (columns, boxes and tables apart, see
pdf_layout), headings from font size, boldness and numbering, paragraphs re-joined across line,
column and page breaks, pages without a text layer OCR'd, printed page labels kept."""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
import pypdf
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ingest.loaders.lines import ends_paragraph, join_lines, looks_like_heading
from ingest.loaders.pdf_layout import Line, Table, body_size, has_text, layout, read_page
from ingest.loaders.pdf_ocr import OcrLine, check_tesseract, ocr_page
from ingest.model import Block, LoadError

# Bullet glyphs, including the private-use ones Word's Symbol/Wingdings bullets map to.
_ITEM = re.compile(r"^(?:[•●▪■◦‣⁃∙·\uf0a7\uf0b7\uf0d8\uf076\uf0fc]\s*|[-–*]\s+|(\d{1,2})[.)]\s+)(\S.*)$")
_NUMBERED_HEADING = re.compile(
    r"^(?:(\d{1,2}(?:\.\d{1,2})+)\.?|(\d{1,2})|(?:del|kapitel|bilaga|avsnitt|part|chapter)\s+\d{1,2}[.:]?)"
    r"\s+\S",
    re.IGNORECASE,
)
_JUNK_TITLE = re.compile(r"^(?:untitled|namnlös|dokument\d*|document\d*)$|\.(?:docx?|pdf|indd|pptx?)$", re.I)
_OCR_LARGE = 1.3  # an OCR'd line this much taller than the page's median line is set larger than body


@dataclass
class _Unit:
    style: str  # "large" | "bold" | "body" | "list" | "table"
    page: int
    size: float
    lines: list[Line] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)  # for lists: marker + lines per item
    box: str | None = None
    table: str = ""


def parse_pdf(data: bytes) -> tuple[dict[str, Any], list[Block]]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            info = dict(pdf.metadata or {})
            pages = [read_page(page, n) for n, page in enumerate(pdf.pages, start=1)]
            scanned = [p.number for p in pages if not has_text(p)]
            if scanned:
                check_tesseract()
            ocr = {n: ocr_page(pdf.pages[n - 1]) for n in scanned}
    except LoadError:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise LoadError("PDF is encrypted (password-protected); remove the password first") from exc
        raise LoadError(f"corrupt or unreadable PDF ({type(cause).__name__}: {cause})") from exc
    except Exception as exc:  # pdfminer raises many exception types on damaged files
        raise LoadError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(ocr.values()) and not any(has_text(p) for p in pages):
        raise LoadError("no text layer (scanned PDF?) and OCR found no text in it")
    body = body_size(pages)
    layouts = layout(pages, body)
    stream: list[Line | Table] = []
    boxes = []
    for number in range(1, len(pages) + 1):
        if number in ocr:
            stream.extend(_ocr_lines(ocr[number], number, body))
        elif number in layouts:
            stream.extend(layouts[number].body)
            boxes.extend(layouts[number].boxes)
    toc = {_toc_key(title) for page in layouts.values() for title in page.toc}
    units = _group(stream, body)
    for box in boxes:
        # A box follows the running text that starts on its page, as its own units.
        at = next((i for i, u in enumerate(units) if u.page > box.page), len(units))
        box_units = _group(box.lines, body)
        for unit in box_units:
            unit.box = box.key
        units[at:at] = box_units
    return _metadata(info), _to_blocks(units, _page_labels(data), set(ocr), toc)


def _ocr_lines(lines: list[OcrLine], page: int, body: float) -> list[Line]:
    out = []
    for line in lines:
        size = round(line.height * body * 2) / 2 if line.height >= _OCR_LARGE else body
        flow = ("ocr", page, *line.paragraph)
        out.append(Line(line.text, size, False, line.x0, line.top, line.bottom, page, flow, ocr=True))
    return out


def _page_labels(data: bytes) -> dict[int, str]:
    """Printed page labels ("iv", "12") from /PageLabels; none when the PDF does not define them."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if "/PageLabels" not in reader.trailer["/Root"]:
            return {}
        return {n: str(label) for n, label in enumerate(reader.page_labels, start=1)}
    except Exception:  # labels are a nicety: a damaged label tree must not fail the document
        return {}


def _style(line: Line, body: float) -> str:
    if line.size >= body + 1:
        return "large"
    return "bold" if line.bold else "body"


def _paragraph_gap(lines: list[Line], body: float) -> float:
    """Vertical gap above which a new paragraph starts: the line gap plus half a line. The line gap
    is the smallest gap that is common, since short paragraphs make paragraph gaps common too."""
    gaps = [
        round(b.top - a.bottom)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.flow == b.flow and not a.ocr and a.size == b.size == body and 0 <= b.top - a.bottom < 3 * body
    ]
    counts = Counter(gaps)
    common = [gap for gap, n in counts.items() if n >= max(2, 0.1 * len(gaps))]
    line_gap = min(common) if common else (statistics.median(gaps) if gaps else 0.3 * body)
    return line_gap + 0.5 * body


def _group(stream: list[Line | Table], body: float) -> list[_Unit]:
    gap_limit = _paragraph_gap([x for x in stream if isinstance(x, Line)], body)
    units: list[_Unit] = []
    current: _Unit | None = None
    prev: Line | None = None
    for line in stream:
        if isinstance(line, Table):
            units.append(_Unit("table", line.page, 0, table=line.markdown))
            current = prev = None
            continue
        style = _style(line, body)
        item = _ITEM.match(line.text) if style == "body" else None
        if prev is None or current is None:
            close = False
        elif line.page != prev.page:
            # A paragraph running over a page break continues in lower case.
            close = current.style == "body" and not ends_paragraph(prev.text) and line.text[:1].islower()
        elif line.flow != prev.flow:
            # Over a column break a paragraph continues when its sentence is unfinished; Tesseract's
            # paragraphs are taken as they are.
            close = not (line.ocr or prev.ocr) and current.style == "body" and not ends_paragraph(prev.text)
        else:
            close = line.ocr or line.top - prev.bottom <= gap_limit
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


def _starts_paragraph(unit: _Unit, line: Line) -> bool:
    """A first-line indent after a finished sentence starts a new paragraph."""
    last = unit.lines[-1]
    return ends_paragraph(last.text) and line.x0 > min(x.x0 for x in unit.lines) + 8


def _to_blocks(units: list[_Unit], labels: dict[int, str], ocr: set[int], toc: set[str]) -> list[Block]:
    heading_sizes = sorted({u.size for u in units if u.style == "large" and _is_heading(u, toc)}, reverse=True)
    below_sizes = len(heading_sizes)
    # A heading only the contents recognise sits at the level of the contents' other entries.
    listed = [heading_sizes.index(u.size) + 1 for u in units if u.style == "large" and _toc_key(_text(u)) in toc]
    toc_level = min(listed, default=below_sizes + 1)
    blocks: list[Block] = []
    for unit in units:
        where = {"page": unit.page, "page_label": labels.get(unit.page), "ocr": unit.page in ocr, "box": unit.box}
        if unit.style == "table":
            blocks.append(Block("table", unit.table, **where))
            continue
        if unit.style == "list":
            items = [join_lines(parts) for parts in unit.items]
            blocks.append(Block("list", "\n".join(items), **where))
            continue
        text = join_lines([line.text for line in unit.lines])
        if _is_heading(unit, toc):
            if unit.style == "large":
                level = heading_sizes.index(unit.size) + 1
            elif _toc_key(text) in toc:
                level = toc_level + _numbering_depth(text) - 1
            else:
                level = below_sizes + _numbering_depth(text)
            blocks.append(Block("heading", text, min(level, 6), **where))
        else:
            blocks.append(Block("paragraph", text, **where))
    return blocks


def _toc_key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" .:")


def _text(unit: _Unit) -> str:
    return " ".join(line.text for line in unit.lines)


def _is_heading(unit: _Unit, toc: set[str]) -> bool:
    """By size, boldness or numbering; a line the table of contents lists is a heading in any font."""
    text = _text(unit)
    if unit.style in ("body", "bold") and len(unit.lines) <= 2 and _toc_key(text) in toc:
        return True
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

"""Reading order of a PDF page from word positions (pdfplumber).

A page is split into ruled tables, boxes (filled or framed rectangles holding text: sidebars,
fact boxes, lärande exempel) and the running text. The running text is cut into horizontal bands
of full-width lines and two-column stretches; a two-column stretch is read left column first.
Running headers, footers, page numbers and table-of-contents pages are recognised across the
document and left out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.loaders.pdf_tables import PageTable, find_tables

_BOLD = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|page|s\.)\s*)?[-–(]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–)]?(?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?$",
    re.IGNORECASE,
)
_FOOTNOTE_MARK = re.compile(r"^[\d¹²³⁰⁴-⁹*†]{1,3}$")
_TOC_TITLE = re.compile(r"^(?:innehåll|innehållsförteckning|contents|table of contents)$", re.IGNORECASE)
_TOC_ENTRY = re.compile(
    r"^(?P<title>.*?[^\W\d].*?)\s*(?:\.{2,}|…+|(?:\s\.)+|\s)\s*(?P<page>\d{1,4}|[ivxlc]{1,6})$", re.I
)
_LEADER = re.compile(r"(?:\.\s?){3,}|…")
_SCAN_TEXT = 30  # characters: fewer than this over a full-page image is a scan (e.g. a stamped page number)
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers/footers


@dataclass
class Line:
    text: str
    size: float
    bold: bool
    x0: float
    top: float
    bottom: float
    page: int
    flow: tuple[Any, ...] = ()  # one column of one band, one box, one OCR paragraph
    ocr: bool = False


@dataclass
class Table:
    markdown: str
    page: int
    top: float


@dataclass
class Box:
    key: str
    page: int
    top: float
    lines: list[Line]


@dataclass
class PageLayout:
    """One page in reading order: running text and tables, and the page's boxes apart."""

    body: list[Line | Table] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)  # a contents page: its entries' titles, nothing else


@dataclass
class _RawLine:
    words: list[dict[str, Any]]
    line: Line


@dataclass
class _Page:
    number: int
    width: float
    height: float
    words: list[dict[str, Any]]
    tables: list[PageTable]
    boxes: list[tuple[float, float, float, float]]
    raw: list[_RawLine]


def read_page(page: Any, number: int) -> _Page:
    """First pass: words, tables, boxes and full-width lines of one page. A page that is one big
    image with next to no text on it (a scan with a stamped page number) counts as textless."""
    words = [w for w in page.extract_words(extra_attrs=["size", "fontname"]) if w["text"].strip()]
    if sum(len(w["text"]) for w in words) < _SCAN_TEXT and _image_share(page) > 0.5:
        words = []
    tables = find_tables(page) if words else []
    boxes = _boxes(page, [t.bbox for t in tables]) if words else []
    return _Page(number, float(page.width), float(page.height), words, tables, boxes, _raw_lines(words, number))


def _image_share(page: Any) -> float:
    area = float(page.width) * float(page.height)
    return max(((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) / area for i in page.images), default=0.0)


def has_text(page: _Page) -> bool:
    return bool(page.words)


def body_size(pages: list[_Page]) -> float:
    """The font size carrying most of the text."""
    weights: Counter[float] = Counter()
    for page in pages:
        for raw in page.raw:
            weights[raw.line.size] += len(raw.line.text)
    return weights.most_common(1)[0][0] if weights else 11.0


def layout(pages: list[_Page], body: float) -> dict[int, PageLayout]:
    """Second pass: drop running headers/footers and TOC pages, order what is left."""
    furniture = _furniture(pages, body)
    out: dict[int, PageLayout] = {}
    for page in pages:
        if not has_text(page):
            continue
        dropped = {id(w) for raw in furniture.get(page.number, []) for w in raw.words}
        words = [w for w in page.words if id(w) not in dropped]
        kept = [r for r in page.raw if not any(id(w) in dropped for w in r.words)]
        if _is_toc(kept):
            out[page.number] = PageLayout(toc=_toc_titles(kept))
            continue
        out[page.number] = _order(page, words, body)
    return out


def _order(page: _Page, words: list[dict[str, Any]], body: float) -> PageLayout:
    result = PageLayout()
    body_words: list[dict[str, Any]] = []
    box_words: list[list[dict[str, Any]]] = [[] for _ in page.boxes]
    for word in words:
        if any(_inside(word, t.bbox) for t in page.tables):
            continue
        box = next((i for i, b in enumerate(page.boxes) if _inside(word, b)), None)
        if box is None:
            body_words.append(word)
        else:
            box_words[box].append(word)
    for i, (bbox, members) in enumerate(zip(page.boxes, box_words, strict=True)):
        key = f"p{page.number}-box{i + 1}"
        lines = [r.line for r in _raw_lines(members, page.number, ("box", key))]
        if len(members) >= 3:
            result.boxes.append(Box(key, page.number, bbox[1], lines))
        else:  # a decorative rectangle around a word or two (a label, a page number): running text
            body_words.extend(members)
    result.body = _columns(page, body_words, body)
    return result


def _columns(page: _Page, words: list[dict[str, Any]], body: float) -> list[Line | Table]:
    """Bands top to bottom; a two-column band gives its left column, then its right column.
    Footnotes (small lines below all body text) come last, after both columns."""
    raws = _raw_lines(words, page.number)
    text_bottom = max((r.line.bottom for r in raws if r.line.size >= body - 0.5), default=0.0)
    notes = [r for r in raws if r.line.top > text_bottom and r.line.size < body - 0.5]
    raws = [r for r in raws if r not in notes]
    gutter = _gutter(raws)
    events: list[tuple[float, Any]] = [(r.line.top, r) for r in raws]
    events += [(t.bbox[1], t) for t in page.tables]
    events.sort(key=lambda e: e[0])
    out: list[Line | Table] = []
    band: list[_RawLine] = []
    band_wide: bool | None = None
    n_band = 0

    def flush() -> None:
        nonlocal band, n_band
        if not band:
            return
        n_band += 1
        if band_wide:
            out.extend(_relined([w for r in band for w in r.words], page.number, (page.number, n_band, 0)))
        else:
            assert gutter is not None
            out.extend(_column_lines([w for r in band for w in r.words], page.number, (page.number, n_band), gutter))
        band = []

    for _, item in events:
        if isinstance(item, PageTable):
            flush()
            band_wide = None
            out.append(Table(item.markdown, page.number, item.bbox[1]))
            continue
        wide = gutter is None or _crosses(item, gutter)
        # A wide vertical gap ends a band too: a caption under two columns belongs to what follows.
        if band and (wide != band_wide or item.line.top - max(r.line.bottom for r in band) > 2.5 * body):
            flush()
        band_wide = wide
        band.append(item)
    flush()
    if notes:
        out.extend(_relined([w for r in notes for w in r.words], page.number, (page.number, "notes")))
    return out


def _column_lines(
    words: list[dict[str, Any]], page: int, flow: tuple[Any, ...], gutter: float | None, depth: int = 0
) -> list[Line]:
    """Left of the gutter, then right of it; each side split again where it has a gutter of its
    own (three or four columns)."""
    if gutter is None:
        return _relined(words, page, flow)
    left = [w for w in words if (w["x0"] + w["x1"]) / 2 < gutter]
    right = [w for w in words if (w["x0"] + w["x1"]) / 2 >= gutter]
    out = []
    for side, part in ((1, left), (2, right)):
        inner = _gutter(_raw_lines(part, page)) if depth < 1 else None
        out += _column_lines(part, page, (*flow, side), inner, depth + 1)
    return out


def _relined(words: list[dict[str, Any]], page: int, flow: tuple[Any, ...]) -> list[Line]:
    return [r.line for r in _raw_lines(words, page, flow)]


def _segments(raw: _RawLine) -> list[tuple[float, float]]:
    """Stretches of a line's text; a gap wider than a font size separates two stretches."""
    segments: list[list[float]] = []
    for word in sorted(raw.words, key=lambda w: w["x0"]):
        if segments and word["x0"] - segments[-1][1] < word["size"]:
            segments[-1][1] = max(segments[-1][1], word["x1"])
        else:
            segments.append([word["x0"], word["x1"]])
    return [(a, b) for a, b in segments]


def _crosses(raw: _RawLine, gutter: float) -> bool:
    return any(a < gutter < b for a, b in _segments(raw))


def _gutter(raws: list[_RawLine]) -> float | None:
    """The x of the column gap: the x in the middle of the text where most lines have a gap with
    text on both sides. None for a one-column page."""
    if len(raws) < 6:
        return None
    x0 = min(s[0] for r in raws for s in _segments(r))
    x1 = max(s[1] for r in raws for s in _segments(r))
    span = x1 - x0
    xs = np.arange(math.floor(x0 + 0.3 * span), math.ceil(x1 - 0.3 * span) + 1, dtype=float)
    if not len(xs):
        return None
    two_sided = np.zeros(len(xs))
    covered = np.zeros(len(xs))
    for raw in raws:
        segments = _segments(raw)
        for a, b in segments:
            covered += (xs > a) & (xs < b)
        for (_, gap_start), (gap_end, _) in zip(segments, segments[1:], strict=False):
            two_sided += (xs >= gap_start) & (xs <= gap_end)
    best = two_sided.max()
    # Columns: at least four lines side by side, and more lines split there than run across.
    if best < 4 or best < covered[two_sided == best].min():
        return None
    candidates = xs[(two_sided == best) & (covered == covered[two_sided == best].min())]
    # Three columns give two such runs of x: take the widest (the first of equals), whole.
    runs = np.split(candidates, np.where(np.diff(candidates) > 1)[0] + 1)
    return float(np.median(max(runs, key=len)))


def _raw_lines(words: list[dict[str, Any]], page: int, flow: tuple[Any, ...] = ()) -> list[_RawLine]:
    """Group words into lines by their vertical centre; superscript footnote marks are dropped."""
    groups: list[tuple[float, float, list[dict[str, Any]]]] = []  # (centre, size, words)
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        centre = (word["top"] + word["bottom"]) / 2
        if groups and abs(centre - groups[-1][0]) <= 0.4 * max(groups[-1][1], word["size"]):
            c, s, members = groups[-1]
            members.append(word)
            if word["size"] > s:
                groups[-1] = (centre, word["size"], members)
        else:
            groups.append((centre, word["size"], [word]))
    out = []
    for _, _, members in groups:
        members.sort(key=lambda w: w["x0"])
        line = _line(members, page, flow)
        if line is not None:
            out.append(_RawLine(members, line))
    return out


def _line(words: list[dict[str, Any]], page: int, flow: tuple[Any, ...]) -> Line | None:
    weights: Counter[float] = Counter()
    for w in words:
        weights[round(w["size"] * 2) / 2] += len(w["text"])
    size = weights.most_common(1)[0][0]
    baseline = max(w["bottom"] for w in words if round(w["size"] * 2) / 2 == size)
    kept = [
        w
        for w in words
        if not (_FOOTNOTE_MARK.match(w["text"]) and w["size"] < 0.85 * size and w["bottom"] < baseline - 1)
    ]
    if not kept:
        return None
    text = " ".join(" ".join(w["text"] for w in kept).split())
    chars = sum(len(w["text"]) for w in kept)
    bold = sum(len(w["text"]) for w in kept if _BOLD.search(w.get("fontname", ""))) >= 0.8 * chars
    return Line(
        text, size, bold, kept[0]["x0"], min(w["top"] for w in kept), max(w["bottom"] for w in kept), page, flow
    )


def _boxes(page: Any, tables: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Filled or framed rectangles big enough to hold text, outside tables, outermost only."""
    width, height = float(page.width), float(page.height)
    found = []
    for rect in page.rects:
        bbox = (rect["x0"], rect["top"], rect["x1"], rect["bottom"])
        w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
        if w < 0.2 * width or h < 20 or w * h > 0.8 * width * height:
            continue
        if not (rect.get("fill") or rect.get("stroke")):
            continue
        if any(_overlaps(bbox, t) for t in tables):
            continue
        found.append(bbox)
    return [b for b in found if not any(o != b and _contains(o, b) for o in found)]


def _inside(word: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


def _furniture(pages: list[_Page], body: float) -> dict[int, list[_RawLine]]:
    """Page numbers and lines repeated at the top/bottom of many pages. Only lines not larger than
    the body text qualify, so a title that the running header repeats survives on its own page."""

    def edges(page: _Page) -> list[_RawLine]:
        ordered = sorted(page.raw, key=lambda r: r.line.top)
        return ordered[:_EDGE_LINES] + ordered[_EDGE_LINES:][-_EDGE_LINES:]

    def key(raw: _RawLine) -> str:
        return re.sub(r"\d+|\b[ivxlc]+\b", "#", " ".join(raw.line.text.casefold().split()))

    text_pages = [p for p in pages if has_text(p)]
    counts = Counter(k for page in text_pages for k in {key(r) for r in edges(page)})
    threshold = max(2, math.ceil(0.5 * len(text_pages)))
    return {
        page.number: [
            raw
            for raw in edges(page)
            if raw.line.size <= body + 0.5 and (_PAGE_NUMBER.match(raw.line.text) or counts[key(raw)] >= threshold)
        ]
        for page in text_pages
    }


def _toc_titles(raws: list[_RawLine]) -> list[str]:
    titles = []
    for raw in raws:
        match = _TOC_ENTRY.match(raw.line.text)
        if match:
            titles.append(_LEADER.sub("", match.group("title")).strip(" ."))
    return titles


def _is_toc(raws: list[_RawLine]) -> bool:
    """A table-of-contents page: titled "Innehåll", or mostly entries with dot leaders."""
    texts = [r.line.text for r in raws]
    entries = [t for t in texts if _TOC_ENTRY.match(t)]
    if any(_TOC_TITLE.match(t) for t in texts[:3]) and len(entries) >= 3:
        return True
    leaders = [t for t in entries if _LEADER.search(t)]
    return len(leaders) >= 5 and len(leaders) >= 0.5 * len(texts)

"""Structure-aware chunking: headings first, then paragraphs and whole lists, then sentences.

Every chunk carries its section path ("Del 3 > Processteg > Uppföljning"), its page (PDF) and
whether it belongs to a lärande exempel. A recursive character splitter (the tutorial recipe)
is kept beside it as the baseline the evals compare against.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document

from ingest.model import Block, LoadedDocument
from ingest.swedish import YEAR, split_sentences

EXAMPLE_HEADING = re.compile(
    r"^\W*(lärande exempel|exempel från|goda? exempel|exempel på|så gjorde|så arbetar)", re.IGNORECASE
)
# A long table goes into parts of about this size, each under its header, so an answer quoting a
# row quotes a few rows with their header rather than the whole table.
_TABLE_PART = 400
_NAME = r"[A-ZÅÄÖ][\w-]+(?: [A-ZÅÄÖ][\w-]+)?"
# "Exempel från Säffle", "Så gjorde Hagfors", "Lärande exempel: Arvika", "Karlstads kommun".
_MUNICIPALITY = (
    re.compile(rf"\b(?i:exempel från|så gjorde|så arbetar)\s+({_NAME})"),
    re.compile(rf"\b({_NAME}) (?:kommun|stad)\b"),
    re.compile(rf"\b(?i:lärande exempel)\W+(?!(?i:så|exempel)\b)({_NAME})"),
)
_THEME_LEAD = re.compile(r"^(?:\W|(?:med|om|kring|för|inom|i|och|kommun|stad)\b)+", re.IGNORECASE)


@dataclass
class _Piece:
    """An unbreakable unit (a paragraph, a whole list, or a part of an oversized one)."""

    text: str
    page: int | None
    path: tuple[str, ...] | None = None  # set when a merged-in section's piece differs from its chunk's


@dataclass
class _Section:
    path: tuple[str, ...]
    heading_lines: list[str] = field(default_factory=list)
    pieces: list[_Piece] = field(default_factory=list)
    box: bool = False  # a sidebar/box: its own chunks, never merged with the running text

    def size(self) -> int:
        return sum(len(p.text) + 2 for p in self.pieces) + sum(len(h) + 1 for h in self.heading_lines)


def _split_oversized(block: Block, limit: int) -> list[_Piece]:
    """Break a too-long paragraph at sentences, a too-long list between items."""
    text = block.text.strip()
    if block.kind == "table" and len(text) > _TABLE_PART:
        return [_Piece(part, block.page) for part in _split_table(text, min(limit, _TABLE_PART))]
    if len(text) <= limit:
        return [_Piece(text, block.page)]
    units = text.split("\n") if block.kind == "list" else split_sentences(text)
    joiner = "\n" if block.kind == "list" else " "
    pieces: list[_Piece] = []
    current = ""
    for unit in units:
        if current and len(current) + len(unit) + 1 > limit:
            pieces.append(_Piece(current, block.page))
            current = unit
        else:
            current = f"{current}{joiner}{unit}" if current else unit
    if current:
        pieces.append(_Piece(current, block.page))
    return pieces


def _split_table(markdown: str, limit: int) -> list[str]:
    """Split a long Markdown table between rows, repeating the header (and its separator line) in
    every part, so no row is ever separated from its header."""
    lines = markdown.split("\n")
    head, rows = lines[:2], lines[2:]
    parts: list[list[str]] = []
    size = 0
    for row in rows:
        if parts and size + len(row) + 1 <= limit:
            parts[-1].append(row)
            size += len(row) + 1
        else:
            parts.append([*head, row])
            size = sum(len(x) + 1 for x in parts[-1])
    return ["\n".join(part) for part in parts]


def _attach_lead_in(pieces: list[_Piece], first_list_piece: _Piece, limit: int) -> None:
    """Move the sentence that introduces a list ("… indelad i tre delar enligt nedan") into the
    list's piece, so chunking never separates a list from its lead-in."""
    last = pieces[-1]
    sentences = split_sentences(last.text)
    lead = sentences[-1] if sentences else ""
    if not lead or len(lead) + len(first_list_piece.text) + 2 > limit:
        return
    first_list_piece.text = f"{lead}\n\n{first_list_piece.text}"
    rest = last.text[: last.text.rfind(lead)].rstrip()
    if rest:
        last.text = rest
    else:
        pieces.pop()


def _sections(doc: LoadedDocument, limit: int) -> list[_Section]:
    title = str(doc.metadata.get("title") or "").strip().casefold()
    stack: list[tuple[int, str]] = []
    sections = [_Section(path=())]
    previous_kind = ""
    box: str | None = None
    for block in doc.blocks:
        if block.box is not None:
            # A box is a section of its own under the running text's section, titled by its first
            # heading (or its opening words); headings inside it do not change the running path.
            if block.box != box:
                title = block.text.strip() if block.kind == "heading" else _opening(block.text)
                heading = [title] if block.kind == "heading" else []
                sections.append(_Section(tuple(t for _, t in stack) + (title,), heading, box=True))
                box = block.box
                if heading:
                    continue
            sections[-1].pieces.extend(p for p in _split_oversized(block, limit) if p.text)
            previous_kind = block.kind
            continue
        if box is not None:
            box = None
            sections.append(_Section(tuple(t for _, t in stack)))  # the running text goes on
        if block.kind == "heading":
            if block.text.strip().casefold() == title and not stack:
                continue  # the document title is metadata, not a section
            stack = [(lvl, txt) for lvl, txt in stack if lvl < block.level] + [(block.level, block.text.strip())]
            sections.append(_Section(path=tuple(t for _, t in stack), heading_lines=[block.text.strip()]))
        else:
            pieces = _split_oversized(block, limit)
            if block.kind == "list" and sections[-1].pieces and previous_kind == "paragraph":
                _attach_lead_in(sections[-1].pieces, pieces[0], limit)
            sections[-1].pieces.extend(p for p in pieces if p.text)
        previous_kind = block.kind
    return [s for s in sections if s.pieces]


def _opening(text: str, words: int = 8) -> str:
    text = re.sub(r"^(- |\d+[.)] )", "", text.strip())
    first = split_sentences(text)[:1] or [text]
    parts = first[0].split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _is_list(text: str) -> bool:
    """Holds a list (maybe after its lead-in sentence)."""
    return bool(re.search(r"^(- |\d+[.)] )", text, re.MULTILINE))


def _overlap_tail(text: str, budget: int) -> str:
    """The last whole sentences of a chunk that fit in the overlap budget."""
    if budget <= 0:
        return ""
    tail: list[str] = []
    for sentence in reversed(split_sentences(text.replace("\n", " "))):
        if sum(len(s) + 1 for s in tail) + len(sentence) > budget:
            break
        tail.insert(0, sentence)
    return " ".join(tail)


_Marks = list[tuple[int, Any]]  # (character offset in the chunk text, page number or section path)


def _pack(section: _Section, size: int, overlap: int) -> list[tuple[str, _Marks, _Marks]]:
    """Pack a section's pieces into chunks of about `size` characters, each with its page marks and
    section marks: where in the chunk text a page, or a merged-in section, begins."""
    chunks: list[tuple[str, _Marks, _Marks]] = []
    lines = list(section.heading_lines)
    pages: _Marks = []
    paths: _Marks = []
    length = sum(len(h) + 1 for h in lines)
    has_body = False
    for piece in section.pieces:
        if has_body and length + len(piece.text) > size:
            chunks.append(("\n\n".join(lines), pages, paths))
            # Overlap repeats the previous paragraph's last sentences; a list or table is never cut into.
            tail = "" if _is_list(lines[-1]) or lines[-1].startswith("|") else _overlap_tail(lines[-1], overlap)
            lines = list(section.heading_lines) + ([tail] if tail else [])
            pages, paths = [], []
            length = sum(len(x) + 2 for x in lines)
        offset = len("\n\n".join(lines)) + 2 if lines else 0
        lines.append(piece.text)
        length += len(piece.text) + 2
        has_body = True
        if piece.page is not None and (not pages or pages[-1][1] != piece.page):
            pages.append((offset, piece.page))
        path = piece.path if piece.path is not None else section.path
        if path != (paths[-1][1] if paths else section.path):
            paths.append((offset, path))
    chunks.append(("\n\n".join(lines), pages, paths))
    return chunks


def page_at(metadata: dict[str, Any], offset: int) -> int | None:
    """The page of the text at `offset` in a chunk (a chunk may span pages)."""
    page = metadata.get("page")
    for start, number in json.loads(metadata.get("page_map") or "[]"):
        if start <= offset:
            page = number
    return page


def section_at(metadata: dict[str, Any], offset: int) -> str:
    """The section of the text at `offset` in a chunk (small sections are merged into one chunk)."""
    section = metadata.get("section") or ""
    for start, path in json.loads(metadata.get("section_map") or "[]"):
        if start <= offset:
            section = path
    return section


def _merge_small(sections: list[_Section], size: int) -> list[_Section]:
    """Join a small section with the following ones while they fit, so short web pages with many
    tiny headed sections give a few meaningful chunks instead of many fragments."""
    merged: list[_Section] = []
    for section in sections:
        prev = merged[-1] if merged else None
        apart = _stands_apart(section) or (prev is not None and _stands_apart(prev))
        if prev is not None and not apart and prev.size() + section.size() <= size and prev.size() < size * 0.6:
            body = [_Piece("\n".join(section.heading_lines), None)] if section.heading_lines else []
            prev.pieces.extend(_Piece(p.text, p.page, section.path) for p in body + section.pieces)
        else:
            merged.append(_Section(section.path, list(section.heading_lines), list(section.pieces), section.box))
    return merged


def _stands_apart(section: _Section) -> bool:
    """A box, or a municipality's lärande exempel, is a chunk of its own."""
    return section.box or "municipality" in example_fields(section)


def _merged_headings(paths: _Marks) -> tuple[str, ...]:
    return tuple(h for _, p in paths for h in p)


def _year(published: Any) -> int | None:
    match = YEAR.search(str(published or ""))
    return int(match.group(0)) if match else None


# A dated web address (regeringen.se and most news systems): ".../2005/05/prop.-200405150-/".
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(?:0[1-9]|1[0-2])/")


def _url_year(url: Any) -> int | None:
    match = _URL_DATE.search(str(url or ""))
    return int(match.group(1)) if match else None


def chunk_id(source: str, index: int, text: str) -> str:
    """Stable: the same document content always gives the same ids."""
    src = hashlib.sha1(source.encode()).hexdigest()[:12]
    body = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{src}-{index:04d}-{body}"


def base_metadata(doc: LoadedDocument) -> dict[str, Any]:
    meta = {k: v for k, v in doc.metadata.items() if isinstance(v, str | int | float | bool) and v != ""}
    meta["source"] = doc.source
    meta["title"] = str(doc.metadata.get("title") or doc.source)
    meta["doc_hash"] = doc.content_hash
    # A document without a publication date is dated by its address when that carries one.
    year = _year(doc.metadata.get("published")) or _url_year(doc.metadata.get("source_url"))
    if year:
        meta["year"] = year
    return meta


def _is_example_section(section: _Section) -> bool:
    """A section under a lärande exempel heading, or a box whose title names a municipality."""
    if any(EXAMPLE_HEADING.search(h) for h in section.path):
        return True
    return section.box and bool(section.path) and bool(_MUNICIPALITY[1].search(section.path[-1]))


def example_fields(section: _Section) -> dict[str, Any]:
    """For a lärande exempel section: is_example, the municipality it names and a short theme (the
    title without its "Lärande exempel: Så gjorde X" part, else the example's opening words)."""
    if not _is_example_section(section):
        return {}
    title = next((h for h in reversed(section.path) if EXAMPLE_HEADING.search(h)), section.path[-1])
    body = " ".join(p.text for p in section.pieces)
    fields: dict[str, Any] = {"is_example": True}
    municipality = _municipality(title) or _municipality(body[:300])
    if municipality:
        fields["municipality"] = municipality
    theme = title
    for pattern in _MUNICIPALITY:
        theme = pattern.sub("", theme)
    theme = _THEME_LEAD.sub("", EXAMPLE_HEADING.sub("", theme)).strip(" .:–-")
    fields["theme"] = theme if len(theme.split()) >= 1 and len(theme) > 3 else _opening(body)
    return fields


def _municipality(text: str) -> str | None:
    for pattern in _MUNICIPALITY:
        match = pattern.search(text)
        if match:
            name = match.group(1)
            # "Karlstads kommun" names Karlstad when the bare name appears too; "Hagfors kommun" stays.
            if name.endswith("s") and re.search(rf"\b{re.escape(name[:-1])}\b", text):
                name = name[:-1]
            return name
    return None


def page_details(metadata: dict[str, Any], page: int | None) -> tuple[str | None, bool]:
    """(printed page label, OCR'd?) of a page of a chunk."""
    if page is None:
        return None, False
    labels = json.loads(metadata.get("page_labels") or "{}")
    ocr = json.loads(metadata.get("ocr_pages") or "[]")
    return labels.get(str(page)), page in ocr


_Part = tuple[str, tuple[str, ...], _Marks, _Marks, dict[str, Any]]


def _finish(doc: LoadedDocument, parts: list[_Part]) -> list[Document]:
    base = base_metadata(doc)
    doc_is_example = bool(EXAMPLE_HEADING.search(base["title"]))
    labels = {
        b.page: b.page_label for b in doc.blocks if b.page is not None and b.page_label not in (None, str(b.page))
    }
    ocr_pages = {b.page for b in doc.blocks if b.ocr}
    out = []
    for index, (text, path, marks, paths, extra) in enumerate(parts):
        meta = dict(base)
        meta.update(
            chunk_id=chunk_id(doc.source, index, text),
            chunk_index=index,
            n_chunks=len(parts),
            section=" > ".join(path),
            is_example=doc_is_example or any(EXAMPLE_HEADING.search(h) for h in path + _merged_headings(paths)),
        )
        meta.update(extra)
        if marks:
            meta["page"] = marks[0][1]
            meta["page_end"] = marks[-1][1]
            pages = range(marks[0][1], marks[-1][1] + 1)
            if any(p in labels for p in pages):
                meta["page_label"] = labels.get(marks[0][1], str(marks[0][1]))
                meta["page_labels"] = json.dumps({str(p): labels[p] for p in pages if p in labels})
            if any(p in ocr_pages for p in pages):
                meta["ocr_pages"] = json.dumps([p for p in pages if p in ocr_pages])
        if len(marks) > 1:
            meta["page_map"] = json.dumps(marks)
        if paths:
            meta["section_map"] = json.dumps([(offset, " > ".join(p)) for offset, p in paths], ensure_ascii=False)
        out.append(Document(page_content=text, metadata=meta, id=meta["chunk_id"]))
    return out


def chunk_structured(doc: LoadedDocument, size: int = 1000, overlap: int = 150) -> list[Document]:
    parts: list[_Part] = []
    for section in _merge_small(_sections(doc, size), size):
        extra = example_fields(section)
        parts.extend((text, section.path, pages, paths, extra) for text, pages, paths in _pack(section, size, overlap))
    return _finish(doc, parts)


def chunk_recursive(doc: LoadedDocument, size: int = 1000, overlap: int = 200) -> list[Document]:
    """The tutorial recipe: RecursiveCharacterTextSplitter over each page's (or the whole) text."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap)
    by_page: dict[int | None, list[str]] = {}
    for block in doc.blocks:
        by_page.setdefault(block.page, []).append(block.text)
    parts = [
        (text, (), [(0, page)] if page is not None else [], [], {})
        for page, texts in by_page.items()
        for text in splitter.split_text("\n\n".join(texts))
    ]
    return _finish(doc, parts)


CHUNKERS = {"structure": chunk_structured, "recursive": chunk_recursive}


def embedding_text(chunk: Document) -> str:
    """What the dense and lexical indexes see: title and section give a passage its context."""
    meta = chunk.metadata
    head = " – ".join(x for x in (meta.get("title"), meta.get("section")) if x)
    return f"{head}\n{chunk.page_content}" if head else chunk.page_content

"""Load a file or URL into a LoadedDocument: dispatch on the format, then remove web clutter.

`clean_blocks` runs here for every format; `ingest.clean.drop_repeated_lines` needs the whole
run and is left to the caller. Given IngestLimits, a file is parsed in a limited worker process
(`ingest.loaders.isolate`) after the cheap bomb checks of `ingest.loaders.bombs`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ingest.clean import clean_blocks
from ingest.limits import IngestLimits
from ingest.loaders.bombs import check_docx, check_pdf
from ingest.loaders.docx import parse_docx
from ingest.loaders.html import parse_html
from ingest.loaders.isolate import run_isolated
from ingest.loaders.pdf import parse_pdf
from ingest.loaders.text import parse_markdown, parse_text
from ingest.loaders.web import fetch
from ingest.model import Block, LoadedDocument, LoadError

_KIND_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES = frozenset(_KIND_BY_SUFFIX)

_KIND_BY_CONTENT_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
}


def load_path(path: Path, root: Path, limits: IngestLimits | None = None) -> LoadedDocument:
    """Load one file; `source` is its path relative to `root` (its name if given directly).
    With `limits` the file is parsed in a limited worker process."""
    suffix = path.suffix.lower()
    kind = _KIND_BY_SUFFIX.get(suffix)
    if kind is None:
        hint = " (save it as .docx)" if suffix == ".doc" else ""
        raise LoadError(f"unsupported file type {suffix or '(no suffix)'}{hint}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"could not read file: {exc.strerror or exc}") from exc
    return _load(_source(path, root), data, kind, path.stem, None, limits)


def load_url(url: str, limits: IngestLimits | None = None) -> LoadedDocument:
    """Fetch an http(s) URL and load it as HTML, PDF, DOCX or text by Content-Type or suffix."""
    response = fetch(url, limits or IngestLimits())
    parts = urlsplit(url)
    content_type = response.content_type
    suffix = PurePosixPath(parts.path).suffix.lower()
    # Generic types say little: trust the URL's suffix first (a .md served as text/plain).
    generic = content_type in ("", "application/octet-stream", "text/plain")
    kind = (_KIND_BY_SUFFIX.get(suffix) if generic else None) or _KIND_BY_CONTENT_TYPE.get(content_type)
    if kind is None:
        raise LoadError(f"unsupported content type {content_type or '(none)'} at URL")
    name = PurePosixPath(unquote(parts.path)).stem or parts.netloc
    doc = _load(url, response.content, kind, name, response.charset, limits)
    doc.metadata.setdefault("source_url", url)
    return doc


def _source(path: Path, root: Path) -> str:
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return path.name
    return relative.as_posix() if relative.parts else path.name


def _parse(kind: str, data: bytes, encoding: str | None) -> tuple[dict[str, Any], list[Block]]:
    if kind == "markdown":
        return parse_markdown(data)
    if kind == "text":
        return parse_text(data)
    if kind == "html":
        return parse_html(data, encoding)
    if kind == "pdf":
        return parse_pdf(data)
    return parse_docx(data)


def _load(
    source: str, data: bytes, kind: str, fallback_title: str, encoding: str | None, limits: IngestLimits | None
) -> LoadedDocument:
    if not data.strip():
        raise LoadError("empty file")
    args = (source, data, kind, fallback_title, encoding, limits or IngestLimits())
    return run_isolated(_build, args, limits) if limits is not None else _build(*args)


def _build(
    source: str, data: bytes, kind: str, fallback_title: str, encoding: str | None, limits: IngestLimits
) -> LoadedDocument:
    if kind == "docx":
        check_docx(data, limits)
    elif kind == "pdf":
        check_pdf(data, limits)
    metadata, blocks = _parse(kind, data, encoding)
    if len(blocks) > limits.paragraphs:
        raise LoadError(f"the document has {len(blocks)} paragraphs (limit {limits.paragraphs}); refused")
    if not blocks:
        raise LoadError("no text content")
    blocks = clean_blocks(blocks)
    if not blocks:
        raise LoadError("no text content left after removing web clutter")
    if not metadata.get("title"):
        metadata["title"] = next((b.text for b in blocks if b.kind == "heading"), fallback_title)
    return LoadedDocument(source, hashlib.sha256(data).hexdigest(), metadata, blocks)

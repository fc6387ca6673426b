"""Cheap checks before a parser opens a file: refuse decompression bombs and oversized documents
by reading the container (zip directory, PDF streams) instead of building the document."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ingest.limits import IngestLimits
from ingest.model import LoadError

_CHUNK = 1 << 20
_ZIP_MEMBERS = 5000
# A WordprocessingML paragraph start: <w:p>, <w:p w:rsidR="…">, <w:p/> (any namespace prefix).
_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s>/]")
_STREAM = re.compile(rb"stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image")


def check_docx(data: bytes, limits: IngestLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return  # not a zip: the DOCX loader reports the file as corrupt
    members = archive.infolist()
    if len(members) > _ZIP_MEMBERS:
        raise LoadError(f"the .docx holds {len(members)} files (at most {_ZIP_MEMBERS}); refused as unsafe")
    # zipfile never inflates a member beyond its declared size, so the declared sizes bound memory.
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise LoadError(
            f"the .docx unpacks to {unpacked // 2**20} MB (limit {limits.unpacked_mb} MB); refused as a zip bomb"
        )
    try:
        paragraphs = _count(archive, "word/document.xml")
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
        return
    if paragraphs > limits.paragraphs:
        raise LoadError(f"the .docx has {paragraphs} paragraphs (limit {limits.paragraphs}); refused")


def _count(archive: zipfile.ZipFile, name: str) -> int:
    count, tail = 0, b""
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            window = tail + chunk
            count += len(_PARAGRAPH.findall(window))
            tail = window[-16:]
            count -= len(_PARAGRAPH.findall(tail))  # matches in the tail are counted with the next chunk
    return count + len(_PARAGRAPH.findall(tail))


def check_pdf(data: bytes, limits: IngestLimits) -> None:
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        pages = 0  # unreadable for pypdf: the PDF loader gives the reason
    if pages > limits.pages:
        raise LoadError(f"the PDF has {pages} pages (limit {limits.pages}); split it first")
    inflated = _inflated_size(data, limits.unpacked_bytes)
    if inflated > limits.unpacked_bytes:
        raise LoadError(
            f"the PDF's compressed text streams inflate to more than {limits.unpacked_mb} MB; refused as a "
            "decompression bomb"
        )


def _inflated_size(data: bytes, cap: int) -> int:
    """Total inflated size of the PDF's zlib streams (images excepted: the text reader never
    decodes them), counted without keeping the output and stopped once past `cap`."""
    total = 0
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 2048) : match.start()]
        if _IMAGE.search(head[head.rfind(b" obj") :]):
            continue
        inflater = zlib.decompressobj()
        pos = match.end()
        try:
            while pos < len(data) and not inflater.eof and total <= cap:
                pending = data[pos : pos + 65536]
                pos += len(pending)
                while pending and total <= cap:
                    total += len(inflater.decompress(pending, _CHUNK))
                    pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # not a zlib stream (or not one we can read): the parser decides
        if total > cap:
            break
    return total

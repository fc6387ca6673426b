"""Per-file limits for reading documents: what one file may cost before it is refused.

The defaults admit the official guidance documents (a few hundred pages, a few MB) with a wide
margin and refuse decompression bombs: a 400 KB PDF that inflates to 400 MB, a 13 KB DOCX of
100,000 paragraphs. The service and CLI fill them from Settings (KOMMUNSTOD_MAX_PARSE_*).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class IngestLimits:
    parse_seconds: float = 120.0  # wall time to read one file, in a worker process killed after it
    parse_memory_mb: int = 2048  # address space the worker may add while reading one file
    unpacked_mb: int = 256  # inflated size of a DOCX's zip members or a PDF's compressed streams
    pages: int = 3000  # PDF pages
    paragraphs: int = 50_000  # DOCX paragraphs (and text blocks of any format)
    url_mb: int = 50  # bytes read from one URL
    url_seconds: float = 30.0  # whole download of one URL, redirects included

    @property
    def unpacked_bytes(self) -> int:
        return self.unpacked_mb * MB

    @property
    def url_bytes(self) -> int:
        return self.url_mb * MB

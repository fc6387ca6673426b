"""Document metadata as it may be stored: no key that the store, chunker or citations set
themselves, plain-text values, http(s)-only URLs, and only values Chroma and JSON can hold.

Every loader's metadata (front matter, HTML <meta>, DOCX and PDF properties) and a manifest's
overrides pass through `clean_metadata` before chunking, so nothing a document says about itself
can break retrieval, citations or the API's JSON.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from ingest.model import LoadError

# Keys written by the chunker (ingest/chunk.py), the pipeline and the store, and read back by
# retrieval, citations and the API. A document may not set them.
RESERVED_KEYS = frozenset(
    {
        "source",
        "doc_hash",
        "chunk_id",
        "chunk_index",
        "n_chunks",
        "section",
        "section_map",
        "page",
        "page_end",
        "page_map",
        "is_example",
        "year",
        "ingest_root",
    }
)
_KEY = re.compile(r"^[^\W\d][\w.-]{0,63}$")  # also keeps out Chroma's own "chroma:…" and "#…" keys
_MAX_KEYS = 50
_MAX_TEXT = 2000
_INT64 = 2**63
# Control characters and the bidi overrides that can make a name read differently than it is.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def is_url_key(key: str) -> bool:
    return key.lower().endswith("url")


def clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """The storable form of a document's metadata; LoadError for a reserved or unusable key."""
    if len(metadata) > _MAX_KEYS:
        raise LoadError(f"the document has {len(metadata)} metadata fields (at most {_MAX_KEYS})")
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if key in RESERVED_KEYS:
            raise LoadError(
                f"metadata field '{key}' is reserved for Kommunstöd's own use; rename it "
                f"(reserved: {', '.join(sorted(RESERVED_KEYS))})"
            )
        if not isinstance(key, str) or not _KEY.match(key):
            raise LoadError(
                f"metadata field name {str(key)[:80]!r} is not allowed: use letters, digits, '_', '.' or '-'"
            )
        cleaned = _value(key, value)
        if cleaned is not None and cleaned != "":
            out[key] = cleaned
    return out


def _value(key: str, value: Any) -> str | int | float | bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -_INT64 <= value < _INT64 else str(value)  # Chroma holds 64-bit integers
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # NaN and infinity are not JSON
    if not isinstance(value, str):
        return None
    text = plain_text(value)
    return safe_url(text) if is_url_key(key) else text


def plain_text(value: str) -> str:
    """Markup removed, entities decoded, invisible controls dropped, whitespace collapsed."""
    text = value[: _MAX_TEXT * 4]
    if "<" in text or "&" in text:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            text = BeautifulSoup(text, "html.parser").get_text(" ")
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())[:_MAX_TEXT]


def safe_url(value: str) -> str | None:
    """An absolute http(s) URL, or None (javascript:, data:, relative or malformed)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or re.search(r"[\s<>\"'`]", value):
        return None
    return value

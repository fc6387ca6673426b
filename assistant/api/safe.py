"""What the API sends out of document metadata: titles and sections as plain text, links only
http(s). Ingest cleans metadata as it stores it; this keeps answers safe for any store, including
one ingested before that."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_TAG = re.compile(r"<[a-zA-Z/!?][^<>]{0,2000}>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_PLAIN_FIELDS = {"title", "section", "publisher"}
_URL_FIELDS = {"source_url"}


def safe_url(url: Any) -> str | None:
    """An absolute http(s) link, or None (javascript:, data:, relative and malformed ones)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or re.search(r"[\s<>\"'`\\]", url):
        return None
    return url


def plain_text(text: Any) -> Any:
    """One line of text without markup or control characters."""
    if not isinstance(text, str):
        return text
    return " ".join(_CONTROL.sub(" ", _TAG.sub(" ", text)).split())


def public(data: Any) -> Any:
    """An answer, hit list or event with every title plain and every link http(s); the answer text
    loses tags (a refusal names the nearest documents by title)."""
    if isinstance(data, list):
        return [public(x) for x in data]
    if not isinstance(data, dict):
        return data
    out = {}
    if data.get("type") == "token" and isinstance(data.get("text"), str):  # a streamed piece of the answer
        return data | {"text": _TAG.sub("", data["text"])}
    for key, value in data.items():
        if key in _URL_FIELDS:
            out[key] = safe_url(value)
        elif key in _PLAIN_FIELDS:
            out[key] = plain_text(value)
        elif key == "answer" and isinstance(value, str):
            out[key] = _TAG.sub("", value)
        else:
            out[key] = public(value)
    return out

"""What the API sends out of document metadata: titles and sections as plain text, links only
http(s). Ingest cleans metadata as it stores it; this keeps answers safe for any store, including
one ingested before that."""

from __future__ import annotations

import re
from typing import Any

from ingest.metadata import plain_text, safe_url

_TAG = re.compile(r"<[a-zA-Z/!?][^<>]{0,2000}>")
_PLAIN_FIELDS = {"title", "section", "publisher"}
_URL_FIELDS = {"source_url"}


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
            out[key] = safe_url(value) if isinstance(value, str) else None
        elif key in _PLAIN_FIELDS:
            out[key] = plain_text(value) if isinstance(value, str) else value
        elif key == "answer" and isinstance(value, str):
            out[key] = _TAG.sub("", value)
        else:
            out[key] = public(value)
    return out

"""YAML front matter: split it from a Markdown/TXT body and turn it into document metadata."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ingest.model import DOCUMENT_FIELDS, LoadError

_FENCE = "---"


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Return (yaml_text, body); yaml_text is None when the text has no front matter.

    The block must open on the very first line and closes at the next line that is exactly
    `---`, so values that merely contain `---` (e.g. regeringen.se URLs) do not end it.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None, text
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() == _FENCE:
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    raise LoadError("front matter opened with '---' on the first line is never closed by a '---' line")


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body). Metadata keeps DOCUMENT_FIELDS as strings plus other scalar keys."""
    raw, body = split_front_matter(text)
    if raw is None:
        return {}, text
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LoadError(f"front matter is not valid YAML{where}: {reason}") from exc
    except RecursionError as exc:
        raise LoadError("front matter is nested too deeply") from exc
    except (ValueError, OverflowError) as exc:
        # PyYAML's constructors: an impossible date (2022-13-45), an integer of thousands of digits.
        raise LoadError(f"front matter has a value that cannot be read: {str(exc)[:160]}") from exc
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise LoadError(f"front matter must be a YAML mapping of keys to values, got {type(data).__name__}")
    return _normalise(data), body


def _normalise(data: dict[Any, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).strip()
        if value is None:
            continue
        if name in DOCUMENT_FIELDS:
            if isinstance(value, dict):
                raise LoadError(f"front matter field '{name}' must be a single value, not a mapping")
            text = _as_text(value)
            if text:
                meta[name] = text
        elif isinstance(value, dt.date):
            meta[name] = value.isoformat()
        elif isinstance(value, str | int | float | bool):
            # Other scalar keys (e.g. license) are kept; lists/maps cannot go into a vector store.
            meta[name] = value.strip() if isinstance(value, str) else value
    return meta


def _as_text(value: Any) -> str:
    """YAML turns `published: 2022-06-10` into a date and `published: 2022` into an int."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(v) for v in value if v is not None and not isinstance(v, dict | list))
    return " ".join(str(value).split())

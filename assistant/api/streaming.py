"""Server-sent events shared by /api/ask/stream and /v1/chat/completions."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi.sse import format_sse_event

log = logging.getLogger(__name__)

# Proxies must pass each event on at once, and nothing may cache a personal answer.
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
STREAM_FAILED = "Svaret kunde inte slutföras på grund av ett serverfel."


def sse(data: Any, event: str | None = None) -> bytes:
    return format_sse_event(event=event, data_str=json.dumps(data, ensure_ascii=False))


def guarded(frames: Iterator[bytes], failure: bytes) -> Iterator[bytes]:
    """Once the status line is sent an error can only be reported in-band, as a last event."""
    try:
        yield from frames
    except Exception:
        log.exception("answer stream failed")
        yield failure

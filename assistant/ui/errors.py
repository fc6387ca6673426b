"""A store outage or a question over the time limit, shown in Swedish in the UI rather than as
Gradio's generic error."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.service import AnswerTimeout
from ingest.store import StoreError

STORE_DOWN = (
    "Dokumentlagret går inte att nå just nu. Försök igen om en stund, eller kontakta den som driftar Kommunstöd."
)


def swedish_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps a UI handler (plain or generator); functools.wraps keeps the signature Gradio reads."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except StoreError as exc:
                raise gr.Error(STORE_DOWN, title="Fel") from exc
            except AnswerTimeout as exc:
                raise gr.Error(str(exc), title="Fel") from exc

        return generator

    @functools.wraps(fn)
    def plain(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StoreError as exc:
            raise gr.Error(STORE_DOWN, title="Fel") from exc
        except AnswerTimeout as exc:
            raise gr.Error(str(exc), title="Fel") from exc

    return plain

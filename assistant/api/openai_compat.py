"""OpenAI-compatible POST /v1/chat/completions and GET /v1/models, for existing chat clients.

The last user message is the question and earlier user/assistant turns are the history; system
prompts are ignored (the assistant answers only from its documents). The sources are appended to
the message as a numbered list and returned in an extra `sources` field; `mode`, `verification`
and `fallback` say whether the answer was generated and what its check removed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import Field, model_validator

from assistant.api.auth import require_read
from assistant.api.deps import get_service
from assistant.api.errors import COMMON_ERRORS, ApiError, error_responses
from assistant.api.models import MAX_TURN_CHARS, FiltersIn, Name, StrictModel, TurnText
from assistant.api.safe import public
from assistant.api.streaming import SSE_HEADERS, STREAM_FAILED, guarded, sse
from assistant.domain import page_text
from assistant.service import AssistantService

MODEL_ID = "kommunstod"
router = APIRouter(
    prefix="/v1",
    tags=["OpenAI-kompatibelt"],
    dependencies=[Depends(require_read)],
    responses=error_responses(*COMMON_ERRORS, 404, openai=True),
)


class TextPart(StrictModel):
    type: Literal["text"]
    text: TurnText


class MessageIn(StrictModel):
    role: Literal["system", "developer", "user", "assistant"]
    content: TurnText | Annotated[list[TextPart], Field(max_length=20)]
    name: Name | None = None

    @model_validator(mode="after")
    def _not_too_long(self) -> MessageIn:
        if len(self.text) > MAX_TURN_CHARS:
            raise ValueError(f"meddelandet är för långt ({len(self.text)} tecken, högst {MAX_TURN_CHARS})")
        return self

    @property
    def text(self) -> str:
        return self.content if isinstance(self.content, str) else "\n".join(p.text for p in self.content)


class ChatCompletionIn(StrictModel):
    model: Name
    messages: Annotated[list[MessageIn], Field(min_length=1, max_length=80)]
    stream: bool = False
    filters: FiltersIn = Field(default_factory=FiltersIn, description="Tillägg: samma filter som /api/ask.")
    # Options chat clients send by habit; an extractive answer has nothing to sample, so they are ignored.
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    n: Literal[1] | None = None
    stop: Name | Annotated[list[Name], Field(max_length=4)] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    user: Name | None = None
    stream_options: dict[str, Any] | None = None


def sources_text(citations: list[dict[str, Any]]) -> str:
    if not citations:
        return ""
    lines = []
    for c in citations:
        page = page_text(c.get("page"), c.get("page_label"), c.get("ocr", False))
        where = ", ".join(x for x in (c.get("section"), page) if x)
        link = c.get("source_url") or c.get("source")
        lines.append(f"[{c['n']}] {c['title']}" + (f", {where}" if where else "") + f" – {link}")
    return "\n\nKällor:\n" + "\n".join(lines)


# A streamed generated answer cannot be taken back; when it is replaced, the client is told so.
REPLACED = "(Det genererade svaret ersätts av svaret ur dokumenten:)"


def _extras(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: answer[k] for k in ("mode", "verification", "fallback")}


def _conversation(messages: list[MessageIn]) -> tuple[str, list[dict[str, str]]]:
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise ApiError(422, "Det sista meddelandet ska vara användarens fråga (role 'user').")
    return turns[-1].text, [{"role": m.role, "content": m.text} for m in turns[:-1]]


def _chunk(completion_id: str, created: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _chunks(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    yield sse(_chunk(completion_id, created, {"role": "assistant", "content": ""}))
    for event in map(public, events):
        if event["type"] == "token":
            yield sse(_chunk(completion_id, created, {"content": event["text"]}))
        elif event["type"] == "replace":
            yield sse(_chunk(completion_id, created, {"content": f"\n\n{REPLACED}\n\n{event['text']}"}))
        elif event["type"] == "citations" and event["citations"]:
            yield sse(_chunk(completion_id, created, {"content": sources_text(event["citations"])}))
        elif event["type"] == "done":
            final = _chunk(completion_id, created, {}, finish="stop")
            yield sse(final | {"sources": event["answer"]["citations"]} | _extras(event["answer"]))
    yield b"data: [DONE]\n\n"


@router.get("/models", summary="Modeller")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "kommunstod"}]}


@router.post("/chat/completions", summary="Chattsvar i OpenAI:s format", response_model=None)
def chat_completions(
    body: ChatCompletionIn, service: AssistantService = Depends(get_service)
) -> dict[str, Any] | StreamingResponse:
    if body.model != MODEL_ID:
        raise ApiError(404, f"Modellen {body.model!r} finns inte. Använd {MODEL_ID!r}.")
    question, history = _conversation(body.messages)
    filters = body.filters.to_filters()
    if body.stream:
        events = service.stream(question, history, filters)
        failure = sse({"error": {"message": STREAM_FAILED, "type": "server_error", "code": 500}})
        return StreamingResponse(guarded(_chunks(events), failure), media_type="text/event-stream", headers=SSE_HEADERS)
    answer = public(service.ask(question, history, filters).to_json())
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer["answer"] + sources_text(answer["citations"])},
                "finish_reason": "stop",
            }
        ],
        "sources": answer["citations"],
    } | _extras(answer)

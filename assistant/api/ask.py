"""POST /api/ask and /api/ask/stream: the same answer JSON as `kommunstod ask --json`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from fastapi.sse import EventSourceResponse
from pydantic import Field, StringConstraints

from assistant.api.auth import require_read
from assistant.api.deps import get_service
from assistant.api.errors import COMMON_ERRORS, error_responses
from assistant.api.models import FiltersIn, History, StrictModel, history_dicts
from assistant.api.safe import public
from assistant.api.streaming import SSE_HEADERS, STREAM_FAILED, guarded, sse
from assistant.service import AssistantService

router = APIRouter(
    prefix="/api", tags=["fråga"], dependencies=[Depends(require_read)], responses=error_responses(*COMMON_ERRORS)
)


class AskIn(StrictModel):
    # The answer chain has its own, lower limit with a friendlier message; this one only caps payloads.
    question: Annotated[str, StringConstraints(max_length=10_000)]
    history: History = []
    filters: FiltersIn = Field(default_factory=FiltersIn)


def _frames(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield sse(public(event), event=event["type"])


@router.post("/ask", summary="Ställ en fråga")
def ask(body: AskIn, service: AssistantService = Depends(get_service)) -> dict[str, Any]:
    answer = service.ask(body.question, history_dicts(body.history), body.filters.to_filters())
    return public(answer.to_json())


# Not response_class=EventSourceResponse: FastAPI would then expect a generator endpoint, and this one
# must check the question before the response starts.
@router.post(
    "/ask/stream",
    summary="Ställ en fråga, svaret strömmas",
    description="Server-sent events: `token` (text), sedan `citations`, sedan `done` med hela svaret. "
    "I generativt läge strömmas språkmodellens granskade meningar när de blir klara; `replace` (text) "
    "ersätter det som visats med svaret ur dokumenten om det genererade svaret inte håller. I extraktivt "
    "läge är svaret färdigt innan det skickas och delas bara upp i bitar.",
    response_class=Response,
    responses={200: {"content": {"text/event-stream": {}}, "description": "händelseström"}},
)
def ask_stream(body: AskIn, service: AssistantService = Depends(get_service)) -> EventSourceResponse:
    events = service.stream(body.question, history_dicts(body.history), body.filters.to_filters())
    failure = sse({"type": "error", "message": STREAM_FAILED}, event="error")
    return EventSourceResponse(guarded(_frames(events), failure), headers=SSE_HEADERS)

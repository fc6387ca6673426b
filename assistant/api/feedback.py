"""POST /api/feedback (thumbs up/down on an answer) and GET /api/feedback/export (admin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import Field, StringConstraints

from assistant.api.auth import require_admin, require_read
from assistant.api.deps import get_feedback
from assistant.api.errors import COMMON_ERRORS, error_responses
from assistant.api.models import StrictModel
from assistant.feedback import FeedbackEntry, FeedbackStore

router = APIRouter(prefix="/api/feedback", tags=["återkoppling"], responses=error_responses(*COMMON_ERRORS))


class FeedbackIn(StrictModel):
    rating: Literal["up", "down"]
    question: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    answer: Annotated[str, StringConstraints(max_length=50_000)]
    citations: Annotated[list[dict[str, Any]], Field(max_length=50)] = []
    comment: Annotated[str, StringConstraints(max_length=5_000)] = ""


_EXPORTS = {
    "csv": ("text/csv; charset=utf-8", FeedbackStore.export_csv),
    "jsonl": ("application/x-ndjson; charset=utf-8", FeedbackStore.export_jsonl),
}


@router.post("", summary="Tumme upp/ner på ett svar", status_code=201, dependencies=[Depends(require_read)])
def add_feedback(body: FeedbackIn, store: FeedbackStore = Depends(get_feedback)) -> dict[str, Any]:
    entry = store.add(FeedbackEntry(**body.model_dump(), channel="api"))
    return {"id": entry.id, "created": entry.created}


@router.get("/export", summary="Exportera återkopplingen", dependencies=[Depends(require_admin)])
def export_feedback(
    format: Annotated[Literal["csv", "jsonl"], Query()] = "csv",
    store: FeedbackStore = Depends(get_feedback),
) -> Response:
    media_type, export = _EXPORTS[format]
    return Response(
        export(store),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="kommunstod-feedback.{format}"'},
    )

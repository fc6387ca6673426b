"""GET /api/search: the passages that best match a query, with the same filters as /api/ask."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field, StringConstraints

from assistant.api.auth import require_read
from assistant.api.deps import get_service
from assistant.api.errors import COMMON_ERRORS, error_responses
from assistant.api.models import FiltersIn
from assistant.api.safe import public
from assistant.service import AssistantService

router = APIRouter(
    prefix="/api", tags=["sök"], dependencies=[Depends(require_read)], responses=error_responses(*COMMON_ERRORS)
)


class SearchParams(FiltersIn):
    q: Annotated[str, StringConstraints(max_length=10_000)]
    k: int = Field(5, ge=1, le=50)


@router.get("/search", summary="Sök bland avsnitten")
def search(
    params: Annotated[SearchParams, Query()], service: AssistantService = Depends(get_service)
) -> list[dict[str, Any]]:
    return [public(hit.to_json()) for hit in service.search(params.q, k=params.k, filters=params.to_filters())]

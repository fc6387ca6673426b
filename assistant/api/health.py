"""GET /health: store reachable, counts, model names, version (open, for load balancers)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from assistant.api.deps import get_service
from assistant.service import AssistantService

router = APIRouter(tags=["drift"])


@router.get("/health", summary="Hälsa")
def health(service: AssistantService = Depends(get_service)) -> JSONResponse:
    # The worker's process id tells which of several workers answered.
    report = service.health() | {"worker": os.getpid()}
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

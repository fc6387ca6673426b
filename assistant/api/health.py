"""GET /health: open for load balancers, with only the status; store counts, model names and the
version too when the read token is given (or none is set)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials

from assistant.access import AccessDenied, check_read
from assistant.api.auth import bearer
from assistant.api.deps import get_service
from assistant.api.errors import error_responses
from assistant.service import AssistantService

router = APIRouter(tags=["drift"], responses=error_responses(400))


@router.get("/health", summary="Hälsa")
def health(
    request: Request,
    service: AssistantService = Depends(get_service),
    token: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> JSONResponse:
    # The worker's process id tells which of several workers answered.
    report = service.health() | {"worker": os.getpid()}
    status = 200 if report["status"] == "ok" else 503
    try:
        check_read(request.app.state.settings, token.credentials if token else None)
    except AccessDenied:
        return JSONResponse({"status": report["status"]}, status_code=status)
    return JSONResponse(report, status_code=status)

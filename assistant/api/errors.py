"""Error responses: every client error is a 4xx with a Swedish `detail`; /v1 speaks OpenAI's shape.

Server-side failures are the only 5xx: an unreachable store (503) and bugs (500).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.access import AccessDenied, TokenMissing
from assistant.domain import QuestionError
from assistant.uploads import UploadRejected
from ingest.store import StoreError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A client error with its status and a Swedish message for the user."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


_UPLOAD_STATUS = {"name": 400, "type": 415, "size": 413}
_HTTP_MESSAGES = {
    400: "Begäran är felaktig.",
    404: "Adressen finns inte.",
    405: "Metoden stöds inte på den här adressen.",
}


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    if request.url.path.startswith("/v1/"):
        kind = "invalid_request_error" if status < 500 else "server_error"
        body: dict[str, Any] = {"error": {"message": message, "type": kind, "param": None, "code": status}}
    else:
        body = {"detail": message, **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple | list) -> str:
    # ("body", "filters", "region") → "filters.region"; the location kind is noise for the reader.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "begäran"


def _validation_message(errors: list[dict[str, Any]]) -> str:
    problems = []
    for err in errors[:5]:
        name = _field(err.get("loc", ()))
        kind = err.get("type", "")
        if kind == "extra_forbidden":
            problems.append(f"okänt fält '{name}'")
        elif kind == "missing":
            problems.append(f"fältet '{name}' saknas")
        else:
            problems.append(f"'{name}': {err.get('msg', 'ogiltigt värde')}")
    return "Ogiltig begäran: " + "; ".join(problems) + "."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(AccessDenied)
    async def _access_denied(request: Request, exc: AccessDenied) -> JSONResponse:
        if isinstance(exc, TokenMissing):
            return error_response(request, 401, str(exc), {"WWW-Authenticate": "Bearer"})
        return error_response(request, 403, str(exc))

    @app.exception_handler(UploadRejected)
    async def _upload_rejected(request: Request, exc: UploadRejected) -> JSONResponse:
        return error_response(request, _UPLOAD_STATUS[exc.kind], str(exc))

    @app.exception_handler(QuestionError)
    async def _question_error(request: Request, exc: QuestionError) -> JSONResponse:
        return error_response(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(request, 400, "Begäran är inte giltig JSON.")
        plain = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return error_response(request, 422, _validation_message(errors), errors=plain)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette's own errors (404, 405, malformed multipart) carry English defaults.
        if exc.status_code == 400 and exc.detail:
            message = f"Begäran är felaktig: {exc.detail}"
        else:
            message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return error_response(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(request, 503, f"Dokumentlagret går inte att nå just nu: {exc}")

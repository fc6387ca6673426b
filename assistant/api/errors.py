"""Error responses: every client error is a 4xx with a Swedish `detail`; /v1 speaks OpenAI's shape.

Server-side failures are the only 5xx: an unreachable store or a question over the time limit (503)
and bugs (500).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.access import AccessDenied, TokenMissing
from assistant.domain import QuestionError
from assistant.service import AnswerTimeout
from assistant.throttle import TooManyFailures
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


class ErrorOut(BaseModel):
    detail: str
    errors: list[dict[str, Any]] | None = None  # validation errors, field by field


class OpenAIError(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: int


class OpenAIErrorOut(BaseModel):
    error: OpenAIError


_DESCRIPTIONS = {
    400: "felaktig begäran",
    401: "nyckel saknas",
    403: "fel nyckel, eller avstängt",
    404: "finns inte",
    409: "krockar med ett befintligt dokument",
    411: "Content-Length saknas",
    413: "för stor",
    415: "filtypen stöds inte",
    422: "ogiltigt innehåll",
    429: "för många misslyckade inloggningar",
    503: "lagret går inte att nå, eller frågan tog för lång tid",
}
COMMON_ERRORS = (400, 401, 403, 413, 422, 429, 503)


def error_responses(*statuses: int, openai: bool = False) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of the error bodies routes send (see error_response)."""
    model = OpenAIErrorOut if openai else ErrorOut
    return {status: {"model": model, "description": _DESCRIPTIONS[status]} for status in statuses}


_UPLOAD_STATUS = {"name": 400, "type": 415, "size": 413, "conflict": 409}
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
        if isinstance(exc, TooManyFailures):
            return error_response(request, 429, str(exc), {"Retry-After": str(exc.retry_after)})
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

    @app.exception_handler(AnswerTimeout)
    async def _timeout(request: Request, exc: AnswerTimeout) -> JSONResponse:
        log.warning("request over the time limit on %s", request.url.path)
        return error_response(request, 503, str(exc), {"Retry-After": "10"})

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(request, 503, f"Dokumentlagret går inte att nå just nu: {exc}")

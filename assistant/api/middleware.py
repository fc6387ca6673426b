"""Checks on every request before any route: the Host header (DNS rebinding), CORS (no origin is
trusted with credentials) and the size of JSON bodies."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import error_response
from assistant.settings import Settings

LOOPBACK = ["localhost", "127.0.0.1", "::1", "[::1]"]
_WILDCARD = {"0.0.0.0", "::", ""}
MAX_JSON_BYTES = 2 * 1024 * 1024  # 80 turns of 20,000 characters fit; anything larger is no question
# Smaller caps for routes that store what they are sent. Uploads have their own (KOMMUNSTOD_MAX_UPLOAD_MB).
BODY_LIMITS = {"/api/feedback": 256 * 1024}
_UNLIMITED = {("POST", "/api/documents")}
_LIMITED_PREFIXES = ("/api/", "/v1/")


def allowed_hosts(settings: Settings) -> list[str]:
    """Host names the server answers to: loopback, the configured host and KOMMUNSTOD_ALLOWED_HOSTS.
    Listening on every interface (0.0.0.0) without KOMMUNSTOD_ALLOWED_HOSTS accepts any name."""
    extra = [h.strip() for h in settings.allowed_hosts.split(",") if h.strip()]
    if settings.host in _WILDCARD and not extra:
        return ["*"]
    own = [] if settings.host in _WILDCARD else [settings.host]
    return list(dict.fromkeys([*LOOPBACK, *own, *extra]))


def body_limit(method: str, path: str) -> int | None:
    if (method, path.rstrip("/")) in _UNLIMITED or not path.startswith(_LIMITED_PREFIXES):
        return None
    return next((limit for prefix, limit in BODY_LIMITS.items() if path.startswith(prefix)), MAX_JSON_BYTES)


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"Begäran är för stor (högst {limit // 1024} kB).")


class BodyLimitMiddleware:
    """413 for a body over the route's limit: at once by Content-Length, or while reading a chunked
    body, so that no route ever holds more than the limit in memory."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = body_limit(scope.get("method", ""), scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await _reject(scope, receive, send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)  # inside the app: answered by the app's error handler
            return message

        await self.app(scope, counted, send)


async def _reject(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    request = Request(scope, receive)
    exc = too_large(limit)
    await error_response(request, exc.status_code, str(exc.detail))(scope, receive, send)


def install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(BodyLimitMiddleware)
    # Same-origin pages (the UI, /docs) need no CORS; other origins get no credentials, and only the
    # ones listed in KOMMUNSTOD_CORS_ORIGINS may read answers. Gradio defers to this middleware.
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False, allow_methods=["GET", "POST"])
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings), www_redirect=False)

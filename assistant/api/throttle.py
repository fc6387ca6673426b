"""Failed logins and token checks, counted per client address: after too many in a while, that
client gets 429 until the window has passed, so tokens cannot be guessed at speed."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import ApiError

MAX_FAILURES = 10
WINDOW_SECONDS = 300.0
TOO_MANY = "För många misslyckade inloggningar från den här adressen. Försök igen om några minuter."


class FailureThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()  # held only to update one client's counts

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures[client]
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def check(self, client: str) -> None:
        """ApiError 429 while the client has used up its failures."""
        with self._lock:
            times = self._recent(client, time.monotonic())
            if len(times) >= self.max_failures:
                retry = int(times[0] + self.window - time.monotonic()) + 1
                raise ApiError(429, TOO_MANY, {"Retry-After": str(max(retry, 1))})
            if not times:
                self._failures.pop(client, None)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())


def client_of(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "okänd"


class LoginThrottleMiddleware:
    """Gradio's login form (POST …/login) under the same throttle: its password check cannot see the
    request, so the outcome is read from the response status."""

    def __init__(self, app: ASGIApp, throttle: FailureThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = client_of(scope)
        try:
            self.throttle.check(client)
        except ApiError as exc:
            await JSONResponse({"detail": exc.message}, 429, exc.headers)(scope, receive, send)
            return

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (400, 401, 403):
                self.throttle.failed(client)
            await send(message)

        await self.app(scope, receive, watched)

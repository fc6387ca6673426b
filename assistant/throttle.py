"""Failed logins and token checks, counted per client address: after too many in a while, that
client is refused (TooManyFailures) until the window has passed, so tokens cannot be guessed at speed.
The API and the UI's login and upload routes share one throttle."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Any

from assistant.access import AccessDenied

MAX_FAILURES = 10
WINDOW_SECONDS = 300.0
TOO_MANY = "För många misslyckade inloggningar från den här adressen. Försök igen om några minuter."


class TooManyFailures(AccessDenied):
    """The client has used up its failures; it may try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOO_MANY)
        self.retry_after = retry_after


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
        """TooManyFailures while the client has used up its failures."""
        with self._lock:
            times = self._recent(client, time.monotonic())
            if len(times) >= self.max_failures:
                retry = int(times[0] + self.window - time.monotonic()) + 1
                raise TooManyFailures(max(retry, 1))
            if not times:
                self._failures.pop(client, None)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())


def client_of(scope: Mapping[str, Any]) -> str:
    """The client address of an ASGI request scope."""
    client = scope.get("client")
    return client[0] if client else "okänd"

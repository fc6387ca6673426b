"""Route dependencies for the token checks in assistant.access: bearer header or X-Admin-Token.

Without KOMMUNSTOD_ADMIN_TOKEN the mutating endpoints are switched off (403), never open.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import AccessDenied, check_admin, check_read
from assistant.settings import Settings
from assistant.throttle import client_of

bearer = HTTPBearer(auto_error=False, description="Administratörs- eller läsnyckel")
_admin_header = APIKeyHeader(name="X-Admin-Token", auto_error=False, description="Administratörsnyckel")


def _checked(request: Request, check: Callable[[Settings, str | None], None], token: str | None) -> None:
    """The check under the app's failure throttle: a wrong token counts, a missing one does not."""
    throttle, client = request.app.state.throttle, client_of(request.scope)
    throttle.check(client)
    try:
        check(request.app.state.settings, token)
    except AccessDenied:
        if token:
            throttle.failed(client)
        raise


def require_admin(
    request: Request,
    token: HTTPAuthorizationCredentials | None = Depends(bearer),
    header: str | None = Depends(_admin_header),
) -> None:
    _checked(request, check_admin, header or (token.credentials if token else None))


def require_read(request: Request, token: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    _checked(request, check_read, token.credentials if token else None)

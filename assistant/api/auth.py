"""Tokens: an admin token for changes, an optional read token for everything else.

Without KOMMUNSTOD_ADMIN_TOKEN the mutating endpoints are switched off (403), never open.
The same checks serve the API (bearer header) and the UI (a password field).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.errors import ApiError
from assistant.api.throttle import client_of
from assistant.settings import Settings

bearer = HTTPBearer(auto_error=False, description="Administratörs- eller läsnyckel")
_admin_header = APIKeyHeader(name="X-Admin-Token", auto_error=False, description="Administratörsnyckel")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def check_admin(settings: Settings, token: str | None) -> None:
    if not settings.admin_token:
        raise ApiError(
            403, "Administration är avstängd på den här servern: ange KOMMUNSTOD_ADMIN_TOKEN för att slå på den."
        )
    if not token:
        raise ApiError(401, "Administratörsnyckel saknas.", _CHALLENGE)
    if not matches(token, settings.admin_token):
        raise ApiError(403, "Fel administratörsnyckel.")


def check_read(settings: Settings, token: str | None) -> None:
    if not settings.read_token:
        return
    if not token:
        raise ApiError(401, "Nyckel saknas: den här servern kräver en läsnyckel.", _CHALLENGE)
    if not (matches(token, settings.read_token) or matches(token, settings.admin_token)):
        raise ApiError(403, "Fel nyckel.")


def _checked(request: Request, check: Callable[[Settings, str | None], None], token: str | None) -> None:
    """The check under the app's failure throttle: a wrong token counts, a missing one does not."""
    throttle, client = request.app.state.throttle, client_of(request.scope)
    throttle.check(client)
    try:
        check(request.app.state.settings, token)
    except ApiError:
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

"""Tokens: an admin token for changes, an optional read token for everything else.

Without KOMMUNSTOD_ADMIN_TOKEN the mutating endpoints are switched off (403), never open.
The same checks serve the API (bearer header) and the UI (a password field).
"""

from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.errors import ApiError
from assistant.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="Administratörs- eller läsnyckel")
_admin_header = APIKeyHeader(name="X-Admin-Token", auto_error=False, description="Administratörsnyckel")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def check_admin(settings: Settings, token: str | None) -> None:
    if not settings.admin_token:
        raise ApiError(
            403, "Administration är avstängd på den här servern: ange KOMMUNSTOD_ADMIN_TOKEN för att slå på den."
        )
    if not token:
        raise ApiError(401, "Administratörsnyckel saknas.", _CHALLENGE)
    if not _matches(token, settings.admin_token):
        raise ApiError(403, "Fel administratörsnyckel.")


def check_read(settings: Settings, token: str | None) -> None:
    if not settings.read_token:
        return
    if not token:
        raise ApiError(401, "Nyckel saknas: den här servern kräver en läsnyckel.", _CHALLENGE)
    if not (_matches(token, settings.read_token) or _matches(token, settings.admin_token)):
        raise ApiError(403, "Fel nyckel.")


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def require_admin(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
    header: str | None = Depends(_admin_header),
) -> None:
    check_admin(_settings(request), header or (bearer.credentials if bearer else None))


def require_read(request: Request, bearer: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    check_read(_settings(request), bearer.credentials if bearer else None)

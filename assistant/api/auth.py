"""Route dependencies for the token checks in assistant.access: bearer header or X-Admin-Token.

Without KOMMUNSTOD_ADMIN_TOKEN the mutating endpoints are switched off (403), never open.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import check_admin, check_read
from assistant.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="Administratörs- eller läsnyckel")
_admin_header = APIKeyHeader(name="X-Admin-Token", auto_error=False, description="Administratörsnyckel")


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

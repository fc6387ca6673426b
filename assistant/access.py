"""Tokens: an admin token for changes, an optional read token for everything else.

Without KOMMUNSTOD_ADMIN_TOKEN changes are switched off, never open. The API (bearer header) and
the UI (a password field) make the same checks; each shows the error in its own way.
"""

from __future__ import annotations

import hmac

from assistant.settings import Settings


class AccessDenied(Exception):
    """A token that is wrong, or a change while administration is off; the message is Swedish."""


class TokenMissing(AccessDenied):
    """No token was given where one is needed."""


def matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def check_admin(settings: Settings, token: str | None) -> None:
    if not settings.admin_token:
        raise AccessDenied(
            "Administration är avstängd på den här servern: ange KOMMUNSTOD_ADMIN_TOKEN för att slå på den."
        )
    if not token:
        raise TokenMissing("Administratörsnyckel saknas.")
    if not matches(token, settings.admin_token):
        raise AccessDenied("Fel administratörsnyckel.")


def check_read(settings: Settings, token: str | None) -> None:
    if not settings.read_token:
        return
    if not token:
        raise TokenMissing("Nyckel saknas: den här servern kräver en läsnyckel.")
    if not (matches(token, settings.read_token) or matches(token, settings.admin_token)):
        raise AccessDenied("Fel nyckel.")

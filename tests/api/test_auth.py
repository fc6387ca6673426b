"""Tokens: admin for changes (disabled without one), optional read token for everything else."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from tests.api.sample import ADMIN_TOKEN

READ_TOKEN = "las-nyckel-456"
LOCAL = "http://127.0.0.1"
MUTATIONS = [
    ("POST", "/api/documents"),
    ("POST", "/api/documents/reingest"),
    ("DELETE", "/api/documents/hagfors.md"),
    ("GET", "/api/feedback/export"),
]


@pytest.fixture(scope="module")
def no_admin(settings):
    with TestClient(create_app(settings.model_copy(update={"admin_token": ""})), base_url=LOCAL) as client:
        yield client


@pytest.fixture(scope="module")
def read_protected(settings):
    with TestClient(create_app(settings.model_copy(update={"read_token": READ_TOKEN})), base_url=LOCAL) as client:
        yield client


@pytest.mark.parametrize(("method", "path"), MUTATIONS)
def test_mutations_are_disabled_without_an_admin_token(no_admin, method, path):
    response = no_admin.request(method, path, headers={"Authorization": "Bearer egal"})
    assert response.status_code == 403
    assert "avstängd" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), MUTATIONS)
def test_missing_and_wrong_admin_tokens(client, method, path):
    missing = client.request(method, path)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["detail"] == "Administratörsnyckel saknas."
    wrong = client.request(method, path, headers={"Authorization": "Bearer fel"})
    assert wrong.status_code == 403 and wrong.json()["detail"] == "Fel administratörsnyckel."
    basic = client.request(method, path, headers={"Authorization": f"Basic {ADMIN_TOKEN}"})
    assert basic.status_code == 401


def test_admin_token_in_either_header(client):
    for headers in ({"Authorization": f"Bearer {ADMIN_TOKEN}"}, {"X-Admin-Token": ADMIN_TOKEN}):
        assert client.get("/api/feedback/export", headers=headers).status_code == 200


def test_reading_is_open_by_default(client):
    assert client.get("/api/documents").status_code == 200


def test_read_token_protects_reading_but_not_health(read_protected):
    assert read_protected.get("/health").status_code == 200
    assert read_protected.get("/api/documents").status_code == 401
    assert read_protected.get("/api/search", params={"q": "miljömål"}).status_code == 401
    assert read_protected.post("/api/ask", json={"question": "Vad är miljömål?"}).status_code == 401
    assert read_protected.get("/v1/models").status_code == 401
    assert read_protected.get("/api/documents", headers={"Authorization": "Bearer fel"}).status_code == 403
    for token in (READ_TOKEN, ADMIN_TOKEN):
        assert read_protected.get("/api/documents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # The read token is not an admin token.
    upload = read_protected.delete("/api/documents/x.md", headers={"Authorization": f"Bearer {READ_TOKEN}"})
    assert upload.status_code == 403


def test_read_token_guards_the_ui_with_a_login(read_protected, client):
    assert client.get("/config").status_code == 200
    assert read_protected.get("/config").status_code == 401
    login = read_protected.post("/login", data={"username": "vem", "password": READ_TOKEN})
    assert login.status_code == 200
    assert read_protected.get("/config").status_code == 200

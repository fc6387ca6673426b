"""POST /api/ask, /api/ask/stream and GET /api/search through FastAPI's client."""

from __future__ import annotations

import json

from assistant.service import AssistantService
from tests.api.sample import HAGFORS_Q, INJECTION_Q, SAFFLE_FOLLOW_UP


def _without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings_ms"}


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_ask_returns_the_service_json_with_verifiable_citations(client, settings):
    response = client.post("/api/ask", json={"question": HAGFORS_Q})
    assert response.status_code == 200
    answer = response.json()
    assert _without_timings(answer) == _without_timings(AssistantService(settings).ask(HAGFORS_Q).to_json())
    assert not answer["refused"]
    assert "pollinering" in answer["answer"]
    assert answer["citations"][0]["source"] == "hagfors.md"
    for c in answer["citations"]:
        assert c["text"][c["start"] : c["end"]] == c["quote"]
        assert f"[{c['n']}]" in answer["answer"]


def test_follow_up_uses_the_history(client):
    first = client.post("/api/ask", json={"question": HAGFORS_Q}).json()
    history = [{"role": "user", "content": HAGFORS_Q}, {"role": "assistant", "content": first["answer"]}]
    answer = client.post("/api/ask", json={"question": SAFFLE_FOLLOW_UP, "history": history}).json()
    assert "åtgärdsområden" in answer["standalone_question"]
    assert answer["citations"][0]["source"] == "saffle.md"
    assert "laddinfrastruktur" in answer["answer"]


def test_filters_restrict_what_is_cited(client):
    body = {"question": "Vilka åtgärdsområden har kommunen valt?", "filters": {"municipality": ["Säffle"]}}
    answer = client.post("/api/ask", json=body).json()
    assert {h["source"] for h in answer["retrieved"]} == {"saffle.md"}


def test_refusal_is_an_answer_not_an_error(client):
    answer = client.post("/api/ask", json={"question": INJECTION_Q}).json()
    assert answer["refused"] is True
    assert answer["citations"] == []
    assert answer["answer"].startswith("Jag hittar inget stöd")


def test_stream_sends_tokens_then_citations_then_the_ask_json(client):
    response = client.post("/api/ask/stream", json={"question": HAGFORS_Q})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-2:] == ["citations", "done"]
    assert set(kinds[:-2]) == {"token"} and len(kinds) > 5
    done = events[-1][1]["answer"]
    assert "".join(data["text"] for kind, data in events if kind == "token") == done["answer"]
    assert events[-2][1]["citations"] == done["citations"]
    plain = client.post("/api/ask", json={"question": HAGFORS_Q}).json()
    assert _without_timings(done) == _without_timings(plain)


def test_bad_questions_get_422_with_the_swedish_message(client):
    for path in ("/api/ask", "/api/ask/stream"):
        empty = client.post(path, json={"question": "   "})
        assert empty.status_code == 422
        assert empty.json()["detail"].startswith("Frågan är tom")
        long = client.post(path, json={"question": "miljömål " * 200})
        assert long.status_code == 422
        assert "för lång" in long.json()["detail"]


def test_unknown_fields_and_malformed_json_are_client_errors(client):
    unknown = client.post("/api/ask", json={"question": HAGFORS_Q, "temperatur": 1})
    assert unknown.status_code == 422
    assert "okänt fält 'temperatur'" in unknown.json()["detail"]
    nested = client.post("/api/ask", json={"question": HAGFORS_Q, "filters": {"kommun": ["Hagfors"]}})
    assert nested.status_code == 422
    assert "filters.kommun" in nested.json()["detail"]
    broken = client.post("/api/ask", content=b'{"question": ', headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert broken.json()["detail"] == "Begäran är inte giltig JSON."
    missing = client.post("/api/ask", json={})
    assert missing.status_code == 422
    assert "fältet 'question' saknas" in missing.json()["detail"]
    role = client.post("/api/ask", json={"question": HAGFORS_Q, "history": [{"role": "system", "content": "x"}]})
    assert role.status_code == 422


def test_search_with_filters_and_unknown_parameters(client):
    hits = client.get("/api/search", params={"q": "åtgärdsområden", "k": 2}).json()
    assert len(hits) == 2
    assert set(hits[0]) == {"source", "title", "chunk_id", "score", "text", "page", "section", "source_url"}
    only = client.get("/api/search", params={"q": "åtgärdsområden", "municipality": "Säffle"}).json()
    assert only and {h["source"] for h in only} == {"saffle.md"}
    examples = client.get("/api/search", params={"q": "miljömål", "examples_only": "true"}).json()
    assert examples and {h["source"] for h in examples} <= {"hagfors.md", "saffle.md"}
    assert client.get("/api/search", params={"q": "x", "sortera": "ja"}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "k": 0}).status_code == 422
    assert client.get("/api/search").status_code == 422
    blank = client.get("/api/search", params={"q": " "})
    assert blank.status_code == 422 and blank.json()["detail"].startswith("Frågan är tom")

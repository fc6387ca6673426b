"""POST /api/feedback and the admin export as CSV and JSONL."""

from __future__ import annotations

import csv
import io
import json

from tests.api.sample import HAGFORS_Q


def test_feedback_is_stored_with_question_answer_and_citations(client, admin):
    answer = client.post("/api/ask", json={"question": HAGFORS_Q}).json()
    body = {
        "rating": "up",
        "question": HAGFORS_Q,
        "answer": answer["answer"],
        "citations": answer["citations"],
        "comment": "Bra, tack!",
    }
    created = client.post("/api/feedback", json=body)
    assert created.status_code == 201
    down = client.post("/api/feedback", json={"rating": "down", "question": "=HYPERLINK(1)", "answer": "Nej."})
    assert down.status_code == 201 and down.json()["id"] == created.json()["id"] + 1

    jsonl = client.get("/api/feedback/export", params={"format": "jsonl"}, headers=admin)
    assert jsonl.status_code == 200 and jsonl.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[0]["citations"] == answer["citations"] and rows[0]["comment"] == "Bra, tack!"
    assert rows[0]["channel"] == "api" and rows[0]["created"]

    exported = client.get("/api/feedback/export", params={"format": "csv"}, headers=admin)
    assert exported.headers["content-disposition"] == 'attachment; filename="kommunstod-feedback.csv"'
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert table[0]["question"] == HAGFORS_Q
    assert table[0]["citations"].startswith("[1] Lärande exempel: Hagfors")
    assert table[1]["question"] == "'=HYPERLINK(1)"  # never run as a formula in a spreadsheet


def test_bad_feedback_is_a_client_error(client, admin):
    assert client.post("/api/feedback", json={"rating": "meh", "question": "q", "answer": "a"}).status_code == 422
    assert client.post("/api/feedback", json={"rating": "up", "question": "", "answer": "a"}).status_code == 422
    extra = client.post("/api/feedback", json={"rating": "up", "question": "q", "answer": "a", "stjärnor": 5})
    assert extra.status_code == 422 and "stjärnor" in extra.json()["detail"]
    assert client.get("/api/feedback/export", params={"format": "xlsx"}, headers=admin).status_code == 422

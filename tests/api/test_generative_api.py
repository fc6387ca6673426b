"""Generated answers through /api/ask/stream and /v1/chat/completions, with a scripted fake endpoint."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.openai_compat import REPLACED
from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.ui.chat import ChatTab
from tests.answer.scripted_llm import ADOPTED, AREAS, QUESTION, generative, program
from tests.api.test_ask import parse_sse


@pytest.fixture(scope="module")
def client(generative_home, scripted_llm):
    with TestClient(create_app(generative(generative_home, scripted_llm.url)), base_url="http://127.0.0.1") as c:
        yield c


def supported(prompt: str) -> str:
    return f"{ADOPTED} [{program(prompt)}] Programmet antogs 1999. [{program(prompt)}] {AREAS} [{program(prompt)}]"


def chat(client: TestClient, stream: bool):
    body = {"model": "kommunstod", "messages": [{"role": "user", "content": QUESTION}], "stream": stream}
    return client.post("/v1/chat/completions", json=body)


def test_ask_stream_sends_the_verified_sentences(client, scripted_llm):
    scripted_llm.script = supported
    events = parse_sse(client.post("/api/ask/stream", json={"question": QUESTION}).text)
    tokens = [data["text"] for kind, data in events if kind == "token"]
    done = events[-1][1]["answer"]
    assert done["mode"] == "generative" and "".join(tokens) == done["answer"]
    assert "1999" not in done["answer"] and done["verification"]["removed"][0]["sentence"] == "Programmet antogs 1999."
    assert [c["n"] for c in done["citations"]] == [1]


def test_ask_stream_replaces_an_answer_that_fails_its_check(client, scripted_llm):
    scripted_llm.script = lambda p: (
        f"{ADOPTED} [{program(p)}] "
        + " ".join(f"Kommunen bygger {what}. [{program(p)}]" for what in ("en simhall", "ett bibliotek", "en ishall"))
    )
    events = parse_sse(client.post("/api/ask/stream", json={"question": QUESTION}).text)
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "token" and "replace" in kinds
    assert events[-1][1]["answer"]["mode"] == "extractive" and events[-1][1]["answer"]["fallback"]


def test_openai_route_streams_the_generated_answer(client, scripted_llm):
    scripted_llm.script = supported
    chunks = [json.loads(line[6:]) for line in chat(client, stream=True).text.splitlines() if line[6:7] == "{"]
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert content.startswith(f"{ADOPTED} [1] {AREAS} [1]\n\nKällor:\n[1] ")
    assert chunks[-1]["mode"] == "generative" and len(chunks[-1]["verification"]["removed"]) == 1


def test_openai_route_without_stream_and_a_replaced_stream(client, scripted_llm):
    scripted_llm.script = supported
    reply = chat(client, stream=False).json()
    assert reply["mode"] == "generative" and "1999" not in reply["choices"][0]["message"]["content"]
    scripted_llm.script = lambda p: "The programme was adopted in March 2024. [1] It has four areas. [1]"
    streamed = chat(client, stream=True).text
    assert REPLACED not in streamed  # nothing was shown before the language check, so nothing is replaced
    assert '"mode": "extractive"' in streamed


def test_chat_tab_shows_a_marked_sentence_apart_and_says_how_the_answer_was_made(
    generative_home, scripted_llm, tmp_path
):
    scripted_llm.script = supported
    service = AssistantService(generative(generative_home, scripted_llm.url, verify_action="mark"))
    tab = ChatTab(service, FeedbackStore(tmp_path / "feedback.sqlite"))
    # The chat list is updated in place, so what was shown is read as each update comes.
    outputs = [
        (o, o[0][-1]["content"] if isinstance(o[0], list) else None)
        for o in tab.respond(QUESTION, [], [], None, None, None, False)
    ]
    assert outputs[0][1] == f"{ADOPTED} [1]"  # the first verified sentence shows before the answer is done
    messages, _, turns, _, notice = outputs[-1][0]
    shown = messages[-1]["content"]
    assert "_Programmet antogs 1999._ ⚠️ **Ej belagd i källan:**" in shown and f"{ADOPTED} [1]" in shown
    assert "granskat mening för mening" in notice and "1 markerade" in notice
    assert turns[-1]["answer"]["mode"] == "generative"

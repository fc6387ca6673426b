"""/v1 through the official `openai` client against a real uvicorn server."""

from __future__ import annotations

import re

import openai
import pytest

from assistant.api.app import create_app
from tests.api.sample import HAGFORS_Q, SAFFLE_FOLLOW_UP, running_server

pytestmark = pytest.mark.slow


READ_TOKEN = "las-nyckel-789"


@pytest.fixture(scope="module")
def server(settings):
    """The read token is on, so the client's api_key is what lets it in."""
    with running_server(create_app(settings.model_copy(update={"read_token": READ_TOKEN}))) as url:
        yield url


@pytest.fixture(scope="module")
def llm(server):
    return openai.OpenAI(base_url=f"{server}/v1", api_key=READ_TOKEN, max_retries=0)


def test_api_key_is_the_read_token(server):
    wrong = openai.OpenAI(base_url=f"{server}/v1", api_key="fel", max_retries=0)
    with pytest.raises(openai.PermissionDeniedError, match="Fel nyckel"):
        wrong.models.list()


def test_models(llm):
    assert [m.id for m in llm.models.list()] == ["kommunstod"]


def test_completion_has_sources_in_text_and_extra_field(llm):
    completion = llm.chat.completions.create(
        model="kommunstod",
        messages=[
            {"role": "system", "content": "Du är en hjälpsam assistent."},
            {"role": "user", "content": HAGFORS_Q},
        ],
        temperature=0.2,
    )
    text = completion.choices[0].message.content
    sources = completion.model_extra["sources"]
    assert completion.choices[0].finish_reason == "stop"
    assert "pollinering" in text and "[1]" in text
    assert sources[0]["source"] == "hagfors.md"
    body, listed = text.split("\n\nKällor:\n")
    assert re.search(r"\[\d+\]$", body)
    # The quoted span sits under "Valda åtgärdsområden" in the fact sheet: the first citation names it.
    assert sources[0]["section"] == "Valda åtgärdsområden"
    assert listed.splitlines()[0] == f"[1] {sources[0]['title']}, Valda åtgärdsområden – https://example.org/hagfors"
    assert len(listed.splitlines()) == len(sources)


def test_stream_gives_the_same_text_and_sources(llm):
    messages = [{"role": "user", "content": [{"type": "text", "text": HAGFORS_Q}]}]
    plain = llm.chat.completions.create(model="kommunstod", messages=messages)
    chunks = list(llm.chat.completions.create(model="kommunstod", messages=messages, stream=True))
    assert len(chunks) > 5
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["sources"] == plain.model_extra["sources"]


def test_earlier_turns_are_the_history(llm):
    first = llm.chat.completions.create(model="kommunstod", messages=[{"role": "user", "content": HAGFORS_Q}])
    follow = llm.chat.completions.create(
        model="kommunstod",
        messages=[
            {"role": "user", "content": HAGFORS_Q},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": SAFFLE_FOLLOW_UP},
        ],
    )
    assert follow.model_extra["sources"][0]["source"] == "saffle.md"


def test_errors_come_in_openai_shape(llm):
    with pytest.raises(openai.NotFoundError, match="Modellen 'gpt-4o' finns inte"):
        llm.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": HAGFORS_Q}])
    with pytest.raises(openai.UnprocessableEntityError, match="Frågan är tom"):
        llm.chat.completions.create(model="kommunstod", messages=[{"role": "user", "content": " "}], stream=True)
    with pytest.raises(openai.UnprocessableEntityError, match="sista meddelandet"):
        llm.chat.completions.create(model="kommunstod", messages=[{"role": "assistant", "content": "Hej"}])
    with pytest.raises(openai.UnprocessableEntityError, match="okänt fält 'tools'"):
        llm.chat.completions.create(
            model="kommunstod", messages=[{"role": "user", "content": HAGFORS_Q}], extra_body={"tools": []}
        )

"""Generated answers through the real llama.cpp server (Gemma 3 270M): the pipeline's behaviour,
whatever the weak model writes."""

from __future__ import annotations

import re

import pytest

from assistant.answer import generative as stage
from assistant.answer.generate import header
from assistant.answer.verify import Verifier, split_sentences
from assistant.service import AssistantService
from tests.answer.scripted_llm import QUESTION, generative, ingested_home

REASONS = {stage.FAILED, stage.EMPTY, stage.LANGUAGE, stage.NO_CITATIONS, stage.TOO_LITTLE}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return ingested_home(tmp_path_factory.mktemp("generative-llama"))


def assert_citations_resolve(answer: dict) -> None:
    for c in answer["citations"]:
        assert c["quote"] and c["text"][c["start"] : c["end"]] == c["quote"]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])} == {c["n"] for c in answer["citations"]}


@pytest.mark.slow
def test_a_real_model_streams_and_only_verified_sentences_remain(home, llama_server):
    settings = generative(home, llama_server, llm_model="gemma-3-270m", llm_timeout=300, llm_max_tokens=120)
    service = AssistantService(settings)
    events = list(service.stream(QUESTION))
    answer = events[-1]["answer"]
    shown = "".join(e["text"] for e in events if e["type"] == "token")
    replaced = [e["text"] for e in events if e["type"] == "replace"]
    assert (replaced[-1] if replaced else shown) == answer["answer"]
    assert_citations_resolve(answer)
    report = answer["verification"]
    assert report is not None and report["supported"] + len(report["removed"]) == report["claims"]
    assert all(item["reason"] for item in report["removed"])
    if answer["mode"] == "extractive":
        assert answer["fallback"] in REASONS
        return
    # Every sentence left passes the check again, against the passages it cites.
    hits = {h.chunk_id: h for h in service.search(QUESTION, k=10)}
    cited = [hits[c["chunk_id"]] for c in sorted(answer["citations"], key=lambda c: c["n"])]
    session = Verifier(service.store.embeddings).session([h.text for h in cited], [header(h) for h in cited])
    for sentence, _ in split_sentences(answer["answer"]):
        assert session.check(sentence).supported, sentence


@pytest.mark.slow
def test_a_real_server_that_answers_with_an_error_gives_the_extractive_answer(home, llama_server):
    wrong_route = llama_server.removesuffix("/v1") + "/finns-inte/v1"  # the server answers 404
    service = AssistantService(generative(home, wrong_route, llm_model="gemma-3-270m", llm_timeout=60))
    answer = service.ask(QUESTION)
    assert answer.mode == "extractive" and answer.fallback == stage.FAILED and answer.citations

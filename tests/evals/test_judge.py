"""The advisory LLM judge: its verdict is parsed, shown with its reason in the report and never
changes the gate; tested against a scripted fake OpenAI-compatible server and the real llama.cpp one."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from evals.judge import Judge, judge_records, judge_summary, parse_verdict
from evals.report import render_report
from tests.evals.conftest import make_run
from tests.evals.fake_llm import fake_openai_server


def test_parse_verdict_reads_the_first_json_object_or_says_it_cannot():
    reply = 'Visst! {"korrekt": "ja", "trogen": "nej", "motivering": "Talet 2031 står inte i källan."} Klart.'
    assert parse_verdict(reply) == {"correct": True, "faithful": False, "reason": "Talet 2031 står inte i källan."}
    assert "obegripligt" in parse_verdict("Jag tycker svaret är bra.")["error"]
    assert "obegripligt" in parse_verdict('{"korrekt": "kanske", "trogen": "ja"}')["error"]


def _scripted(prompt: str) -> str:
    # The fake judge calls an answer correct when it names pollinering, as a real one would read it.
    answer = prompt.split("Svar:", 1)[1].split("Citerade källtexter:", 1)[0]
    correct = "ja" if "pollinering" in answer else "nej"
    return f'{{"korrekt": "{correct}", "trogen": "ja", "motivering": "Bedömt av den skriptade domaren."}}'


def test_judge_through_a_fake_openai_server_is_advisory(tmp_path):
    summary, records = make_run(tmp_path, good=True)
    gate_before = summary["gate"]
    with fake_openai_server(_scripted) as (url, prompts):
        judge = Judge.from_settings(Settings(llm_base_url=url, llm_model="fake-judge", llm_api_key="x", llm_timeout=10))
        judge_records(judge, records, "system")
    system = [r for r in records if r["config"] == "system"]
    assert [r["judge"]["correct"] for r in system] == [True, False]  # the refusal does not name it
    assert all("judge" not in r for r in records if r["config"] != "system")
    assert len(prompts) == 2 and "Förväntade fakta: pollinering; fyra eller 4" in prompts[0]
    assert "[1] Hagfors kommun har valt fyra åtgärdsområden" in prompts[0]
    summary["judge"] = judge_summary(records, "system", judge.model)
    assert summary["judge"] == {"model": "fake-judge", "graded": 2, "errors": 0, "correct": 0.5, "faithful": 1.0}
    assert summary["gate"] == gate_before
    html = render_report(summary, records)
    assert "Språkmodellens bedömning (rådgivande)" in html and "Bedömt av den skriptade domaren." in html


def test_a_judge_that_is_down_marks_the_items_and_the_run_goes_on(tmp_path):
    from tests.conftest import free_port

    summary, records = make_run(tmp_path, baselines=False)
    judge_records(
        Judge.from_settings(
            Settings(llm_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_model="none", llm_timeout=5)
        ),
        records,
        "system",
    )
    assert all(r["judge"]["error"].startswith("domaren svarade inte") for r in records)
    assert judge_summary(records, "system", "none")["errors"] == 2


@pytest.mark.slow
def test_judge_through_the_real_llama_cpp_server(tmp_path, llama_server):
    summary, records = make_run(tmp_path, baselines=False)
    judge = Judge.from_settings(Settings(llm_base_url=llama_server, llm_model="gemma-3-270m", llm_timeout=600))
    judge_records(judge, records[:1], "system")
    verdict = records[0]["judge"]
    # Gemma 270M is a base model: it may or may not keep to the JSON format. Either way the verdict
    # is well formed: a grade with a reason, or the unreadable reply quoted, never a crash.
    assert set(verdict) in ({"correct", "faithful", "reason"}, {"error"})
    if "error" in verdict:
        assert verdict["error"].startswith("obegripligt svar från domaren")
    summary["judge"] = judge_summary(records[:1], "system", judge.model)
    assert "Språkmodellens bedömning (rådgivande)" in render_report(summary, records)

"""Each metric on hand-made answers: the good case scores well, and each can fail."""

from __future__ import annotations

import pytest

from evals.metrics import aggregate, answer_scores, citation_valid, retrieval_scores, score_item
from evals.sets import GoldSource
from evals.text import fact_found, numbers, split_answer
from tests.evals.factories import (
    OTHER,
    PASSAGE,
    citation,
    good_response,
    hit,
    item,
    letter_embed,
    record,
    refusal_response,
    response,
)


def test_retrieval_ranks():
    ranking = [hit("other.md", OTHER, section="Säffle"), hit("hagfors.md")] + [hit(f"x{i}.md", OTHER) for i in range(8)]
    s = retrieval_scores(item(), ranking)
    assert (s["hit@1"], s["hit@3"], s["mrr@10"]) == (0.0, 1.0, 0.5)
    assert s["section_hit@1"] == 0.0 and s["section_hit@3"] == 1.0
    assert s["ndcg@10"] == pytest.approx(1 / 1.5849625, rel=1e-6)


def test_answer_hit_counts_a_first_passage_holding_the_answer_from_any_document():
    assert retrieval_scores(item(), [hit("near-duplicate.md"), hit("hagfors.md")])["answer_hit@1"] == 1.0
    assert retrieval_scores(item(), [hit("hagfors.md", OTHER), hit("hagfors.md")])["answer_hit@1"] == 0.0
    half = PASSAGE.replace("fyra", "flera")  # every key fact must be there, not one of them
    assert retrieval_scores(item(), [hit("hagfors.md", half)])["answer_hit@1"] == 0.0


def test_retrieval_fails_without_gold():
    s = retrieval_scores(item(), [hit("other.md", OTHER)] * 10)
    assert s["hit@10"] == 0.0 and s["mrr@10"] == 0.0 and s["recall@10"] == 0.0 and s["ndcg@10"] == 0.0


def test_ndcg_counts_a_document_once_and_recall_per_document():
    it = item(gold_sources=[GoldSource("a.md"), GoldSource("b.md")])
    s = retrieval_scores(it, [hit("a.md"), hit("a.md"), hit("c.md"), hit("b.md")])
    assert s["recall@5"] == 1.0 and s["hit@1"] == 1.0
    assert s["ndcg@10"] < 1.0
    assert retrieval_scores(it, [hit("a.md"), hit("a.md")])["recall@10"] == 0.5


def test_section_match_by_text_and_page():
    it = item(gold_sources=[GoldSource("hagfors.md", section="fyra åtgärdsområden", page=3)])
    assert retrieval_scores(it, [hit("hagfors.md", section="Annat", page=3)])["section_hit@1"] == 1.0
    assert retrieval_scores(it, [hit("hagfors.md", section="Annat", page=4)])["section_hit@1"] == 0.0
    assert "section_hit@1" not in retrieval_scores(item(gold_sources=[GoldSource("hagfors.md")]), [hit("hagfors.md")])


def test_citation_validity():
    p = hit("hagfors.md")
    assert citation_valid(citation(1, p, "Ett av dem är pollinering."), [p])
    assert not citation_valid(citation(1, p, "Ett av dem är pollinering.", start=3), [p])  # wrong offsets
    assert not citation_valid(citation(1, p, "Ett av dem är pollinering."), [hit("other.md", OTHER)])  # not retrieved


def test_good_answer_scores():
    s = answer_scores(item(), good_response(), letter_embed)
    assert s["blocks"][0]["supported"] and s["blocks"][0]["markers"] == [1]
    assert s["citations"] == [{"n": 1, "valid": True, "gold": True}]
    assert s["citation_precision"] == 1.0 and s["citation_recall"] == 1.0
    assert s["key_fact_recall"] == 1.0 and s["numbers_missing"] == 0
    assert s["answer_similarity"] > 0.9 and 0 < s["chrf"] <= 1


def test_uncited_block_and_unsupported_number_and_low_overlap():
    p = hit("hagfors.md")
    quote = "Ett av dem är pollinering."
    answer = (
        "Enligt dokumenten:\n\nEtt av dem är pollinering, sedan 1999. [1]\n\n"
        "Kommunfullmäktige beslutade om skogsbruk och vindkraft. [1]\n\nOciterat påstående."
    )
    s = answer_scores(item(), response(answer, [citation(1, p, quote)], [p]), letter_embed)
    first, second, third = s["blocks"]
    assert first["unsupported_numbers"] == ["1999"] and not first["supported"]
    assert second["overlap"] < 0.5 and not second["supported"]
    assert third["markers"] == [] and not third["supported"]
    agg = aggregate([record(item(), response(answer, [citation(1, p, quote)], [p]), [p])])
    assert agg["cited_block_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert agg["supported_block_share"] == 0.0 and agg["number_support"] == 0.0


def test_lead_in_numbers_may_come_from_the_cited_title():
    p = hit("hagfors.md", title="Miljööverenskommelsen 2022–2025")
    quote = "Ett av dem är pollinering."
    ok = answer_scores(
        item(), response(f"Enligt Miljööverenskommelsen 2022–2025:\n\n{quote} [1]", [citation(1, p, quote)], [p])
    )
    assert ok["lead_unsupported_numbers"] == [] and ok["numbers_missing"] == 0
    bad = answer_scores(item(), response(f"Enligt planen 2031:\n\n{quote} [1]", [citation(1, p, quote)], [p]))
    assert bad["lead_unsupported_numbers"] == ["2031"]


def test_citation_precision_and_recall_fail_on_wrong_source():
    o = hit("other.md", OTHER, section="Säffle")
    resp = response(f"Enligt dokumenten:\n\n{OTHER} [1]", [citation(1, o, OTHER)], [o])
    s = answer_scores(item(), resp)
    assert s["citation_precision"] == 0.0 and s["citation_recall"] == 0.0 and s["key_fact_recall"] == 0.0


def test_key_facts_alternatives_case_and_nbsp():
    assert fact_found(["4", "fyra"], "Hagfors valde FYRA områden")
    assert fact_found("12 kommuner", "av de 12\u00a0kommuner")
    assert not fact_found("pollinering", "Hagfors valde vattenplanering")


def test_chrf_and_similarity_fall_for_an_unrelated_answer():
    good = answer_scores(item(), good_response(), letter_embed)
    o = hit("other.md", OTHER)
    bad = answer_scores(item(), response(f"Enligt:\n\n{OTHER} [1]", [citation(1, o, OTHER)], [o]), letter_embed)
    assert bad["chrf"] < good["chrf"] and bad["answer_similarity"] < good["answer_similarity"]


def test_answer_blocks_and_numbers():
    answer = "Enligt X:\n\nTidsplan\n\n1. Pollinering\n2. Vatten [1] [2]\n\nMer. [3]\n\nOciterat.\n\nOckså."
    lead, blocks = split_answer(answer)
    assert lead == "Enligt X:" and [b.markers for b in blocks] == [[1, 2], [3], [], []]
    assert blocks[0].text == "Tidsplan\n\n1. Pollinering\n2. Vatten"
    assert numbers("1 000 kr, 12,5 % och 2022–2025 [4]") == {"1000", "12,5", "2022", "2025"}


def test_pass_rule():
    ranking = [hit("hagfors.md")]
    assert score_item(item(), good_response(), ranking)["passed"]
    far = [hit("other.md", OTHER)] * 5 + [hit("hagfors.md")]
    assert "inget gulddokument" in score_item(item(), good_response(), far)["fail_reasons"][0]
    assert not score_item(item(), refusal_response(), ranking)["passed"]  # false refusal
    unanswerable = item(category="unanswerable", expect_refusal=True, gold_sources=[], key_facts=[])
    assert score_item(unanswerable, refusal_response(), [])["passed"]
    assert not score_item(unanswerable, good_response(), ranking)["passed"]
    assert not score_item(item(), {"error": "Boom"}, [])["passed"]


def test_aggregate_refusals_latency_and_critical():
    unanswerable = item(id="u", category="out_of_scope", expect_refusal=True, gold_sources=[], key_facts=[])
    records = [
        record(item(id="a"), good_response(), [hit("hagfors.md")], wall_ms=100),
        record(item(id="b", critical=True), refusal_response(), [hit("hagfors.md")], wall_ms=300),
        record(unanswerable, refusal_response(), [], wall_ms=200),
        record(
            item(id="u2", category="unanswerable", expect_refusal=True, gold_sources=[], key_facts=[]),
            good_response(),
            [],
            wall_ms=400,
        ),
    ]
    agg = aggregate(records)
    assert agg["refusal_table"] == {
        "expected_refusal": {"refused": 1, "answered": 1},
        "expected_answer": {"refused": 1, "answered": 1},
    }
    assert agg["correct_refusal"] == 0.5 and agg["false_refusal"] == 0.5
    assert agg["critical_failed"] == ["b"] and agg["pass_rate"] == 0.5
    assert agg["latency_ms"]["total"] == {"p50": 250.0, "p95": 385.0}
    assert agg["latency_ms"]["retrieve"]["p95"] == 10.0

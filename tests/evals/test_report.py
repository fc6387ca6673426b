"""The HTML report and the comparison render from a hand-made run, in Swedish, self-contained."""

from __future__ import annotations

import re

from evals.compare import compare_dirs, render_html, render_text
from evals.metrics import score_item
from evals.report import render_report
from evals.runs import load_run
from evals.sets import EvalItem
from tests.evals.conftest import make_run


def test_report_has_the_swedish_sections(tmp_path):
    html = render_report(*make_run(tmp_path, good=False))
    for heading in (
        "Sammanfattning",
        "Diagram",
        "Avböjanden",
        "Per kategori",
        "Per tagg",
        "Frågor",
        "Så räknas måtten",
        "Körningen",
        "Godkänt-regeln per fråga",
    ):
        assert heading in html
    assert "Underkänd" in html and "kritisk fråga underkänd: hagfors" in html
    assert html.count("<svg") == 2 and "bm25" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", html)  # nothing from a CDN


def test_report_marks_gold_invalid_citations_and_unsupported_numbers(tmp_path):
    summary, records = make_run(tmp_path)
    resp = records[0]["response"]
    resp["answer"] = resp["answer"].replace("för 2022–2025", "för 2022–2031")
    resp["citations"][0]["start"] += 1  # the quote no longer sits at its offsets
    records[0]["scores"] = score_item(EvalItem.from_json(records[0]["item"]), resp, records[0]["ranking"])
    html = render_report(summary, records)
    assert 'class="gold-section"' in html and "guldavsnitt" in html
    assert "ogiltig" in html
    assert '<mark class="num" title="finns inte i citerad text">2031</mark>' in html
    assert 'class="unsupported"' in html


def test_compare_shows_pass_to_fail(good_run, bad_run):
    result = compare_dirs(good_run, bad_run)
    assert [q["id"] for q in result["pass_to_fail"]] == ["hagfors"] and result["fail_to_pass"] == []
    deltas = {d["metric"]: d for d in result["deltas"]}
    assert deltas["hit@5"]["delta"] == -1.0 and deltas["hit@5"]["better"] is False
    assert deltas["false_refusal"]["better"] is False
    assert "Godkänd → underkänd (1)" in render_text(result)
    html = render_html(result)
    assert "Godkänd → underkänd (1)" in html and "hagfors" in html
    assert compare_dirs(bad_run, good_run)["fail_to_pass"][0]["id"] == "hagfors"
    [moved] = result["changed"]  # item by item: only the question that changed, and how
    assert moved["id"] == "hagfors" and moved["better"] < 0
    assert moved["moves"]["passed"] == (True, False) and moved["moves"]["key_fact_recall"] == (1.0, 0.0)
    assert "Fråga för fråga (1 ändrade)" in html and "godkänd ja → nej" in html


def test_load_run_reads_what_was_written(good_run):
    summary, records = load_run(good_run)
    assert summary["set"]["name"] == "sample" and len(records) == 4

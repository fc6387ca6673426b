"""The eval commands: the gate sets the exit code; compare and draft write their files."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.cli import main
from evals.sets import load_set
from evals.thresholds import gate, thresholds_for
from tests.evals.conftest import make_run


def _set_file(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir(exist_ok=True)
    (tmp_path / "corpus" / "hagfors.md").write_text("# Hagfors\n\nText.\n", encoding="utf-8")
    item = {
        "id": "hagfors",
        "question": "Vad?",
        "category": "answerable",
        "expect_refusal": False,
        "gold_sources": [{"source": "hagfors.md"}],
    }
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump({"name": "sample", "corpus": str(tmp_path / "corpus"), "items": [item]}))
    return path


def _eval(tmp_path: Path, monkeypatch, good: bool) -> int:
    monkeypatch.setattr("evals.runner.run_set", lambda *a, **kw: make_run(tmp_path, good=good))
    return main(["eval", str(_set_file(tmp_path)), "--out", str(tmp_path / "run"), "--home", str(tmp_path)])


def test_eval_passes_the_gate(tmp_path, monkeypatch, capsys):
    assert _eval(tmp_path, monkeypatch, good=True) == 0
    assert (tmp_path / "run" / "report.html").is_file() and (tmp_path / "run" / "results.jsonl").is_file()
    assert "Godkänd" in capsys.readouterr().out


def test_eval_fails_on_threshold_and_critical_item(tmp_path, monkeypatch, capsys):
    assert _eval(tmp_path, monkeypatch, good=False) == 1
    err = capsys.readouterr().err
    assert "UNDERKÄNT: hit@5 = 0.0 (minst" in err and "kritisk fråga underkänd: hagfors" in err


def test_regression_against_a_baseline_run_fails_the_gate(tmp_path):
    limits = thresholds_for("sample")
    before = make_run(tmp_path)[0]["metrics"]["system"]
    after = dict(before, key_fact_recall=before["key_fact_recall"] - 0.05)
    result = gate(after, limits | {"min": {"key_fact_recall": 0.1}, "max": {}}, before)
    assert not result["passed"] and result["regressions"][0]["metric"] == "key_fact_recall"
    assert gate(before, limits | {"min": {"key_fact_recall": 0.1}, "max": {}}, before)["passed"]


def test_eval_compare_writes_html(good_run, bad_run, tmp_path, capsys):
    assert main(["eval-compare", str(good_run), str(bad_run), "--out", str(tmp_path / "cmp")]) == 0
    assert "hagfors" in capsys.readouterr().out
    assert "Godkänd → underkänd (1)" in (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")


def test_eval_draft_writes_a_reviewable_valid_set(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "plan.md").write_text(
        "# Miljöplan för Exempelby\n\n## Mål för energi\n\nKommunen ska minska energianvändningen med 20 procent "
        "till år 2030 jämfört med 2015.\n\n## Uppföljning\n\nMiljönämnden ansvarar för att följa upp planen varje "
        "år och rapportera till fullmäktige.\n",
        encoding="utf-8",
    )
    out = tmp_path / "draft.yaml"
    assert main(["eval-draft", str(corpus), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "# granska" in text and 'section: "Mål för energi"' in text
    drafted = load_set(out)
    assert any(set(i.key_facts) >= {"20", "2030"} for i in drafted.items)
    assert {g.source for i in drafted.items for g in i.gold_sources} == {"plan.md"}

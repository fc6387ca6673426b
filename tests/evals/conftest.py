"""A small hand-made run (system and one baseline) written to a folder, for report/compare/gate tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings
from evals.runner import describe, summarize
from evals.runs import write_run
from evals.sets import EvalSet
from tests.evals.factories import OTHER, good_response, hit, item, record, refusal_response

Run = tuple[dict[str, Any], list[dict[str, Any]]]


def make_run(tmp: Path, good: bool = True, baselines: bool = True) -> Run:
    corpus = tmp / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "hagfors.md").write_text("# Hagfors\n\nText.\n", encoding="utf-8")
    items = [
        item(id="hagfors", critical=True, tags=["hagfors", "värmland"]),
        item(id="saknas", category="unanswerable", expect_refusal=True, gold_sources=[], key_facts=[], tags=["x"]),
    ]
    eval_set = EvalSet("sample", "Testsamling", corpus, items, tmp / "set.yaml")
    ranking = [hit("hagfors.md")] if good else [hit("other.md", OTHER)] * 6
    records = [
        record(items[0], good_response() if good else refusal_response(), ranking),
        record(items[1], refusal_response(), []),
    ]
    configs = {"system": describe(Settings(home=tmp / "home"), {})}
    if baselines:
        configs["bm25"] = describe(Settings(home=tmp / "home", retrieval="lexical"), {"retrieval": "lexical"})
        records += [
            record(items[0], refusal_response(), [hit("other.md", OTHER)], "bm25", 50.0),
            record(items[1], good_response(), [], "bm25", 60.0),
        ]
    return summarize(eval_set, configs, records), records


@pytest.fixture
def good_run(tmp_path: Path) -> Path:
    out = tmp_path / "good"
    write_run(out, *make_run(tmp_path))
    return out


@pytest.fixture
def bad_run(tmp_path: Path) -> Path:
    out = tmp_path / "bad"
    write_run(out, *make_run(tmp_path, good=False))
    return out

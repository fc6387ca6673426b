"""Set loading: the shipped sets are valid, and each kind of mistake is named with its item."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evals.sets import SetError, load_set, shipped_sets


def _write(tmp_path: Path, items: list[dict], **top) -> Path:
    (tmp_path / "corpus").mkdir(exist_ok=True)
    (tmp_path / "corpus" / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    data = {"name": "t", "description": "d", "corpus": str(tmp_path / "corpus"), "items": items} | top
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _item(**kw) -> dict:
    base = {
        "id": "q1",
        "question": "Vad?",
        "history": [],
        "category": "answerable",
        "expect_refusal": False,
        "reference_answer": "Svar.",
        "key_facts": ["svar", ["a", "b"]],
        "gold_sources": [{"source": "a.md"}],
        "tags": ["x", 2018],
        "critical": False,
    }
    return base | kw


def test_valid_set_loads(tmp_path):
    s = load_set(_write(tmp_path, [_item()]))
    assert s.items[0].tags == ["x", "2018"] and s.items[0].gold_sources[0].source == "a.md"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "maybe"}, "category must be one of"),
        ({"expect_refusal": True}, "contradicts category answerable"),
        ({"gold_sources": [{"source": "missing.md"}]}, "'missing.md' is not a file"),
        ({"gold_sources": []}, "needs at least one gold source"),
        ({"category": "follow_up"}, "needs a history"),
        ({"category": "multi_source"}, "at least two documents"),
        ({"key_facts": [3]}, "key_facts[1]"),
        ({"history": [{"role": "bot", "content": "x"}]}, "history must be"),
        ({"question": ""}, "question is missing"),
        ({"colour": "blue"}, "unknown keys ['colour']"),
        ({"gold_sources": [{"source": "a.md", "page": 0}]}, "page must be"),
    ],
)
def test_item_errors_name_the_item(tmp_path, change, message):
    with pytest.raises(SetError) as err:
        load_set(_write(tmp_path, [_item(), _item(id="broken", **change)]))
    assert "item 2 (broken)" in str(err.value) and message in str(err.value)


def test_duplicate_ids_and_missing_corpus(tmp_path):
    with pytest.raises(SetError, match=r"item 2 \(q1\): duplicate id"):
        load_set(_write(tmp_path, [_item(), _item()]))
    with pytest.raises(SetError, match="corpus folder 'nowhere' not found"):
        load_set(_write(tmp_path, [_item()], corpus="nowhere"))


def test_bad_yaml(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("items: [", encoding="utf-8")
    with pytest.raises(SetError, match="not valid YAML"):
        load_set(path)


def test_shipped_sets_are_valid(shared_corpus):
    names = {p.stem for p in shipped_sets()}
    assert {"sample", "shared_corpus", "shared_dev"} <= names
    for path in shipped_sets():
        assert load_set(path).items

"""Eval sets: load a YAML set and validate it, with errors that name the item and the field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ("answerable", "multi_source", "follow_up", "unanswerable", "out_of_scope")
REFUSAL_CATEGORIES = ("unanswerable", "out_of_scope")
REPO_ROOT = Path(__file__).resolve().parent.parent
SETS_DIR = Path(__file__).resolve().parent / "sets"

KeyFact = str | list[str]


class SetError(ValueError):
    """An eval set that cannot be used; the message lists every problem found."""


@dataclass
class GoldSource:
    source: str
    section: str | None = None
    page: int | None = None

    @property
    def located(self) -> bool:
        return self.section is not None or self.page is not None


@dataclass
class EvalItem:
    id: str
    question: str
    category: str
    expect_refusal: bool
    history: list[dict[str, str]] = field(default_factory=list)
    reference_answer: str = ""
    key_facts: list[KeyFact] = field(default_factory=list)
    gold_sources: list[GoldSource] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    critical: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvalItem:
        gold = [GoldSource(**g) for g in data.get("gold_sources", [])]
        return cls(**(data | {"gold_sources": gold}))


@dataclass
class EvalSet:
    name: str
    description: str
    corpus: Path | None  # resolved, absolute; None: the documents already in the data home
    items: list[EvalItem]
    path: Path


def resolve_corpus(value: str, set_path: Path) -> Path | None:
    """Relative corpus paths are read against the repo root (as the shipped sets are written), then
    the working directory, then the set's own folder; the first that exists wins."""
    path = Path(value).expanduser()
    if path.is_absolute():
        return path if path.is_dir() else None
    for base in (REPO_ROOT, Path.cwd(), set_path.parent):
        if (base / path).is_dir():
            return (base / path).resolve()
    return None


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_key_facts(value: Any, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append("key_facts must be a list")
        return
    for n, fact in enumerate(value, 1):
        if not (isinstance(fact, str) and fact.strip()) and not (_str_list(fact) and fact):
            problems.append(f"key_facts[{n}] must be a text or a list of alternative texts")


def _check_gold(value: Any, corpus: Path | None, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append("gold_sources must be a list")
        return
    for n, gold in enumerate(value, 1):
        if not isinstance(gold, dict) or not isinstance(gold.get("source"), str) or not gold["source"].strip():
            problems.append(f"gold_sources[{n}] needs a 'source' (path relative to the corpus folder)")
            continue
        extra = set(gold) - {"source", "section", "page"}
        if extra:
            problems.append(f"gold_sources[{n}] has unknown keys {sorted(extra)}")
        if "section" in gold and not (isinstance(gold["section"], str) and gold["section"].strip()):
            problems.append(f"gold_sources[{n}].section must be a non-empty text")
        if "page" in gold and not (isinstance(gold["page"], int) and gold["page"] >= 1):
            problems.append(f"gold_sources[{n}].page must be a page number ≥ 1")
        if corpus is not None and not (corpus / gold["source"]).is_file():
            problems.append(f"gold_sources[{n}].source {gold['source']!r} is not a file in {corpus}")


def _check_history(value: Any, problems: list[str]) -> None:
    ok = isinstance(value, list) and all(
        isinstance(t, dict)
        and set(t) == {"role", "content"}
        and t["role"] in ("user", "assistant")
        and isinstance(t["content"], str)
        for t in value
    )
    if not ok:
        problems.append("history must be a list of {role: user|assistant, content: text}")


def _item_problems(raw: dict[str, Any], corpus: Path | None) -> list[str]:
    problems: list[str] = []
    known = {f for f in EvalItem.__dataclass_fields__}
    if extra := set(raw) - known:
        problems.append(f"unknown keys {sorted(extra)}")
    if not (isinstance(raw.get("question"), str) and raw["question"].strip()):
        problems.append("question is missing or empty")
    category = raw.get("category")
    if category not in CATEGORIES:
        problems.append(f"category must be one of {', '.join(CATEGORIES)} (got {category!r})")
    if not isinstance(raw.get("expect_refusal"), bool):
        problems.append("expect_refusal must be true or false")
    elif category in CATEGORIES and raw["expect_refusal"] != (category in REFUSAL_CATEGORIES):
        problems.append(f"expect_refusal: {str(raw['expect_refusal']).lower()} contradicts category {category}")
    _check_history(raw.get("history", []), problems)
    if category == "follow_up" and not raw.get("history"):
        problems.append("a follow_up item needs a history")
    if not isinstance(raw.get("reference_answer", ""), str):
        problems.append("reference_answer must be a text")
    _check_key_facts(raw.get("key_facts", []), problems)
    _check_gold(raw.get("gold_sources", []), corpus, problems)
    gold = raw.get("gold_sources") or []
    if category in CATEGORIES and category not in REFUSAL_CATEGORIES and not gold:
        problems.append("an item that should be answered needs at least one gold source")
    if category == "multi_source" and len({g.get("source") for g in gold if isinstance(g, dict)}) < 2:
        problems.append("a multi_source item needs gold sources from at least two documents")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str | int) and str(t).strip() for t in tags):
        problems.append("tags must be a list of words")
    if not isinstance(raw.get("critical", False), bool):
        problems.append("critical must be true or false")
    return problems


def parse_set(data: Any, path: Path) -> EvalSet:
    if not isinstance(data, dict):
        raise SetError(f"{path}: expected a mapping with name, description, corpus and items")
    problems: list[str] = []
    if not (isinstance(data.get("name"), str) and data["name"].strip()):
        problems.append("top level: 'name' is missing or empty")
    if "corpus" in data and not (isinstance(data["corpus"], str) and data["corpus"].strip()):
        problems.append("top level: 'corpus' must name a folder (leave it out to use the data home's documents)")
    if extra := set(data) - {"name", "description", "corpus", "items"}:
        problems.append(f"top level: unknown keys {sorted(extra)}")
    corpus = resolve_corpus(data["corpus"], path) if isinstance(data.get("corpus"), str) else None
    if isinstance(data.get("corpus"), str) and corpus is None:
        problems.append(f"top level: corpus folder {data['corpus']!r} not found (relative to {REPO_ROOT})")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("top level: 'items' must be a non-empty list")
        raw_items = []
    seen: set[str] = set()
    items: list[EvalItem] = []
    for n, raw in enumerate(raw_items, 1):
        item_id = raw.get("id") if isinstance(raw, dict) else None
        label = f"item {n} ({item_id})" if isinstance(item_id, str) and item_id else f"item {n}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: expected a mapping")
            continue
        if not (isinstance(item_id, str) and item_id.strip()):
            problems.append(f"{label}: 'id' is missing or empty")
        elif item_id in seen:
            problems.append(f"{label}: duplicate id")
        seen.add(str(item_id))
        found = _item_problems(raw, corpus)
        problems.extend(f"{label}: {p}" for p in found)
        if not found and isinstance(item_id, str):
            # A tag written as 2018 arrives as a number from YAML; it is still a tag.
            items.append(EvalItem.from_json(raw | {"tags": [str(t) for t in raw.get("tags", [])]}))
    if problems:
        raise SetError(f"{path}: {len(problems)} problem(s)\n  " + "\n  ".join(problems))
    return EvalSet(data["name"], data.get("description") or "", corpus, items, path)


def load_set(path: str | Path) -> EvalSet:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SetError(f"{path}: not valid YAML: {exc}") from exc
    except OSError as exc:
        raise SetError(f"{path}: cannot be read: {exc}") from exc
    return parse_set(data, path)


def shipped_sets() -> list[Path]:
    return sorted(SETS_DIR.glob("*.yaml"))

"""Hand-made items, answers and run records for the eval tests (no service involved)."""

from __future__ import annotations

from typing import Any

from evals.metrics import score_item
from evals.sets import EvalItem, GoldSource

PASSAGE = "Hagfors kommun har valt fyra åtgärdsområden för 2022–2025. Ett av dem är pollinering."
OTHER = "Säffle kommun skrev under överenskommelsen i februari 2022."


def item(**kw: Any) -> EvalItem:
    base: dict[str, Any] = {
        "id": "q1",
        "question": "Vilka områden har Hagfors valt?",
        "category": "answerable",
        "expect_refusal": False,
        "reference_answer": "Hagfors har valt fyra åtgärdsområden, bland dem pollinering.",
        "key_facts": ["pollinering", ["fyra", "4"]],
        "gold_sources": [GoldSource("hagfors.md", section="Åtgärdsområden")],
        "tags": ["hagfors"],
    }
    return EvalItem(**(base | kw))


def hit(source: str, text: str = PASSAGE, section: str = "Hagfors > Åtgärdsområden", **kw: Any) -> dict[str, Any]:
    return {
        "source": source,
        "title": source,
        "chunk_id": f"{source}-0",
        "score": 0.5,
        "text": text,
        "page": None,
        "section": section,
        "source_url": None,
    } | kw


def citation(n: int, passage: dict[str, Any], quote: str, start: int | None = None) -> dict[str, Any]:
    start = passage["text"].index(quote) if start is None else start
    return {
        "n": n,
        "source": passage["source"],
        "title": passage["title"],
        "source_url": None,
        "page": None,
        "section": passage["section"],
        "quote": quote,
        "chunk_id": passage["chunk_id"],
        "start": start,
        "end": start + len(quote),
        "text": passage["text"],
    }


def response(
    answer: str,
    citations: list[dict[str, Any]],
    retrieved: list[dict[str, Any]],
    refused: bool = False,
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "answer": answer,
        "refused": refused,
        "citations": citations,
        "retrieved": retrieved,
        "timings_ms": timings or {"retrieve": 10.0, "answer": 2.0},
        "standalone_question": "",
        "evidence": 0.5,
        "suggestions": [],
    }


def good_response() -> dict[str, Any]:
    p = hit("hagfors.md")
    quote = "Hagfors kommun har valt fyra åtgärdsområden för 2022–2025. Ett av dem är pollinering."
    return response(f"Enligt dokumenten:\n\n{quote} [1]", [citation(1, p, quote)], [p])


def refusal_response() -> dict[str, Any]:
    return response("Jag hittar inget stöd för det i de inlästa dokumenten.", [], [hit("other.md", OTHER)], True)


def record(
    it: EvalItem, resp: dict[str, Any], ranking: list[dict[str, Any]], config: str = "system", wall_ms: float = 100.0
) -> dict[str, Any]:
    return {
        "config": config,
        "id": it.id,
        "item": it.to_json(),
        "response": resp,
        "ranking": ranking,
        "wall_ms": wall_ms,
        "scores": score_item(it, resp, ranking),
    }


def letter_embed(texts: list[str]) -> list[list[float]]:
    """A stand-in embedder: letter counts, so similar texts have similar vectors."""
    alphabet = "abcdefghijklmnopqrstuvwxyzåäö"
    return [[float(t.casefold().count(ch)) for ch in alphabet] for t in texts]

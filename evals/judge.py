"""An optional LLM judge, advisory only: with an OpenAI-compatible endpoint configured, each answer is
graded for correctness against the expected facts and for faithfulness to its cited passages, with
the judge's reason. Its figures are shown in the report and never gate a run: a model's opinion
varies with the model, the deterministic metrics are what the gate trusts."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.service import AssistantService
from assistant.settings import Settings

log = logging.getLogger(__name__)

PROMPT = """Du bedömer ett svar från en svensk assistent. Svara med ENDAST ett JSON-objekt på en rad:
{{"korrekt": "ja" eller "nej", "trogen": "ja" eller "nej", "motivering": "en mening på svenska"}}
"korrekt": svaret innehåller de förväntade fakta (eller avböjer när frågan ska avböjas).
"trogen": allt svaret påstår står i de citerade källtexterna.

Fråga: {question}
Ska avböjas: {refuse}
Förväntade fakta: {facts}
Svar: {answer}
Citerade källtexter:
{sources}
JSON:"""
_OBJECT = re.compile(r"\{.*?\}", re.S)


def _yes(value: Any) -> bool | None:
    text = str(value).strip().lower()
    return True if text in ("ja", "yes", "true", "1") else False if text in ("nej", "no", "false", "0") else None


def parse_verdict(reply: str) -> dict[str, Any]:
    """The first JSON object in the reply → {"correct", "faithful", "reason"}; unreadable → "error"."""
    for match in _OBJECT.finditer(reply):
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            continue
        if not isinstance(data, dict):
            continue
        correct, faithful = _yes(data.get("korrekt")), _yes(data.get("trogen"))
        if correct is not None and faithful is not None:
            return {"correct": correct, "faithful": faithful, "reason": str(data.get("motivering", ""))[:500]}
    return {"error": f"obegripligt svar från domaren: {reply.strip()[:200]!r}"}


class Judge:
    def __init__(self, llm: BaseChatModel, model: str) -> None:
        self.llm = llm
        self.model = model

    @classmethod
    def from_settings(cls, settings: Settings) -> Judge:
        if not settings.llm_base_url:
            raise ValueError("Domaren behöver en språkmodell: ange KOMMUNSTOD_LLM_BASE_URL (och _MODEL).")
        # At most 100 tokens: the JSON verdict with a one-sentence reason.
        return cls(AssistantService(settings).chat_model(100), settings.llm_model or "default")

    def prompt(self, item: dict[str, Any], response: dict[str, Any]) -> str:
        facts = "; ".join(f if isinstance(f, str) else " eller ".join(f) for f in item.get("key_facts", [])) or "–"
        sources = "\n".join(f"[{c.get('n')}] {c.get('quote') or ''}" for c in response.get("citations") or []) or "–"
        return PROMPT.format(
            question=item["question"],
            refuse="ja" if item.get("expect_refusal") else "nej",
            facts=facts,
            answer=(response.get("answer") or "")[:3000],
            sources=sources[:4000],
        )

    def grade(self, item: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        try:
            reply = str(self.llm.invoke(self.prompt(item, response)).content)
        except Exception as exc:  # the judge is advisory: a failing endpoint marks the item, the run goes on
            log.warning("LLM judge failed: %s", exc)
            return {"error": f"domaren svarade inte: {type(exc).__name__}"}
        return parse_verdict(reply)


def judge_records(judge: Judge, records: list[dict[str, Any]], config: str) -> None:
    """Adds a "judge" entry to each record of `config` (the system), in place."""
    for record in records:
        if record["config"] == config and "error" not in record["response"]:
            record["judge"] = judge.grade(record["item"], record["response"])


def judge_summary(records: list[dict[str, Any]], config: str, model: str) -> dict[str, Any] | None:
    verdicts = [r["judge"] for r in records if r["config"] == config and "judge" in r]
    if not verdicts:
        return None
    graded = [v for v in verdicts if "error" not in v]

    def share(key: str) -> float | None:
        return round(sum(v[key] for v in graded) / len(graded), 4) if graded else None

    return {
        "model": model,
        "graded": len(graded),
        "errors": len(verdicts) - len(graded),
        "correct": share("correct"),
        "faithful": share("faithful"),
    }

"""Offline, deterministic metrics: one item's scores from its answer, and a run's aggregate.

`score_item` takes the item, the `ask` JSON and the retrieval ranking (search at k=10), plus an
optional embedding function for the similarity measures; `aggregate` turns scored records into
the figures of summary.json. Everything a threshold or the report names is listed in METRICS.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sacrebleu.metrics import CHRF

from evals.sets import EvalItem, GoldSource
from evals.text import fact_found, normalize, numbers, split_answer, strip_markers, word_overlap

Embed = Callable[[list[str]], list[list[float]]]

KS = (1, 3, 5, 10)
PASS_TOP = 5  # a gold document must be among this many retrieved passages
PASS_KEY_FACTS = 0.5
SUPPORT_OVERLAP = 0.5  # share of a block's content words found in its cited text
SUPPORT_SIMILARITY = 0.85  # e5 cosine between a block and its cited text; unrelated Swedish text scores ~0.8

_CHRF = CHRF()


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Swedish, for the report
    higher_is_better: bool
    definition: str  # Swedish, one line, for the report


METRICS = [
    Metric("pass_rate", "Godkända frågor", True, "Andel frågor som klarar godkänt-regeln."),
    *(
        Metric(f"hit@{k}", f"Träff@{k}", True, f"Andel frågor med ett guldkälldokument bland de {k} första träffarna.")
        for k in KS
    ),
    Metric(
        "answer_hit@1",
        "Svar i första träffen",
        True,
        "Andel frågor där första träffen innehåller nyckelfakta ordagrant (i SweQUAD det exakta svaret), "
        "ur vilket dokument som helst: nästan likadana sidor räknas.",
    ),
    Metric(
        "mrr@10", "MRR@10", True, "Medelvärde av 1/rang för första träffen ur ett gulddokument (0 utanför topp 10)."
    ),
    Metric("ndcg@10", "nDCG@10", True, "Rangviktad andel av gulddokumenten i topp 10 (varje dokument räknas en gång)."),
    Metric("recall@5", "Täckning@5", True, "Andel av frågans gulddokument som finns bland de 5 första träffarna."),
    Metric("recall@10", "Täckning@10", True, "Andel av frågans gulddokument som finns bland de 10 första träffarna."),
    *(
        Metric(
            f"section_hit@{k}",
            f"Avsnittsträff@{k}",
            True,
            f"Som träff@{k} men avsnittet (rubrik eller text) och/eller sidan måste också stämma.",
        )
        for k in KS
    ),
    Metric("section_mrr@10", "Avsnitts-MRR@10", True, "MRR@10 på avsnitts-/sidnivå."),
    Metric("section_recall@10", "Avsnittstäckning@10", True, "Andel angivna guldavsnitt/sidor som finns i topp 10."),
    Metric(
        "citation_validity",
        "Giltiga källhänvisningar",
        True,
        "Andel hänvisningar vars citat står ordagrant i ett hämtat avsnitt på angiven plats.",
    ),
    Metric("citation_precision", "Hänvisningsprecision", True, "Andel hänvisningar som pekar på ett gulddokument."),
    Metric("citation_recall", "Hänvisningstäckning", True, "Andel av gulddokumenten som svaret hänvisar till."),
    Metric(
        "cited_block_share", "Stycken med källa", True, "Andel svarsstycken (efter inledningen) som slutar med [n]."
    ),
    Metric(
        "supported_block_share",
        "Belagda stycken",
        True,
        "Andel svarsstycken som stöds av sin citerade text (ordöverlapp, likhet och alla tal).",
    ),
    Metric(
        "faithfulness_overlap",
        "Ordöverlapp med källan",
        True,
        "Andel innehållsord i ett stycke som finns i den citerade texten (medel över stycken).",
    ),
    Metric(
        "faithfulness_similarity",
        "Likhet med källan",
        True,
        "Inbäddningslikhet (cosinus) mellan stycke och citerad text (medel över stycken).",
    ),
    Metric(
        "number_support", "Belagda tal", True, "Andel tal, årtal och procentsatser i svaren som finns i citerad text."
    ),
    Metric("key_fact_recall", "Nyckelfakta", True, "Andel av frågans nyckelfakta som står i svaret."),
    Metric("chrf", "chrF", True, "Teckenbaserad likhet (chrF, 0–1) mellan svaret och referenssvaret."),
    Metric("answer_similarity", "Likhet med referens", True, "Inbäddningslikhet mellan svaret och referenssvaret."),
    Metric("correct_refusal", "Riktiga avböjanden", True, "Andel obesvarbara/utanför-området-frågor som avböjs."),
    Metric("false_refusal", "Felaktiga avböjanden", False, "Andel frågor som borde besvaras men avböjs."),
]
METRIC_BY_KEY = {m.key: m for m in METRICS}
# Figures that are plain means of a per-item score over the items that have one.
PER_ITEM_MEANS = [
    *(f"{p}hit@{k}" for p in ("", "section_") for k in KS),
    "answer_hit@1",
    "mrr@10",
    "ndcg@10",
    "recall@5",
    "recall@10",
    "section_mrr@10",
    "section_recall@10",
    "citation_precision",
    "citation_recall",
    "key_fact_recall",
    "chrf",
    "answer_similarity",
]


# -- retrieval ------------------------------------------------------------------------------------


def located_match(gold: GoldSource, hit: dict[str, Any]) -> bool:
    """A passage matches a gold section/page: same document, the section text occurs in the passage's
    section path or text, and the page is the same."""
    if hit.get("source") != gold.source:
        return False
    if gold.section is not None:
        wanted = normalize(gold.section)
        if wanted not in normalize(hit.get("section") or "") and wanted not in normalize(hit.get("text") or ""):
            return False
    return gold.page is None or hit.get("page") == gold.page


def _rank_scores(matches: list[set[int]], n_gold: int, prefix: str, recall_ks: tuple[int, ...]) -> dict[str, float]:
    """matches[i] = indexes of the gold units that passage i matches; rank metrics over them."""
    out: dict[str, float] = {}
    first = next((rank for rank, m in enumerate(matches[:10], 1) if m), None)
    for k in KS:
        out[f"{prefix}hit@{k}"] = float(first is not None and first <= k)
    out[f"{prefix}mrr@10"] = 1.0 / first if first else 0.0
    for k in recall_ks:
        found = set().union(*matches[:k]) if matches[:k] else set()
        out[f"{prefix}recall@{k}"] = len(found) / n_gold
    return out


def retrieval_scores(item: EvalItem, ranking: list[dict[str, Any]]) -> dict[str, float | None]:
    docs = sorted({g.source for g in item.gold_sources})
    scores: dict[str, float | None] = {}
    if docs:
        doc_matches = [{docs.index(h["source"])} if h.get("source") in docs else set() for h in ranking]
        scores |= _rank_scores(doc_matches, len(docs), "", (5, 10))
        seen: set[int] = set()
        dcg = 0.0
        for rank, m in enumerate(doc_matches[:10], 1):
            if m - seen:
                dcg += 1 / math.log2(rank + 1)
                seen |= m
        ideal = sum(1 / math.log2(r + 1) for r in range(1, min(len(docs), 10) + 1))
        scores["ndcg@10"] = dcg / ideal
    if item.key_facts and ranking:
        first = ranking[0].get("text", "")
        scores["answer_hit@1"] = float(all(fact_found(fact, first) for fact in item.key_facts))
    located = [g for g in item.gold_sources if g.located]
    if located:
        loc_matches = [{i for i, g in enumerate(located) if located_match(g, h)} for h in ranking]
        scores |= _rank_scores(loc_matches, len(located), "section_", (10,))
    return scores


def gold_marks(item: EvalItem, ranking: list[dict[str, Any]]) -> list[str]:
    """Per passage: "section" (matches a gold section/page), "document" (a gold document) or ""."""
    docs = {g.source for g in item.gold_sources}
    located = [g for g in item.gold_sources if g.located]
    return [
        "section" if any(located_match(g, h) for g in located) else "document" if h.get("source") in docs else ""
        for h in ranking
    ]


# -- answer -------------------------------------------------------------------------------------


def citation_valid(citation: dict[str, Any], retrieved: list[dict[str, Any]]) -> bool:
    """The quote stands at [start:end] in the retrieved passage the citation names."""
    quote = citation.get("quote") or ""
    for hit in retrieved:
        if hit.get("chunk_id") == citation.get("chunk_id"):
            text = hit.get("text") or ""
            return bool(quote) and text[citation.get("start", 0) : citation.get("end", 0)] == quote
    return False


def _cosine(a: list[float], b: list[float]) -> float:
    va, vb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb / denom) if denom else 0.0


class _Similarity:
    """Embeds all of one item's texts in a single call, then answers cosine lookups."""

    def __init__(self, embed: Embed | None, pairs: list[tuple[str, str]]) -> None:
        self._vectors: dict[str, list[float]] = {}
        if embed is not None and pairs:
            texts = sorted({t for pair in pairs for t in pair})
            self._vectors = dict(zip(texts, embed(texts), strict=True))

    def __call__(self, a: str, b: str) -> float | None:
        if a not in self._vectors or b not in self._vectors:
            return None
        return round(_cosine(self._vectors[a], self._vectors[b]), 4)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def answer_scores(item: EvalItem, response: dict[str, Any], embed: Embed | None = None) -> dict[str, Any]:
    answer = response.get("answer") or ""
    refused = bool(response.get("refused"))
    citations = response.get("citations") or []
    retrieved = response.get("retrieved") or []
    lead, blocks = split_answer(answer) if not refused else ("", [])
    by_n = {c.get("n"): c for c in citations}

    def cited_text(markers: list[int]) -> str:
        return "\n".join((by_n[n].get("quote") or by_n[n].get("text") or "") for n in markers if n in by_n)

    body = strip_markers("\n".join(b.text for b in blocks)) if blocks else strip_markers(answer)
    pairs = [(b.text, cited_text(b.markers)) for b in blocks if cited_text(b.markers)]
    if item.reference_answer and body:
        pairs.append((body, item.reference_answer))
    similarity = _Similarity(embed, pairs)

    block_rows = []
    for b in blocks:
        support = cited_text(b.markers)
        missing = sorted(numbers(b.text) - numbers(support))
        overlap = round(word_overlap(b.text, support), 4) if support else 0.0
        sim = similarity(b.text, support) if support else None
        block_rows.append(
            {
                "text": b.text,
                "markers": b.markers,
                "overlap": overlap,
                "similarity": sim,
                "unsupported_numbers": missing,
                "supported": bool(support)
                and overlap >= SUPPORT_OVERLAP
                and not missing
                and (sim is None or sim >= SUPPORT_SIMILARITY),
            }
        )
    # The lead-in names the cited documents and their years ("Enligt Miljööverenskommelsen 2022–2025 (2022):"),
    # so titles and years count.
    named = "\n".join(f"{c.get('title') or ''} {c.get('year') or ''}" for c in citations)
    lead_support = cited_text(sorted(by_n)) + "\n" + named
    lead_missing = sorted(numbers(lead) - numbers(lead_support))
    n_numbers = len(numbers(lead)) + sum(len(numbers(b.text)) for b in blocks)
    n_missing = len(lead_missing) + sum(len(r["unsupported_numbers"]) for r in block_rows)

    gold_docs = {g.source for g in item.gold_sources}
    cites = [
        {"n": c.get("n"), "valid": citation_valid(c, retrieved), "gold": c.get("source") in gold_docs}
        for c in citations
    ]
    cited_sources = {c.get("source") for c in citations}
    facts = [{"fact": f, "found": fact_found(f, answer)} for f in item.key_facts]
    chrf = round(_CHRF.sentence_score(body, [item.reference_answer]).score / 100, 4) if item.reference_answer else None
    return {
        "refused": refused,
        "lead_in": lead,
        "lead_unsupported_numbers": lead_missing,
        "blocks": block_rows,
        "citations": cites,
        "numbers_total": n_numbers,
        "numbers_missing": n_missing,
        "citation_precision": _mean(float(c["gold"]) for c in cites) if cites and gold_docs else None,
        "citation_recall": len(cited_sources & gold_docs) / len(gold_docs) if gold_docs else None,
        "key_facts": facts,
        "key_fact_recall": _mean(float(f["found"]) for f in facts),
        "chrf": chrf if not item.expect_refusal else None,
        "answer_similarity": similarity(body, item.reference_answer) if not item.expect_refusal else None,
    }


def verdict(item: EvalItem, scores: dict[str, Any]) -> list[str]:
    """Why the item fails the pass rule (Swedish, for the report); empty when it passes."""
    if item.expect_refusal:
        return [] if scores["refused"] else ["borde ha avböjts men besvarades"]
    reasons = []
    if scores["refused"]:
        reasons.append("avböjdes fast frågan går att besvara")
    if scores.get(f"hit@{PASS_TOP}") == 0.0:
        reasons.append(f"inget gulddokument bland de {PASS_TOP} första träffarna")
    if scores["key_fact_recall"] is not None and scores["key_fact_recall"] < PASS_KEY_FACTS:
        reasons.append(f"nyckelfakta {scores['key_fact_recall']:.0%} < {PASS_KEY_FACTS:.0%}")
    return reasons


def score_item(
    item: EvalItem, response: dict[str, Any], ranking: list[dict[str, Any]], embed: Embed | None = None
) -> dict[str, Any]:
    """All per-item scores; `passed` and `fail_reasons` apply the pass rule."""
    if "error" in response:
        return {"error": response["error"], "passed": False, "fail_reasons": [f"fel: {response['error']}"]}
    scores = retrieval_scores(item, ranking) | answer_scores(item, response, embed)
    scores["gold_marks"] = gold_marks(item, ranking)
    scores["fail_reasons"] = verdict(item, scores)
    scores["passed"] = not scores["fail_reasons"]
    return scores


# -- aggregate ------------------------------------------------------------------------------------


def _percentiles(values: list[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=float)
    return {"p50": round(float(np.percentile(arr, 50)), 1), "p95": round(float(np.percentile(arr, 95)), 1)}


def latency(records: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """p50/p95 per stage of timings_ms, plus the wall-clock time of the whole ask ("total")."""
    stages: dict[str, list[float]] = {}
    for r in records:
        for stage, ms in ((r.get("response") or {}).get("timings_ms") or {}).items():
            if isinstance(ms, int | float):
                stages.setdefault(stage, []).append(float(ms))
        if r.get("wall_ms") is not None:
            stages.setdefault("total", []).append(float(r["wall_ms"]))
    return {stage: _percentiles(values) for stage, values in stages.items()}


def aggregate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of one configuration over its records ({"item", "scores", ...})."""
    items = [EvalItem.from_json(r["item"]) for r in records]
    scores = [r["scores"] for r in records]
    ok = [s for s in scores if "error" not in s]
    answered = [s for s, i in zip(scores, items, strict=True) if "error" not in s and not s["refused"]]
    blocks = [b for s in answered for b in s["blocks"]]
    cites = [c for s in ok for c in s["citations"]]
    expect_ref = [s for s, i in zip(scores, items, strict=True) if i.expect_refusal]
    expect_ans = [s for s, i in zip(scores, items, strict=True) if not i.expect_refusal]

    def mean_of(key: str, rows: list[dict[str, Any]] = ok) -> float | None:
        return _mean(s.get(key) for s in rows)

    def refused(s: dict[str, Any]) -> bool:
        return bool(s.get("refused"))

    out: dict[str, Any] = {
        "items": len(records),
        "passed": sum(s["passed"] for s in scores),
        "pass_rate": _mean(float(s["passed"]) for s in scores),
        "errors": len(scores) - len(ok),
        "critical_failed": [i.id for s, i in zip(scores, items, strict=True) if i.critical and not s["passed"]],
    }
    for key in PER_ITEM_MEANS:
        out[key] = mean_of(key)
    numbers_total = sum(s["numbers_total"] for s in answered)
    out |= {
        "citation_validity": _mean(float(c["valid"]) for c in cites),
        "cited_block_share": _mean(float(bool(b["markers"])) for b in blocks),
        "supported_block_share": _mean(float(b["supported"]) for b in blocks),
        "faithfulness_overlap": _mean(b["overlap"] for b in blocks),
        "faithfulness_similarity": _mean(b["similarity"] for b in blocks),
        "number_support": round(1 - sum(s["numbers_missing"] for s in answered) / numbers_total, 4)
        if numbers_total
        else None,
        "correct_refusal": _mean(float(refused(s)) for s in expect_ref),
        "false_refusal": _mean(float(refused(s)) for s in expect_ans),
        "refusal_table": {
            name: {"refused": sum(map(refused, rows)), "answered": len(rows) - sum(map(refused, rows))}
            for name, rows in (("expected_refusal", expect_ref), ("expected_answer", expect_ans))
        },
        "latency_ms": latency(records),
    }
    return out


def group_by(
    records: list[dict[str, Any]], key: Callable[[dict[str, Any]], Iterable[str]]
) -> dict[str, dict[str, Any]]:
    """Aggregates per group (e.g. per category or per tag; a record may belong to several)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        for name in key(r["item"]):
            groups.setdefault(name, []).append(r)
    return {name: aggregate(rows) for name, rows in sorted(groups.items())}


def metric_value(figures: dict[str, Any], key: str) -> float | None:
    """A figure by dotted name, e.g. "hit@5" or "latency_ms.total.p95"."""
    value: Any = figures
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, int | float) else None

"""Compare two runs of a set (the system configuration of each): metric deltas and the questions that
went pass→fail and fail→pass, as text for the terminal and as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.html import esc, fmt, page, stage_label, table
from evals.metrics import METRICS, metric_value
from evals.runs import SYSTEM, load_run


def compare(
    a: tuple[dict[str, Any], list[dict[str, Any]]], b: tuple[dict[str, Any], list[dict[str, Any]]]
) -> dict[str, Any]:
    (sum_a, rec_a), (sum_b, rec_b) = a, b
    ma, mb = sum_a["metrics"][SYSTEM], sum_b["metrics"][SYSTEM]
    deltas = []
    for m in METRICS:
        va, vb = metric_value(ma, m.key), metric_value(mb, m.key)
        if va is None and vb is None:
            continue
        delta = round(vb - va, 4) if va is not None and vb is not None else None
        better = None if not delta else (delta > 0) == m.higher_is_better
        deltas.append({"metric": m.key, "label": m.label, "a": va, "b": vb, "delta": delta, "better": better})
    for stage in sorted(set(ma.get("latency_ms", {})) | set(mb.get("latency_ms", {}))):
        key = f"latency_ms.{stage}.p95"
        va, vb = metric_value(ma, key), metric_value(mb, key)
        delta = round(vb - va, 1) if va is not None and vb is not None else None
        # Timing noise: a change under 10 % or 5 ms is neither better nor worse.
        better = None if not delta or abs(delta) < max(5.0, 0.1 * (va or 0)) else delta < 0
        deltas.append({"metric": key, "label": stage_label(key), "a": va, "b": vb, "delta": delta, "better": better})
    items_a = {r["id"]: r for r in rec_a if r["config"] == SYSTEM}
    items_b = {r["id"]: r for r in rec_b if r["config"] == SYSTEM}
    both = [i for i in items_b if i in items_a]

    def moved(before: bool, after: bool) -> list[dict[str, Any]]:
        return [
            {"id": i, "question": items_b[i]["item"]["question"], "reasons": items_b[i]["scores"]["fail_reasons"]}
            for i in both
            if items_a[i]["scores"]["passed"] == before and items_b[i]["scores"]["passed"] == after
        ]

    def changed() -> list[dict[str, Any]]:
        """Every question whose pass, key facts or gold rank moved, with the figure before and after."""
        rows = []
        for i in both:
            sa, sb = items_a[i]["scores"], items_b[i]["scores"]
            moves = {k: (sa.get(k), sb.get(k)) for k in ITEM_FIGURES if sa.get(k) != sb.get(k)}
            if moves:
                better = sum(_better(k, *ab) for k, ab in moves.items() if k != "passed")
                verdict = _better("passed", *moves["passed"]) if "passed" in moves else better
                rows.append({"id": i, "question": items_b[i]["item"]["question"], "moves": moves, "better": verdict})
        return rows

    return {
        "a": {"set": sum_a["set"]["name"], "created": sum_a["created"], "config": sum_a["configs"][SYSTEM]},
        "b": {"set": sum_b["set"]["name"], "created": sum_b["created"], "config": sum_b["configs"][SYSTEM]},
        "deltas": deltas,
        "pass_to_fail": moved(True, False),
        "fail_to_pass": moved(False, True),
        "changed": changed(),
        "only_in_a": sorted(set(items_a) - set(items_b)),
        "only_in_b": sorted(set(items_b) - set(items_a)),
    }


# Per-question figures the item table follows (all: higher is better).
ITEM_FIGURES = {"passed": "godkänd", "key_fact_recall": "nyckelfakta", "mrr@10": "MRR@10", "refused": "avböjd"}


def _better(key: str, before: Any, after: Any) -> int:
    """+1 better, −1 worse, 0 neither; a refusal is neither by itself (its pass says whether it was right)."""
    if key == "refused" or before is None or after is None or before == after:
        return 0
    return 1 if after > before else -1


def compare_dirs(a: Path, b: Path) -> dict[str, Any]:
    return compare(load_run(a), load_run(b))


def _delta_text(d: dict[str, Any]) -> str:
    if d["delta"] is None:
        return "–"
    sign = "+" if d["delta"] > 0 else ""
    return sign + fmt(d["delta"], 0 if d["metric"].startswith("latency") else 3)


def render_text(result: dict[str, Any]) -> str:
    lines = [f"{'Mått':32} {'A':>9} {'B':>9} {'Δ':>9}"]
    for d in result["deltas"]:
        flag = {True: " bättre", False: " SÄMRE", None: ""}[d["better"]]
        digits = 0 if d["metric"].startswith("latency") else 3
        lines.append(
            f"{d['label'][:32]:32} {fmt(d['a'], digits):>9} {fmt(d['b'], digits):>9} {_delta_text(d):>9}{flag}"
        )
    for title, key in (("Godkänd → underkänd", "pass_to_fail"), ("Underkänd → godkänd", "fail_to_pass")):
        lines.append(f"\n{title} ({len(result[key])}):")
        lines += [f"  {q['id']}: {q['question']}  [{'; '.join(q['reasons'])}]" for q in result[key]]
    return "\n".join(lines)


def _overrides(side: dict[str, Any]) -> str:
    c = side["config"]
    extra = ", ".join(f"{k}={v}" for k, v in c["overrides"].items())
    return f"{c['embedder']}, styckning {c['chunking']}, sökning {c['retrieval']}, k={c['k']}" + (
        f" ({extra})" if extra else ""
    )


def render_html(result: dict[str, Any]) -> str:
    rows = []
    for d in result["deltas"]:
        cls = {True: "ok", False: "fail", None: "muted"}[d["better"]]
        digits = 0 if d["metric"].startswith("latency") else 3
        rows.append(
            [esc(d["label"]), fmt(d["a"], digits), fmt(d["b"], digits), f'<span class="{cls}">{_delta_text(d)}</span>']
        )

    def questions(key: str) -> str:
        if not result[key]:
            return '<p class="muted">Inga.</p>'
        return table(
            ["Id", "Fråga", "Skäl i B"],
            [[esc(q["id"]), esc(q["question"]), esc("; ".join(q["reasons"]))] for q in result[key]],
            numeric_from=9,
        )

    def item_rows() -> str:
        if not result["changed"]:
            return '<p class="muted">Inga frågor ändrades.</p>'
        rows = []
        for q in result["changed"]:
            cls, word = {1: ("ok", "bättre"), -1: ("fail", "sämre")}.get(
                (q["better"] > 0) - (q["better"] < 0), ("muted", "–")
            )
            moves = "; ".join(f"{ITEM_FIGURES[k]} {fmt(x, 2)} → {fmt(y, 2)}" for k, (x, y) in q["moves"].items())
            rows.append([esc(q["id"]), esc(q["question"]), esc(moves), f'<span class="{cls}">{word}</span>'])
        return table(["Id", "Fråga", "Förändring (A → B)", ""], rows, numeric_from=9)

    a, b = result["a"], result["b"]
    body = f"""
<h1>Jämförelse av två körningar</h1>
<p><b>A:</b> {esc(a["set"])}, {esc(a["created"])} – {esc(_overrides(a))}<br>
<b>B:</b> {esc(b["set"])}, {esc(b["created"])} – {esc(_overrides(b))}</p>
<h2>Måttförändringar (B − A)</h2>
{table(["Mått", "A", "B", "Δ"], rows)}
<h2>Godkänd → underkänd ({len(result["pass_to_fail"])})</h2>
{questions("pass_to_fail")}
<h2>Underkänd → godkänd ({len(result["fail_to_pass"])})</h2>
{questions("fail_to_pass")}
<h2>Fråga för fråga ({len(result["changed"])} ändrade)</h2>
{item_rows()}
"""
    if result["only_in_a"] or result["only_in_b"]:
        body += (
            f"<p class='muted'>Bara i A: {esc(', '.join(result['only_in_a']) or '–')}. "
            f"Bara i B: {esc(', '.join(result['only_in_b']) or '–')}.</p>"
        )
    return page("Jämförelse av utvärderingar", body)

"""The Swedish, self-contained report.html of one run: summary against thresholds, breakdowns, plots
and a drill-down per question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from evals.html import TEMPLATES, esc, fmt, mark, stage_label, table
from evals.metrics import METRIC_BY_KEY, METRICS, PASS_KEY_FACTS, PASS_TOP, SUPPORT_OVERLAP, SUPPORT_SIMILARITY
from evals.plots import hit_curve, latency_histogram
from evals.runs import SYSTEM
from evals.text import number_spans

CATEGORY_NAMES = {
    "answerable": "besvarbar",
    "multi_source": "flera källor",
    "follow_up": "följdfråga",
    "unanswerable": "obesvarbar",
    "out_of_scope": "utanför området",
}


def _limit_text(limits: dict[str, Any], key: str) -> tuple[str, Any, str | None]:
    if key in limits.get("min", {}):
        return f"≥ {fmt(limits['min'][key], 2)}", limits["min"][key], "min"
    if key in limits.get("max", {}):
        return f"≤ {fmt(limits['max'][key], 2)}", limits["max"][key], "max"
    return "", None, None


def _summary_table(summary: dict[str, Any]) -> str:
    labels = list(summary["metrics"])
    limits = summary["thresholds"]
    checks = {c["metric"]: c for c in summary["gate"]["checks"]}
    rows = []
    system = summary["metrics"][SYSTEM]
    stages = sorted(system.get("latency_ms", {}), key=lambda s: (s == "total", s))
    keys = [m.key for m in METRICS] + [f"latency_ms.{s}.{p}" for s in stages for p in ("p50", "p95")]
    for key in keys:
        values = []
        for label in labels:
            figures: Any = summary["metrics"][label]
            for part in key.split("."):
                figures = figures.get(part) if isinstance(figures, dict) else None
            values.append(fmt(figures, 0 if key.startswith("latency") else 3))
        if all(v == "–" for v in values):
            continue
        metric = METRIC_BY_KEY.get(key)
        name = metric.label if metric else stage_label(key)
        limit_text, _, _ = _limit_text(limits, key)
        status = mark(checks[key]["ok"]) if key in checks else ""
        rows.append([esc(name), *values, limit_text, status])
    return table(["Mått", *(esc(label) for label in labels), "Tröskel", "Status"], rows)


def _gate_banner(summary: dict[str, Any]) -> str:
    gate = summary["gate"]
    if gate["passed"]:
        return '<div class="banner ok"><b>Godkänd:</b> alla trösklar och kritiska frågor klarades.</div>'
    items = "".join(f"<li>{esc(f)}</li>" for f in gate["failures"])
    return f'<div class="banner fail"><b>Underkänd:</b><ul>{items}</ul></div>'


def _refusal_table(summary: dict[str, Any]) -> str:
    rows = []
    for label, figures in summary["metrics"].items():
        t = figures["refusal_table"]
        rows.append(
            [
                esc(label),
                str(t["expected_refusal"]["refused"]),
                str(t["expected_refusal"]["answered"]),
                str(t["expected_answer"]["refused"]),
                str(t["expected_answer"]["answered"]),
            ]
        )
    headers = [
        "Konfiguration",
        "Borde avböjas: avböjd ✓",
        "Borde avböjas: besvarad ✗",
        "Borde besvaras: avböjd ✗",
        "Borde besvaras: besvarad ✓",
    ]
    return table(headers, rows)


def _breakdown(groups: dict[str, dict[str, Any]], names: dict[str, str] | None = None) -> str:
    rows = [
        [
            esc((names or {}).get(name, name)),
            str(g["items"]),
            fmt(g["pass_rate"]),
            fmt(g.get("hit@5")),
            fmt(g.get("mrr@10")),
            fmt(g.get("key_fact_recall")),
            fmt(g.get("chrf")),
            fmt(g.get("citation_validity")),
            fmt(g.get("false_refusal")),
            fmt(g.get("correct_refusal")),
        ]
        for name, g in groups.items()
    ]
    headers = [
        "Grupp",
        "Frågor",
        "Godkända",
        "Träff@5",
        "MRR@10",
        "Nyckelfakta",
        "chrF",
        "Giltiga hänv.",
        "Felaktiga avböj.",
        "Riktiga avböj.",
    ]
    return table(headers, rows)


def _highlight_numbers(text: str, missing: list[str]) -> str:
    out, pos = [], 0
    for start, end, value in number_spans(text):
        if value in missing:
            out += [
                esc(text[pos:start]),
                f'<mark class="num" title="finns inte i citerad text">{esc(text[start:end])}</mark>',
            ]
            pos = end
    return "".join(out) + esc(text[pos:])


def _answer_html(scores: dict[str, Any], response: dict[str, Any]) -> str:
    if scores.get("refused") or not scores.get("blocks"):
        return f'<div class="answer"><p>{esc(response.get("answer"))}</p></div>'
    parts = [f"<p>{_highlight_numbers(scores['lead_in'], scores['lead_unsupported_numbers'])}</p>"]
    for b in scores["blocks"]:
        markers = " ".join(f"[{n}]" for n in b["markers"])
        cls = "" if b["supported"] else ' class="unsupported"'
        why = (
            ""
            if b["supported"]
            else f' <span class="muted">(ej belagt: ordöverlapp {fmt(b["overlap"], 2)}, '
            f"likhet {fmt(b['similarity'], 2)})</span>"
        )
        parts.append(f"<p{cls}>{_highlight_numbers(b['text'], b['unsupported_numbers'])} {markers}{why}</p>")
    return f'<div class="answer">{"".join(parts)}</div>'


def _citations_html(scores: dict[str, Any], response: dict[str, Any]) -> str:
    if not response.get("citations"):
        return '<p class="muted">Inga källhänvisningar.</p>'
    rows = []
    for c, s in zip(response["citations"], scores["citations"], strict=True):
        rows.append(
            [
                f"[{c['n']}]",
                esc(c.get("source")) + (" <b>(guld)</b>" if s["gold"] else ""),
                esc(c.get("section")),
                esc(c.get("quote")),
                mark(s["valid"]) + (" giltig" if s["valid"] else " ogiltig"),
            ]
        )
    return table(["", "Källa", "Avsnitt", "Citat", "Giltig"], rows, numeric_from=9)


def _ranking_html(record: dict[str, Any]) -> str:
    ranking = record.get("ranking") or []
    if not ranking:
        return '<p class="muted">Inga hämtade avsnitt.</p>'
    marks = record["scores"].get("gold_marks") or [""] * len(ranking)
    rows = []
    for rank, (hit, gold) in enumerate(zip(ranking, marks, strict=True), 1):
        label = {"section": "guldavsnitt", "document": "gulddokument"}.get(gold, "")
        cls = f' class="gold-{gold}"' if gold else ""
        rows.append(
            f"<tr{cls}><td>{rank}</td><td>{esc(label)}</td><td>{esc(hit.get('source'))}</td>"
            f"<td>{esc(hit.get('section'))}{' s. ' + esc(hit['page']) if hit.get('page') else ''}</td>"
            f'<td class="num">{fmt(hit.get("score"))}</td><td><pre class="chunk">{esc(hit.get("text"))}</pre></td></tr>'
        )
    head = "<tr><th>#</th><th>Guld</th><th>Källa</th><th>Avsnitt</th><th>Poäng</th><th>Text</th></tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _item_html(record: dict[str, Any], others: dict[str, bool]) -> str:
    item, scores, response = record["item"], record["scores"], record["response"]
    passed = scores["passed"]
    flags = "".join(f'<span class="tag">{esc(t)}</span>' for t in item["tags"])
    critical = ' <span class="fail">kritisk</span>' if item["critical"] else ""
    category = CATEGORY_NAMES.get(item["category"], item["category"])
    head = (
        f"<summary>{mark(passed)} <b>{esc(item['id'])}</b> – {esc(item['question'])} "
        f'<span class="muted">[{esc(category)}]</span>{critical}</summary>'
    )
    body = [f"<p>{flags}</p>"]
    if scores["fail_reasons"]:
        body.append("<p class='fail'>Underkänd: " + esc("; ".join(scores["fail_reasons"])) + "</p>")
    if others:
        body.append(
            "<p class='muted'>Jämförelser: " + ", ".join(f"{esc(k)} {mark(v)}" for k, v in others.items()) + "</p>"
        )
    if item["history"]:
        turns = "".join(f"<li><b>{esc(t['role'])}:</b> {esc(t['content'])}</li>" for t in item["history"])
        body.append(f"<h4>Tidigare i samtalet</h4><ul>{turns}</ul>")
    if response.get("standalone_question") and response["standalone_question"] != item["question"]:
        body.append(f"<p class='muted'>Tolkad som: {esc(response['standalone_question'])}</p>")
    if verdict := record.get("judge"):
        body.append(_judge_html(verdict))
    if "error" in response:
        body.append(f"<p class='fail'>Fel: {esc(response['error'])}</p>")
    else:
        body.append("<h4>Svar</h4>" + _answer_html(scores, response))
        body.append(f"<h4>Referenssvar</h4><p>{esc(item['reference_answer']) or '–'}</p>")
        if scores["key_facts"]:
            facts = "".join(
                f"<li>{mark(f['found'])} {esc(f['fact'] if isinstance(f['fact'], str) else ' / '.join(f['fact']))}</li>"
                for f in scores["key_facts"]
            )
            body.append(f"<h4>Nyckelfakta</h4><ul>{facts}</ul>")
        figures = (
            f"chrF {fmt(scores['chrf'], 2)} · likhet med referens {fmt(scores['answer_similarity'], 2)} · "
            f"MRR@10 {fmt(scores.get('mrr@10'), 2)} · nDCG@10 {fmt(scores.get('ndcg@10'), 2)} · "
            f"svarstid {fmt(record.get('wall_ms'), 0)} ms"
        )
        body.append(f"<p class='muted'>{figures}</p>")
        body.append("<h4>Källhänvisningar</h4>" + _citations_html(scores, response))
        gold = ", ".join(
            esc(g["source"])
            + (f" › {esc(g['section'])}" if g.get("section") else "")
            + (f" s. {esc(g['page'])}" if g.get("page") else "")
            for g in item["gold_sources"]
        )
        body.append(f"<h4>Hämtade avsnitt</h4><p class='muted'>Guldkällor: {gold or '–'}</p>" + _ranking_html(record))
    return f"<details{'' if passed else ' open'}>{head}{''.join(body)}</details>"


def _judge_html(verdict: dict[str, Any]) -> str:
    if "error" in verdict:
        return f"<p class='muted'>Språkmodellens bedömning: {esc(verdict['error'])}</p>"
    return (
        f"<p class='muted'>Språkmodellens bedömning (rådgivande): korrekt {mark(verdict['correct'])}, "
        f"trogen mot källorna {mark(verdict['faithful'])} – {esc(verdict['reason'])}</p>"
    )


def _judge_section(summary: dict[str, Any]) -> str:
    j = summary.get("judge")
    if not j:
        return ""
    failed = f", {j['errors']} kunde inte bedömas" if j["errors"] else ""
    return (
        '<h2 id="domare">Språkmodellens bedömning (rådgivande)</h2>'
        f"<p>Språkmodellen {esc(j['model'])} bedömde {j['graded']} svar: korrekta enligt förväntade fakta "
        f"{fmt(j['correct'], 2)}, trogna mot de citerade källorna {fmt(j['faithful'], 2)}"
        f"{failed}. Bedömningen påverkar inte om "
        "körningen är godkänd: den varierar med modellen, trösklarna gäller bara de mått som räknas utan "
        "språkmodell. Skälet står vid varje fråga.</p>"
    )


def _definitions() -> str:
    rows = [[esc(m.label), esc(m.definition)] for m in METRICS]
    rule = (
        f"<p><b>Godkänt-regeln per fråga.</b> En fråga som ska besvaras (besvarbar, flera källor, följdfråga) är "
        f"godkänd när ett gulddokument finns bland de {PASS_TOP} första hämtade avsnitten, svaret inte avböjs "
        f"och minst {PASS_KEY_FACTS:.0%} av nyckelfakta står i svaret (om frågan har nyckelfakta). En fråga som "
        f"ska avböjas (obesvarbar, utanför området) är godkänd när systemet avböjer.</p>"
        f"<p>Ett svarsstycke räknas som belagt när minst {SUPPORT_OVERLAP:.0%} av dess innehållsord finns i den "
        f"citerade texten, inbäddningslikheten är minst {fmt(SUPPORT_SIMILARITY, 2)} och varje tal i stycket "
        "finns i den citerade texten. Ej belagda stycken är markerade i orange, tal som saknas i källan i rött. "
        "Hämtningsmåtten räknas på de tio första träffarna för frågan så som systemet tolkade den. Alla mått "
        "räknas utan språkmodell och ger samma resultat varje gång.</p>"
    )
    return table(["Mått", "Definition"], rows, numeric_from=9) + rule


def _configs(summary: dict[str, Any]) -> str:
    rows = []
    for label, c in summary["configs"].items():
        s = c["settings"]
        overrides = ", ".join(f"{k}={v}" for k, v in c["overrides"].items()) or "–"
        rows.append(
            [
                esc(label),
                esc(c["embedder"]),
                esc(c["chunking"]),
                esc(c["retrieval"]),
                esc(s.get("rerank")),
                str(c["k"]),
                str(s.get("max_per_document")),
                esc(s.get("llm_model") or "–"),
                esc(overrides),
            ]
        )
    headers = [
        "Konfiguration",
        "Inbäddning",
        "Styckning",
        "Sökning",
        "Omrankning",
        "k",
        "Max/dok.",
        "Språkmodell",
        "Ändringar",
    ]
    meta = summary["set"]
    info = (
        f"<p>Frågesamling <code>{esc(meta['path'])}</code> ({meta['items']} frågor) över korpuset "
        f"<code>{esc(meta['corpus'])}</code> (innehållshash {esc(meta['corpus_hash'])}). Git-version "
        f"{esc(summary['git_commit'])}. Körd {esc(summary['created'])}.</p>"
    )
    return info + table(headers, rows, numeric_from=99)


def render_report(summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    meta = summary["set"]
    by_label: dict[str, dict[str, bool]] = {}
    for r in records:
        by_label.setdefault(r["id"], {})[r["config"]] = r["scores"]["passed"]
    wall = {
        label: [r["wall_ms"] for r in records if r["config"] == label and r.get("wall_ms") is not None]
        for label in summary["metrics"]
    }
    system_records = [r for r in records if r["config"] == SYSTEM]
    questions = "".join(
        _item_html(r, {k: v for k, v in by_label[r["id"]].items() if k != SYSTEM}) for r in system_records
    )
    m = summary["metrics"][SYSTEM]
    html = {
        "gate_banner": _gate_banner(summary),
        "summary_table": _summary_table(summary),
        "hit_curve": hit_curve(summary["metrics"]),
        "latency_histogram": latency_histogram(wall),
        "judge_section": _judge_section(summary),
        "refusal_table": _refusal_table(summary),
        "by_category": _breakdown(summary["by_category"][SYSTEM], CATEGORY_NAMES),
        "by_tag": _breakdown(summary["by_tag"][SYSTEM]),
        "questions": questions,
        "definitions": _definitions(),
        "configs": _configs(summary),
    }
    return TEMPLATES.get_template("report.html").render(
        title=f"Utvärdering: {meta['name']}",
        meta=meta,
        m=m,
        pass_rate=fmt(m["pass_rate"], 2),
        **{name: Markup(fragment) for name, fragment in html.items()},
    )


def write_report(out: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> Path:
    path = out / "report.html"
    path.write_text(render_report(summary, records), encoding="utf-8")
    return path

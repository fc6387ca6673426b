"""HTML building blocks shared by the run report and the comparison: one self-contained page (inline
CSS, no scripts from anywhere), escaping and Swedish number formatting."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1d2330; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #d6dbe4; padding-bottom: .2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { border: 1px solid #d6dbe4; padding: .25rem .55rem; text-align: left; vertical-align: top; }
th { background: #f1f4f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #176b2c; font-weight: 600; }
.fail { color: #b3261e; font-weight: 600; }
.muted { color: #5d6778; }
.banner { padding: .7rem 1rem; border-radius: 6px; margin: 1rem 0; }
.banner.ok { background: #e5f4e8; } .banner.fail { background: #fbe7e6; }
details { border: 1px solid #d6dbe4; border-radius: 6px; margin: .4rem 0; padding: .3rem .7rem; }
details[open] { background: #fbfcfd; }
summary { cursor: pointer; }
.answer p { margin: .35rem 0; }
.unsupported { background: #fde2c8; }
mark.num { background: #f7b2ad; }
.gold-section { background: #dff1e3; } .gold-document { background: #eef7f0; }
.chunk { font-size: .88rem; white-space: pre-wrap; max-height: 9rem; overflow: auto; margin: 0; }
.tag { display: inline-block; background: #eef1f6; border-radius: 4px; padding: 0 .35rem; margin-right: .25rem;
       font-size: .85rem; }
figure { display: inline-block; margin: .5rem 1rem .5rem 0; } figure svg { max-width: 560px; height: auto; }
/* Printed (or saved as PDF) for a decision: every question open, no cut-off boxes, no split rows. */
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 10pt; max-width: none; padding: 0; color: #000; }
  h2 { break-after: avoid; } tr, figure, .banner { break-inside: avoid; }
  details { border: none; padding: 0; break-inside: avoid-page; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; font-weight: 600; }
  .chunk { max-height: none; overflow: visible; }
  .banner, .gold-section, .gold-document, mark.num, .unsupported, th {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


# Inline (nothing fetched): a printout shows every question, not only the failed ones left open.
OPEN_FOR_PRINT = (
    "<script>addEventListener('beforeprint', () => "
    "document.querySelectorAll('details').forEach(d => { d.open = true; }));</script>"
)

STAGE_NAMES = {"rewrite": "omskrivning", "retrieve": "hämtning", "answer": "svar", "total": "totalt"}


def stage_label(key: str) -> str:
    """ "latency_ms.retrieve.p95" → "Svarstid hämtning p95 (ms)"."""
    _, stage, pct = key.split(".")
    return f"Svarstid {STAGE_NAMES.get(stage, stage)} {pct} (ms)"


def esc(value: Any) -> str:
    return escape("" if value is None else str(value))


def fmt(value: Any, digits: int = 3) -> str:
    """Swedish decimal comma; "–" for a figure that does not apply."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return f"{value:.{digits}f}".replace(".", ",")
    return str(value)


def mark(ok: bool) -> str:
    return '<span class="ok">✓</span>' if ok else '<span class="fail">✗</span>'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], numeric_from: int = 1) -> str:
    """Cells are HTML already; columns from `numeric_from` on are right-aligned."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i >= numeric_from else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>{body}{OPEN_FOR_PRINT}</body></html>\n"
    )

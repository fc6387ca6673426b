"""HTML building blocks shared by the run report and the comparison: one self-contained page (the
template page.html: inline CSS, no scripts from anywhere), escaping and Swedish number formatting."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

# Templates of this package; values are escaped unless they are Markup (HTML built here).
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html"]), keep_trailing_newline=True
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
    return TEMPLATES.get_template("page.html").render(title=title, body=Markup(body))

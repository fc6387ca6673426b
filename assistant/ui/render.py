"""HTML for the UI's panels. Everything from documents or users is escaped; only our tags remain."""

from __future__ import annotations

from html import escape
from typing import Any

from assistant.domain import page_text

REFUSAL_HELP = (
    "De inlästa dokumenten täcker inte frågan, så assistenten svarar inte. Formulera om frågan, ta bort "
    "filter eller läs in fler dokument under fliken Dokument."
)

EMPTY_PANEL = "Källorna till svaret visas här, med det citerade stycket markerat."


def highlighted(text: str, start: int, end: int, context: int = 300) -> str:
    """The chunk text with the quoted span in <mark>, cut to `context` characters either side of it
    (at a space, marked with …) so the quote is in view; offsets outside the text mark nothing."""
    if not 0 <= start < end <= len(text):
        return escape(text)
    before, after = text[:start], text[end:]
    if len(before) > context:
        cut = before.find(" ", len(before) - context)
        before = "…" + before[cut + 1 if cut >= 0 else len(before) - context :]
    if len(after) > context:
        cut = after.rfind(" ", 0, context)
        after = after[: cut if cut > 0 else context] + "…"
    return f"{escape(before)}<mark>{escape(text[start:end])}</mark>{escape(after)}"


def _link(url: str | None, label: str) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return ""
    return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(label)}</a>'


def _where(section: str | None, page: str) -> str:
    return " · ".join(escape(str(x)) for x in (section, page) if x)


def _meta(item: dict[str, Any]) -> str:
    """Section, page and link, then the stored source name, for a citation or a search hit."""
    where = _where(item.get("section"), page_text(item.get("page"), item.get("page_label"), item.get("ocr", False)))
    meta = " · ".join(x for x in (where, _link(item.get("source_url"), "Originalet")) if x)
    return f'<p class="meta">{meta}</p><p class="meta kallfil">{escape(item.get("source", ""))}</p>'


def citation_card(c: dict[str, Any]) -> str:
    return (
        f'<article class="kallkort" id="kalla-{int(c["n"])}" tabindex="0" aria-label="Källa {int(c["n"])}">'
        f'<h4><span class="nr">[{int(c["n"])}]</span> {escape(c.get("title") or c.get("source", ""))}</h4>'
        f"{_meta(c)}"
        f"<blockquote>{highlighted(c.get('text', ''), int(c.get('start', 0)), int(c.get('end', 0)))}</blockquote>"
        "</article>"
    )


def sources_panel(answer: dict[str, Any] | None, citations: list[dict[str, Any]] | None = None) -> str:
    """The panel beside the chat: the cited passages of one answer, or why there are none.
    While streaming, `citations` arrive before the whole `answer`."""
    if answer is None and citations is None:
        return f'<div class="kallpanel tom"><p>{EMPTY_PANEL}</p></div>'
    if answer is not None and answer.get("refused"):
        suggestions = "".join(
            f"<li>{escape(s.get('title') or s.get('source', ''))} {_link(s.get('source_url'), 'Originalet')}</li>"
            for s in answer.get("suggestions", [])
        )
        near = f"<p>Närmast i dokumenten:</p><ul>{suggestions}</ul>" if suggestions else ""
        return (
            f'<div class="kallpanel avbojt" role="status"><h3>Inget svar i dokumenten</h3>'
            f"<p>{REFUSAL_HELP}</p>{near}</div>"
        )
    cited = citations if citations is not None else (answer or {}).get("citations", [])
    cards = "".join(citation_card(c) for c in cited)
    return f'<div class="kallpanel"><h3>Källor ({len(cited)})</h3>{cards}</div>'


def answer_markdown(answer: dict[str, Any]) -> str:
    """The answer as the chat shows it: a generated sentence its source did not support (kept only
    with verify_action=mark) is set apart from the verified ones."""
    text = answer.get("answer", "")
    verification = answer.get("verification") or {}
    if answer.get("mode") == "generative" and verification.get("action") == "mark":
        for item in verification.get("removed", []):
            marked = f"{item['sentence']} ⚠️ (ej belagd: {item['reason']})"
            text = text.replace(marked, f"_{item['sentence']}_ ⚠️ **Ej belagd i källan:** {item['reason']}.")
    return text


def mode_notice(answer: dict[str, Any]) -> str:
    """One line under the chat on how the answer was made, when a language model was involved."""
    verification = answer.get("verification") or {}
    if answer.get("mode") == "generative":
        removed = len(verification.get("removed", []))
        what = "markerade" if verification.get("action") == "mark" else "borttagna"
        tail = f", {removed} {what}" if removed else ""
        return (
            f"Svaret är skrivet av en språkmodell och granskat mening för mening mot källorna: "
            f"{verification.get('supported', 0)} av {verification.get('claims', 0)} påståenden belagda{tail}."
        )
    if answer.get("fallback"):
        return f"Svaret är hämtat direkt ur dokumenten eftersom {answer['fallback']}."
    return ""


def example_results(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return '<p class="tom">Inga lärande exempel hittades. Prova ett annat tema eller en annan kommun.</p>'
    items = []
    for hit in hits:
        items.append(
            f'<article class="kallkort" tabindex="0"><h4>{escape(hit.get("title", ""))}</h4>{_meta(hit)}'
            f"<blockquote>{escape(hit.get('text', ''))}</blockquote></article>"
        )
    return f'<div class="kallpanel">{"".join(items)}</div>'


DOCUMENT_COLUMNS = ["Titel", "Utgivare", "Typ", "År", "Avsnitt", "Källa"]


def document_rows(docs: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            d.get("title", ""),
            d.get("publisher", ""),
            d.get("doc_type", ""),
            d.get("published", ""),
            d.get("chunks", 0) if d.get("complete", True) else f"{d.get('chunks', 0)} (ofullständigt)",
            d["source"],
        ]
        for d in docs
    ]


def ingest_summary(report: dict[str, Any]) -> str:
    """An upload's outcome (see assistant.uploads.ingest_files) in plain Swedish Markdown."""
    lines = []
    if report["stored"]:
        lines.append(f"Inläst: {', '.join(report['stored'])}. Lagret har nu {report['documents']} dokument.")
    for failure in report.get("failed", []):
        lines.append(f"Kunde inte läsa in **{failure['source']}**: {failure['error']}.")
    return "\n\n".join(lines) or "Inget lästes in."

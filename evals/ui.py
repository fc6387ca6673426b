"""The Utvärdering tab of the Gradio app: run a set with a progress bar and read its report, compare
two runs, import and edit the county's own question sets, and turn feedback into eval items.
Registered as a `kommunstod.tabs` entry point; the web app calls build_tab() inside a gr.Tab.
Changes need the admin token."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.access import AccessDenied, check_admin
from assistant.service import AssistantService
from assistant.settings import Settings, load_settings
from evals.drafts import DraftReview
from evals.home_sets import delete_item, home_sets, import_file, load_home_set, upsert_item
from evals.runs import SYSTEM, load_run, write_run
from evals.sets import EvalSet, load_set, shipped_sets
from evals.spreadsheet import COLUMN_NAMES, SV_CATEGORY, ImportProblems, item_row, template_csv, template_xlsx

NEW_QUESTION = "(ny fråga)"
FEEDBACK_SET = "aterkoppling"
QUESTION_COLUMNS = ["id", "fråga", "förväntade nyckelfakta", "förväntad källa", "ska vägras", "kategori", "kritisk"]
DRAFT_COLUMNS = ["id", "betyg", "fråga", "kommentar", "källor", "datum"]


def admin_problem(settings: Settings, token: str | None) -> str:
    """The Swedish reason a change is refused, or "" when the admin token matches."""
    try:
        check_admin(settings, (token or "").strip())
    except AccessDenied as exc:
        return str(exc)
    return ""


LABEL = "Utvärdering"
TAB_ID = "utvardering"


def _runs_dir(settings: Settings) -> Path:
    return settings.home / "evals" / "runs"


def _runs(settings: Settings) -> list[str]:
    folder = _runs_dir(settings)
    return sorted((p.name for p in folder.glob("*") if (p / "report.html").is_file()), reverse=True)


def _frame_page(page: str, height: str = "80vh") -> str:
    # A report is a whole page with its own CSS; an iframe keeps it apart from Gradio's styles.
    style = f"width:100%;height:{height};border:1px solid #d6dbe4"
    return f'<iframe srcdoc="{html.escape(page, quote=True)}" style="{style}"></iframe>'


def _frame(report: Path) -> str:
    return _frame_page(report.read_text(encoding="utf-8"))


def _status(out: Path) -> str:
    summary, _ = load_run(out)
    m, gate = summary["metrics"][SYSTEM], summary["gate"]
    lines = [
        f"**{summary['set']['name']}**: {m['passed']} av {m['items']} frågor godkända – "
        + ("godkänd." if gate["passed"] else "underkänd:")
    ]
    lines += [f"- {f}" for f in gate["failures"]]
    return "\n".join(lines)


def _problems(exc: ImportProblems) -> str:
    return f"⚠️ Inget sparades; rätta {len(exc.problems)} fel:\n" + "\n".join(f"- {p}" for p in exc.problems)


def _set_choices(settings: Settings) -> list[tuple[str, str]]:
    own = [(f"{name} (egen)", f"home:{name}") for name in home_sets(settings)]
    return own + [(p.stem, f"shipped:{p.stem}") for p in shipped_sets()]


def _load_choice(settings: Settings, choice: str) -> EvalSet:
    kind, _, name = choice.partition(":")
    if kind == "home":
        return load_home_set(settings, name)
    return load_set(next(p for p in shipped_sets() if p.stem == name))


def _templates(settings: Settings) -> tuple[Path, Path]:
    folder = settings.home / "evals" / "mall"
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, csv = folder / "fragemall.xlsx", folder / "fragemall.csv"
    xlsx.write_bytes(template_xlsx())
    csv.write_bytes(template_csv())
    return xlsx, csv


def _known_sources(settings: Settings) -> set[str] | None:
    known = {d["source"] for d in AssistantService(settings).documents()}
    return known or None  # an empty store: the sources cannot be checked yet


def _question_rows(settings: Settings, name: str | None) -> list[list[str]]:
    if not name or name not in home_sets(settings):
        return []
    return [[item_row(i)[c] for c in QUESTION_COLUMNS] for i in load_home_set(settings, name).items]


def build_tab(settings: Settings | None = None) -> None:
    settings = settings or load_settings()
    review = DraftReview(settings)
    xlsx, csv = _templates(settings)

    # -- run ------------------------------------------------------------------------------------

    def run(choice: str, baselines: bool, judged: bool, token: str, progress: gr.Progress = gr.Progress()):  # noqa: B008 - Gradio's idiom
        from evals.judge import Judge
        from evals.report import write_report
        from evals.runner import run_set

        runs = _runs(settings)
        if problem := admin_problem(settings, token):
            return f"⚠️ {problem}", gr.update(), gr.update(), gr.update(), "", None
        if not choice:
            return "Välj en frågesamling.", gr.update(), gr.update(), gr.update(), "", None
        eval_set = _load_choice(settings, choice)
        out = _runs_dir(settings) / f"{eval_set.name}-{datetime.now():%Y%m%d-%H%M%S}"
        progress(0, desc="Startar …")
        summary, records = run_set(
            eval_set,
            settings,
            {},
            baselines=baselines,
            progress=lambda label, done, total: progress(done / total, desc=f"{label}: {done}/{total} frågor"),
            judge=Judge.from_settings(settings) if judged and settings.llm_base_url else None,
        )
        write_run(out, summary, records)
        report = write_report(out, summary, records)
        runs = _runs(settings)
        return (
            _status(out),
            gr.update(choices=runs, value=out.name),
            gr.update(choices=runs, value=runs[1] if len(runs) > 1 else None),
            gr.update(choices=runs, value=out.name),
            _frame(report),
            str(report),
        )

    def open_run(name: str | None):
        if not name:
            return "", "", None
        out = _runs_dir(settings) / name
        return _status(out), _frame(out / "report.html"), str(out / "report.html")

    def compare_runs(a: str | None, b: str | None) -> str:
        from evals.compare import compare_dirs, render_html

        if not a or not b:
            return "<p>Välj två körningar.</p>"
        result = compare_dirs(_runs_dir(settings) / a, _runs_dir(settings) / b)
        return _frame_page(render_html(result), "60vh")

    # -- own sets -------------------------------------------------------------------------------

    def refreshed_sets(selected: str | None = None) -> tuple[Any, Any]:
        names = home_sets(settings)
        value = f"home:{selected}" if selected in names else None
        return gr.update(choices=_set_choices(settings), value=value), gr.update(choices=names, value=selected)

    def do_import(path: str | None, name: str, token: str):
        if problem := admin_problem(settings, token):
            return f"⚠️ {problem}", gr.update(), gr.update()
        if not path:
            return "Välj en fil att importera.", gr.update(), gr.update()
        if not (name or "").strip():
            return "Ge samlingen ett namn.", gr.update(), gr.update()
        file = Path(path)
        try:
            written = import_file(settings, file.name, file.read_bytes(), name, _known_sources(settings))
        except ImportProblems as exc:
            return _problems(exc), gr.update(), gr.update()
        count = len(load_home_set(settings, written.stem).items)
        return f"Importerade {count} frågor till **{written.stem}**.", *refreshed_sets(written.stem)

    def show_set(name: str | None):
        ids = [i[0] for i in _question_rows(settings, name)]
        return _question_rows(settings, name), gr.update(choices=[NEW_QUESTION, *ids], value=NEW_QUESTION)

    def show_question(name: str | None, item_id: str | None) -> list[Any]:
        empty = {c: "" for c in COLUMN_NAMES} | {"ska vägras": "nej", "kritisk": "nej", "kategori": ""}
        row = empty
        if name in home_sets(settings) and item_id and item_id != NEW_QUESTION:
            found = [i for i in load_home_set(settings, name).items if i.id == item_id]
            row = item_row(found[0]) if found else empty
        return [row[c] for c in COLUMN_NAMES]

    def save_question(name: str | None, item_id: str | None, token: str, *values: str):
        if problem := admin_problem(settings, token):
            return f"⚠️ {problem}", gr.update(), gr.update()
        if not (name or "").strip():
            return "Välj eller skriv namnet på en samling.", gr.update(), gr.update()
        row = dict(zip(COLUMN_NAMES, values, strict=True))
        old = "" if item_id in (None, NEW_QUESTION) else item_id
        try:
            item = upsert_item(settings, name, row, _known_sources(settings), old_id=old)
        except ImportProblems as exc:
            return _problems(exc), gr.update(), gr.update()
        rows, ids = show_set(name)
        return f"Sparade frågan **{item.id}**.", rows, gr.update(choices=ids["choices"], value=item.id)

    def remove_question(name: str | None, item_id: str | None, token: str):
        if problem := admin_problem(settings, token):
            return f"⚠️ {problem}", gr.update(), gr.update()
        if not name or not item_id or item_id == NEW_QUESTION:
            return "Välj en fråga att ta bort.", gr.update(), gr.update()
        try:
            delete_item(settings, name, item_id)
        except ImportProblems as exc:
            return _problems(exc), gr.update(), gr.update()
        rows, ids = show_set(name)
        return f"Tog bort **{item_id}**.", rows, ids

    # -- feedback drafts --------------------------------------------------------------------------

    def list_drafts(include_up: bool):
        drafts = review.drafts(include_up)
        rows = [[str(review.summary(d)[c]) for c in DRAFT_COLUMNS] for d in drafts]
        count = f"**{len(drafts)} utkast väntar på granskning.**" if drafts else "Inga utkast väntar."
        choices = [(f"#{d.id}: {d.feedback.question[:70]}", str(d.id)) for d in drafts]
        return count, rows, gr.update(choices=choices, value=None)

    def show_draft(draft_id: str | None):
        if not draft_id:
            return "", "", ""
        d = review.draft(int(draft_id))
        f = d.feedback
        text = (
            f"**Fråga:** {f.question}\n\n**Svaret som gavs:**\n\n> "
            + f.answer.replace("\n", "\n> ")
            + f"\n\n**Källor i svaret:** {', '.join(d.cited_sources) or '–'}\n\n**Kommentar:** {f.comment or '–'}"
        )
        return text, "", "; ".join(d.cited_sources)

    def accept(draft_id: str | None, facts: str, sources: str, refuse: bool, target: str, include_up: bool, token: str):
        if problem := admin_problem(settings, token):
            return f"⚠️ {problem}", *list_drafts(include_up), gr.update(), gr.update()
        if not draft_id:
            return "Välj ett utkast.", *list_drafts(include_up), gr.update(), gr.update()
        try:
            item_id = review.accept(
                int(draft_id), target or FEEDBACK_SET, facts, sources, refuse, _known_sources(settings)
            )
        except ImportProblems as exc:
            return _problems(exc), gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
        name = (target or FEEDBACK_SET).strip().lower()
        return (
            f"Lade till **{item_id}** i {name}; den körs i nästa utvärdering av {name}.",
            *list_drafts(include_up),
            *refreshed_sets(name),
        )

    def dismiss(draft_id: str | None, include_up: bool, token: str):
        if problem := admin_problem(settings, token):
            return f"⚠️ {problem}", *list_drafts(include_up)
        if not draft_id:
            return "Välj ett utkast.", *list_drafts(include_up)
        review.dismiss(int(draft_id))
        return f"Utkast {draft_id} avfärdat.", *list_drafts(include_up)

    # -- layout ---------------------------------------------------------------------------------

    gr.Markdown(
        "Kör en frågesamling mot assistenten och se hur många frågor som besvaras rätt, med rätt källor. "
        "Egna frågor kan importeras från Excel eller CSV, och svar som fått tummen ner kan bli nya frågor."
    )
    # The class makes the page send this field's token with the tab's file uploads (assistant/ui/guards.py).
    token = gr.Textbox(
        label="Administratörsnyckel", type="password", elem_id="utv-nyckel", elem_classes=["admin-token"]
    )
    runs = _runs(settings)
    with gr.Tabs():
        with gr.Tab("Kör", id="utv-kor"):
            with gr.Row():
                choice = gr.Dropdown(
                    _set_choices(settings), value="shipped:sample", label="Frågesamling", elem_id="utv-samling"
                )
                baselines = gr.Checkbox(label="Jämför med baslinjerna (tar fyra gånger så lång tid)")
                judged = gr.Checkbox(
                    label="Låt språkmodellen bedöma svaren (rådgivande, påverkar inte godkänt)",
                    visible=bool(settings.llm_base_url),
                )
                start = gr.Button("Kör utvärdering", variant="primary", elem_id="utv-starta")
            with gr.Row():
                earlier = gr.Dropdown(runs, label="Tidigare körningar", value=None, elem_id="utv-tidigare")
                download = gr.File(label="Rapport (report.html)")
            status = gr.Markdown(elem_id="utv-status")
            frame = gr.HTML(elem_id="utv-rapport")
        with gr.Tab("Jämför", id="utv-jamfor"):
            gr.Markdown("Välj två körningar av samma samling: vad blev bättre och sämre, fråga för fråga.")
            with gr.Row():
                run_a = gr.Dropdown(runs, label="Körning A (före)", elem_id="utv-a")
                run_b = gr.Dropdown(runs, label="Körning B (efter)", elem_id="utv-b")
                compare_button = gr.Button("Jämför", elem_id="utv-jamfor-knapp")
            comparison = gr.HTML(elem_id="utv-jamforelse")
        with gr.Tab("Egna frågor", id="utv-egna"):
            gr.Markdown(
                "Ladda ner mallen, fyll i en fråga per rad och importera filen (Excel, CSV eller YAML). "
                "Frågorna ställs till de dokument som är inlästa här. Ett fel på en rad stoppar hela importen."
            )
            with gr.Row():
                gr.DownloadButton("Ladda ner mall (Excel)", value=str(xlsx), elem_id="utv-mall-xlsx")
                gr.DownloadButton("Ladda ner mall (CSV)", value=str(csv), elem_id="utv-mall-csv")
            with gr.Row():
                upload = gr.File(
                    label="Fil med frågor", file_types=[".xlsx", ".csv", ".yaml", ".yml"], elem_id="utv-fil"
                )
                with gr.Column():
                    set_name = gr.Textbox(label="Samlingens namn", elem_id="utv-namn")
                    do_import_button = gr.Button("Importera", variant="primary", elem_id="utv-importera")
            import_status = gr.Markdown(elem_id="utv-import-status")
            gr.Markdown("### Skriv och ändra frågor")
            with gr.Row():
                edit_set = gr.Dropdown(
                    home_sets(settings), label="Egen samling", allow_custom_value=True, elem_id="utv-egen"
                )
                edit_id = gr.Dropdown([NEW_QUESTION], value=NEW_QUESTION, label="Fråga", elem_id="utv-fraga-val")
            questions = gr.Dataframe(headers=QUESTION_COLUMNS, interactive=False, wrap=True, label="Frågor")
            fields = [
                gr.Textbox(label="fråga"),
                gr.Textbox(label="förväntade nyckelfakta", info="Flera skiljs med ; och alternativ med |."),
                gr.Textbox(label="förväntad källa", info="Filnamn; flera skiljs med ;."),
                gr.Radio(["nej", "ja"], value="nej", label="ska vägras"),
                gr.Dropdown(["", *SV_CATEGORY.values()], value="", label="kategori"),
                gr.Radio(["nej", "ja"], value="nej", label="kritisk"),
                gr.Textbox(label="referenssvar"),
                gr.Textbox(label="id", info="Tomt: bildas av frågan."),
            ]
            with gr.Row():
                save = gr.Button("Spara frågan", variant="primary", elem_id="utv-spara")
                remove = gr.Button("Ta bort frågan", variant="stop", elem_id="utv-ta-bort")
            edit_status = gr.Markdown(elem_id="utv-fraga-status")
        with gr.Tab("Återkoppling", id="utv-aterkoppling") as feedback_tab:
            draft_count = gr.Markdown(elem_id="utv-utkast-antal")
            include_up = gr.Checkbox(label="Visa även svar med tummen upp")
            draft_table = gr.Dataframe(headers=DRAFT_COLUMNS, interactive=False, wrap=True, label="Utkast")
            draft_choice = gr.Dropdown([], label="Utkast att granska", elem_id="utv-utkast")
            draft_text = gr.Markdown(elem_id="utv-utkast-text")
            with gr.Row():
                draft_facts = gr.Textbox(
                    label="Förväntade nyckelfakta", info="Flera skiljs med ;.", elem_id="utv-utkast-fakta"
                )
                draft_sources = gr.Textbox(
                    label="Förväntad källa", info="Filnamn; flera skiljs med ;.", elem_id="utv-utkast-kalla"
                )
                draft_refuse = gr.Checkbox(label="Ska vägras", elem_id="utv-utkast-vagras")
                draft_target = gr.Textbox(value=FEEDBACK_SET, label="Lägg i samlingen", elem_id="utv-utkast-samling")
            with gr.Row():
                accept_button = gr.Button("Godkänn som fråga", variant="primary", elem_id="utv-godkann")
                dismiss_button = gr.Button("Avfärda", elem_id="utv-avfarda")
            draft_status = gr.Markdown(elem_id="utv-utkast-status")

    start.click(run, [choice, baselines, judged, token], [status, earlier, run_a, run_b, frame, download])
    earlier.change(open_run, [earlier], [status, frame, download])
    compare_button.click(compare_runs, [run_a, run_b], [comparison])
    do_import_button.click(do_import, [upload, set_name, token], [import_status, choice, edit_set])
    edit_set.change(show_set, [edit_set], [questions, edit_id])
    edit_id.change(show_question, [edit_set, edit_id], fields)
    save.click(save_question, [edit_set, edit_id, token, *fields], [edit_status, questions, edit_id])
    remove.click(remove_question, [edit_set, edit_id, token], [edit_status, questions, edit_id])
    drafts_out = [draft_count, draft_table, draft_choice]
    feedback_tab.select(list_drafts, [include_up], drafts_out)
    include_up.change(list_drafts, [include_up], drafts_out)
    draft_choice.change(show_draft, [draft_choice], [draft_text, draft_facts, draft_sources])
    accept_button.click(
        accept,
        [draft_choice, draft_facts, draft_sources, draft_refuse, draft_target, include_up, token],
        [draft_status, *drafts_out, choice, edit_set],
    )
    dismiss_button.click(dismiss, [draft_choice, include_up, token], [draft_status, *drafts_out])

"""The Utvärdering tab of the Gradio app: run a shipped set (admin token) and open a run's report.
Registered as a `kommunstod.tabs` entry point; the web app calls build_tab() inside a gr.Tab."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

import gradio as gr

from assistant.access import AccessDenied, check_admin
from assistant.settings import Settings, load_settings
from evals.runs import SYSTEM, load_run, write_run
from evals.sets import load_set, shipped_sets

LABEL = "Utvärdering"
TAB_ID = "utvardering"


def _runs_dir(settings: Settings) -> Path:
    return settings.home / "evals" / "runs"


def _runs(settings: Settings) -> list[str]:
    folder = _runs_dir(settings)
    return sorted((p.name for p in folder.glob("*") if (p / "report.html").is_file()), reverse=True)


def _frame(report: Path) -> str:
    # The report is a whole page with its own CSS; an iframe keeps it apart from Gradio's styles.
    page = html.escape(report.read_text(encoding="utf-8"), quote=True)
    return f'<iframe srcdoc="{page}" style="width:100%;height:80vh;border:1px solid #d6dbe4"></iframe>'


def _status(out: Path) -> str:
    summary, _ = load_run(out)
    m, gate = summary["metrics"][SYSTEM], summary["gate"]
    lines = [
        f"**{summary['set']['name']}**: {m['passed']} av {m['items']} frågor godkända – "
        + ("godkänd." if gate["passed"] else "underkänd:")
    ]
    lines += [f"- {f}" for f in gate["failures"]]
    return "\n".join(lines)


def build_tab(settings: Settings | None = None) -> None:
    settings = settings or load_settings()
    sets = {p.stem: p for p in shipped_sets()}

    def run(name: str, baselines: bool, token: str, progress: gr.Progress = gr.Progress()):  # noqa: B008 - Gradio's idiom
        from evals.report import write_report
        from evals.runner import run_set

        try:
            check_admin(settings, (token or "").strip())
        except AccessDenied as exc:
            return f"⚠️ {exc}", gr.update(), "", None
        if name not in sets:
            return "Välj en frågesamling.", gr.update(), "", None
        eval_set = load_set(sets[name])
        out = _runs_dir(settings) / f"{eval_set.name}-{datetime.now():%Y%m%d-%H%M%S}"
        summary, records = run_set(
            eval_set,
            settings,
            {},
            baselines=baselines,
            progress=lambda label, done, total: progress(done / total, desc=f"{label}: {done}/{total}"),
        )
        write_run(out, summary, records)
        report = write_report(out, summary, records)
        return _status(out), gr.update(choices=_runs(settings), value=out.name), _frame(report), str(report)

    def open_run(name: str | None):
        if not name:
            return "", "", None
        out = _runs_dir(settings) / name
        return _status(out), _frame(out / "report.html"), str(out / "report.html")

    gr.Markdown(
        "Kör en frågesamling mot assistenten och se hur många frågor som besvaras rätt, med rätt källor. "
        "En körning tar några minuter. Rapporten förklarar varje mått och visar varje fråga."
    )
    with gr.Row():
        choice = gr.Dropdown(list(sets), value="sample" if "sample" in sets else None, label="Frågesamling")
        baselines = gr.Checkbox(label="Jämför med baslinjerna (tar fyra gånger så lång tid)")
        token = gr.Textbox(label="Administratörsnyckel", type="password")
        start = gr.Button("Kör utvärdering", variant="primary")
    with gr.Row():
        earlier = gr.Dropdown(_runs(settings), label="Tidigare körningar", value=None)
        download = gr.File(label="Rapport (report.html)")
    status = gr.Markdown()
    frame = gr.HTML()
    start.click(run, [choice, baselines, token], [status, earlier, frame, download])
    earlier.change(open_run, [earlier], [status, frame, download])

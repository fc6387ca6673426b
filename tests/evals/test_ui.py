"""The Utvärdering tab builds inside a Gradio Blocks, lists earlier runs and frames their reports."""

from __future__ import annotations

import shutil

import gradio as gr

from assistant.settings import Settings
from evals.report import write_report
from evals.runs import load_run
from evals.ui import _frame, _runs, _status, build_tab


def test_tab_builds_and_opens_an_earlier_run(tmp_path, good_run):
    settings = Settings(home=tmp_path / "home")
    run = settings.home / "evals" / "runs" / "sample-1"
    shutil.copytree(good_run, run)
    write_report(run, *load_run(run))
    with gr.Blocks() as demo, gr.Tab("Utvärdering"):
        build_tab(settings)
    labels = {getattr(c, "label", None) for c in demo.blocks.values()}
    assert {"Frågesamling", "Tidigare körningar", "Administratörsnyckel"} <= labels
    assert _runs(settings) == ["sample-1"]
    assert "2 av 2 frågor godkända" in _status(run)
    assert _frame(run / "report.html").startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')

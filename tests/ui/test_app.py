"""The Blocks app: its tabs, with and without the evals package's tab."""

from __future__ import annotations

import importlib.util

from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.ui import build_ui


def _tabs(settings: Settings) -> list[str]:
    blocks = build_ui(AssistantService(settings), FeedbackStore(settings.home / "feedback.sqlite"), settings)
    return [b["props"]["label"] for b in blocks.get_config_file()["components"] if b["type"] == "tabitem"]


def test_tabs_are_swedish_and_the_evals_tab_is_optional(tmp_path, monkeypatch):
    settings = Settings(home=tmp_path)
    with_evals = importlib.util.find_spec("evals.ui") is not None
    assert _tabs(settings) == ["Chatt", "Lärande exempel", "Dokument"] + (["Utvärdering"] if with_evals else [])
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "evals.ui" else real_find_spec(name, *a)
    )
    assert _tabs(settings) == ["Chatt", "Lärande exempel", "Dokument"]

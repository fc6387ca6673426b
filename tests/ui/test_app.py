"""The Blocks app: its tabs, with and without the registered (evals) tab."""

from __future__ import annotations

from assistant import plugins
from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.ui import build_ui


def _tabs(settings: Settings) -> list[str]:
    blocks = build_ui(AssistantService(settings), FeedbackStore(settings.home / "feedback.sqlite"), settings)
    return [b["props"]["label"] for b in blocks.get_config_file()["components"] if b["type"] == "tabitem"]


def test_tabs_are_swedish_and_the_evals_tab_comes_from_its_entry_point(tmp_path, monkeypatch):
    settings = Settings(home=tmp_path)
    assert _tabs(settings) == ["Chatt", "Lärande exempel", "Dokument", "Utvärdering"]
    monkeypatch.setattr(plugins, "entry_points", lambda group: [])
    assert _tabs(settings) == ["Chatt", "Lärande exempel", "Dokument"]

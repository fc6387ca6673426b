"""The Blocks app: its tabs, with and without the registered (evals) tab."""

from __future__ import annotations

from assistant import plugins
from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.ui import build_ui


def _tabs(settings: Settings) -> list[str]:
    """The labels of the app's own tabs (the first Tabs in the layout), not of tabs inside a tab."""
    config = build_ui(AssistantService(settings), FeedbackStore(settings.home / "feedback.sqlite"), settings)
    config = config.get_config_file()
    components = {c["id"]: c for c in config["components"]}
    nodes = [config["layout"]]
    while nodes:  # breadth first: the outermost Tabs comes first
        node = nodes.pop(0)
        if components.get(node["id"], {}).get("type") == "tabs":
            return [components[child["id"]]["props"]["label"] for child in node["children"]]
        nodes += node.get("children", [])
    return []


def test_tabs_are_swedish_and_the_evals_tab_comes_from_its_entry_point(tmp_path, monkeypatch):
    settings = Settings(home=tmp_path)
    assert _tabs(settings) == ["Chatt", "Lärande exempel", "Dokument", "Utvärdering"]
    monkeypatch.setattr(plugins, "entry_points", lambda group: [])
    assert _tabs(settings) == ["Chatt", "Lärande exempel", "Dokument"]

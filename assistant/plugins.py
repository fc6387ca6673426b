"""Extensions found through entry points, so that the app and the CLI never import them by name.

A package registers, in its pyproject.toml:
- `kommunstod.commands`: a module with `register(subparsers, common_parent)` (like assistant.commands);
- `kommunstod.tabs`: a module with `LABEL`, `TAB_ID` and `build_tab(settings)`, laid out inside a gr.Tab.
The evals package provides both (the eval commands and the Utvärdering tab).
"""

from __future__ import annotations

from importlib.metadata import entry_points
from types import ModuleType

COMMANDS = "kommunstod.commands"
TABS = "kommunstod.tabs"


def load(group: str) -> list[ModuleType]:
    """The registered modules of a group, in name order (a stable order of tabs and commands)."""
    return [ep.load() for ep in sorted(entry_points(group=group), key=lambda ep: ep.name)]

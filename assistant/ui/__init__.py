"""The Gradio front end, in Swedish. `mount_ui` imports no Gradio: the UI is built on first use."""

from typing import Any

from assistant.ui.mount import mount_ui

__all__ = ["build_ui", "mount_ui"]


def __getattr__(name: str) -> Any:
    if name == "build_ui":  # imports Gradio: only when asked for
        from assistant.ui.app import build_ui

        return build_ui
    raise AttributeError(name)

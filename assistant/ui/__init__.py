"""The Gradio front end, in Swedish."""

from assistant.ui.app import build_ui, mount_ui

__all__ = ["build_ui", "mount_ui"]

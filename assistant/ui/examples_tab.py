"""The Lärande exempel tab: search only passages marked as learning examples, by theme and municipality."""

from __future__ import annotations

import gradio as gr

from assistant.domain import Filters, QuestionError
from assistant.service import AssistantService
from assistant.ui.errors import swedish_errors
from assistant.ui.render import example_results

DEFAULT_THEME = "lärande exempel"


class ExamplesTab:
    def __init__(self, service: AssistantService) -> None:
        self.service = service

    @swedish_errors
    def search(self, theme: str, municipality: str | None) -> tuple[str, str]:
        """(results HTML, notice). Without a theme, the municipality alone narrows the examples."""
        filters = Filters(examples_only=True, municipality=[municipality] if municipality else [])
        query = (theme or "").strip() or municipality or DEFAULT_THEME
        try:
            hits = self.service.search(query, k=8, filters=filters)
        except QuestionError as exc:
            return gr.skip(), f"⚠️ {exc}"
        return example_results([h.to_json() for h in hits]), ""

    def build(self, municipality: gr.Dropdown) -> None:
        gr.Markdown(
            "Sök bland lärande exempel från kommuner, till exempel på ett tema som *klimat*, *upphandling* "
            "eller *uppföljning*. Varje träff visar exemplet, källan och sidan."
        )
        with gr.Row(equal_height=True):
            theme = gr.Textbox(label="Tema", placeholder="t.ex. klimatanpassning", scale=3, elem_id="tema")
            municipality.render()
            go = gr.Button("Sök exempel", variant="primary", scale=1, min_width=120)
        notice = gr.Markdown()
        results = gr.HTML(elem_id="exempel-resultat", padding=False)
        go.click(self.search, [theme, municipality], [results, notice], api_name="larande_exempel")
        theme.submit(self.search, [theme, municipality], [results, notice], api_visibility="private")

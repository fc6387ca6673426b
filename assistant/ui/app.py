"""The Gradio app (Swedish): tabs Chat, Lärande exempel, Dokument and the tabs other packages
register (the evals package's Utvärdering, see assistant.plugins). Served at "/" in the FastAPI
app (built on first use, see assistant.ui.mount), and offline: system fonts, no analytics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assistant import plugins
from assistant.access import matches
from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.ui.chat import ChatTab
from assistant.ui.documents_tab import DocumentsTab
from assistant.ui.errors import swedish_errors
from assistant.ui.examples_tab import ExamplesTab
from assistant.ui.facets import facet_values
from assistant.ui.guards import UPLOAD_TOKEN_SCRIPT
from assistant.ui.render import DOCUMENT_COLUMNS, document_rows
from assistant.uploads import max_upload_bytes

CSS = Path(__file__).with_name("style.css")
INTRO = (
    "**Kommunstöd** svarar på frågor om kommunernas arbete med miljömålen och Agenda 2030: RUS vägledning, "
    "Värmlands miljööverenskommelser, miljömålssystemet och lärande exempel från kommuner. "
    "Svaren bygger bara på de inlästa dokumenten och varje påstående har en numrerad källa som visas bredvid svaret."
)
# System fonts only: nothing is fetched, from Google Fonts or elsewhere.
THEME = gr.themes.Default(
    font=["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
)
# Gradio's page says lang="en"; screen readers should read Swedish.
HEAD = "<script>document.documentElement.lang = 'sv';</script>"


def _plugin_tabs(settings: Settings) -> None:
    """Each registered tab lays itself out inside its Tab context; without any the app has none."""
    for tab in plugins.load(plugins.TABS):
        with gr.Tab(tab.LABEL, id=tab.TAB_ID):
            tab.build_tab(settings)


def build_ui(service: AssistantService, feedback: FeedbackStore, settings: Settings) -> gr.Blocks:
    chat, examples, documents = ChatTab(service, feedback), ExamplesTab(service), DocumentsTab(service, settings)
    # Files staged by Gradio (uploads to the Dokument tab) are deleted after an hour, and at restart.
    with gr.Blocks(title="Kommunstöd", analytics_enabled=False, fill_width=True, delete_cache=(600, 3600)) as blocks:
        gr.Markdown(INTRO, elem_id="intro")
        # Built unrendered here, placed in the tabs below, and refreshed together from the store. The
        # choices come from the store on page load, so values outside them (a document removed since,
        # an API client that never loaded the page) are let through: they simply match nothing.
        listing = {"choices": [], "allow_custom_value": True, "render": False}
        doc_type = gr.Dropdown(label="Dokumenttyp", multiselect=True, **listing)
        region = gr.Dropdown(label="Region", multiselect=True, **listing)
        municipality = gr.Dropdown(label="Kommun", multiselect=True, **listing)
        examples_only = gr.Checkbox(label="Bara lärande exempel", render=False)
        example_municipality = gr.Dropdown(label="Kommun", scale=2, **listing)
        table = gr.Dataframe(
            headers=DOCUMENT_COLUMNS,
            column_widths=["34%", "20%", "11%", "7%", "9%", "19%"],
            interactive=False,
            wrap=True,
            label="Inlästa dokument",
            render=False,
        )
        delete_choice = gr.Dropdown(label="Dokument", elem_id="ta-bort-val", **listing)

        with gr.Tabs():
            with gr.Tab("Chatt", id="chatt"):
                chat.build([doc_type, region, municipality, examples_only])
            with gr.Tab("Lärande exempel", id="exempel"):
                examples.build(example_municipality)
            with gr.Tab("Dokument", id="dokument"):
                changes = documents.build(table, delete_choice)
            _plugin_tabs(settings)

        @swedish_errors
        def refresh() -> tuple[Any, ...]:
            docs = service.documents()
            facets = facet_values(docs)
            sources = [d["source"] for d in docs]
            return (
                gr.Dropdown(choices=facets["doc_type"]),
                gr.Dropdown(choices=facets["region"]),
                gr.Dropdown(choices=facets["municipality"]),
                gr.Dropdown(choices=facets["municipality"], value=None),
                document_rows(docs),
                gr.Dropdown(choices=sources, value=None),
            )

        listed = [doc_type, region, municipality, example_municipality, table, delete_choice]
        blocks.load(refresh, outputs=listed, api_visibility="private")
        for change in changes:
            change.then(refresh, outputs=listed, api_visibility="private")
    return blocks.queue(default_concurrency_limit=4)


def _read_login(settings: Settings) -> Any:
    """With a read token set, the UI asks for it (any user name). Only the read token: the admin
    token is typed where it is needed, never kept in a login cookie."""
    if not settings.read_token:
        return None

    def login(_user: str, password: str) -> bool:
        return matches(password, settings.read_token)

    return login


def gradio_app(app: FastAPI, blocks: gr.Blocks, settings: Settings) -> Any:
    """The Gradio ASGI app of `blocks`, configured as `gr.mount_gradio_app` configures it with `app` as
    its parent (Gradio reads the parent's CORS setup), but not mounted: `LazyUI` (assistant.ui.mount)
    serves it at "/" and runs its start-up, since `app` is already running when it is built."""
    lifespan = app.router.lifespan_context
    gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        theme=THEME,
        css_paths=[CSS],
        head=HEAD + UPLOAD_TOKEN_SCRIPT,
        footer_links=["api"],
        run_history=False,  # answers may be personal; nothing is kept in the browser
        max_file_size=max_upload_bytes(settings),
        auth=_read_login(settings),
        auth_message="Ange läsnyckeln som lösenord (valfritt användarnamn).",
        show_error=True,
    )
    app.router.lifespan_context = lifespan  # Gradio's start-up is run by LazyUI instead
    return app.router.routes.pop().app  # the Mount that mount_gradio_app appended

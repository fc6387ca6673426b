"""The Dokument tab: what is stored, upload (admin token), remove, with errors in plain Swedish.

Uploads pass the same checks as POST /api/documents (token, name, type, size).
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from assistant.access import AccessDenied, check_admin
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.ui.errors import swedish_errors
from assistant.ui.guards import ADMIN_TOKEN_CLASS
from assistant.ui.render import ingest_summary
from assistant.uploads import (
    UploadRejected,
    check_filename,
    ingest_files,
    max_upload_bytes,
    supported_types,
    too_large,
)
from ingest.loaders import SUPPORTED_SUFFIXES

HOW_TO_ADD = """
**Så lägger du till de officiella dokumenten.** Exempelkorpuset innehåller bara korta faktablad. Ladda ner
PDF-filerna (vägledningen, guiden, miljööverenskommelserna) på en dator med internet; adresserna står i
`corpus/sources.yaml` och i faktabladet *Så lägger du till de officiella dokumenten i Kommunstöd*.
Ladda sedan upp dem här med administratörsnyckeln, eller kör `kommunstod ingest MAPP` på servern.
Assistenten kan därefter svara ur originaltexten, med sidhänvisningar.
"""

DISABLED = (
    "⚠️ Uppladdning och borttagning är avstängda på den här servern: ingen administratörsnyckel "
    "(KOMMUNSTOD_ADMIN_TOKEN) är inställd."
)


class DocumentsTab:
    def __init__(self, service: AssistantService, settings: Settings) -> None:
        self.service = service
        self.settings = settings

    @swedish_errors
    def upload(self, paths: list[str] | None, token: str) -> str:
        """Markdown: what was read in, or why not."""
        try:
            check_admin(self.settings, (token or "").strip())
            if not paths:
                return "Välj minst en fil att ladda upp."
            files = []
            for path in map(Path, paths):
                # Gradio keeps the original file name as the temporary file's name.
                name = check_filename(path.name)
                if path.stat().st_size > max_upload_bytes(self.settings):
                    raise too_large(name, self.settings)
                files.append((name, path.read_bytes()))
            report = ingest_files(self.service, files)
        except (AccessDenied, UploadRejected) as exc:
            return f"⚠️ {exc}"
        return ingest_summary(report)

    @swedish_errors
    def delete(self, source: str | None, token: str) -> str:
        try:
            check_admin(self.settings, (token or "").strip())
        except AccessDenied as exc:
            return f"⚠️ {exc}"
        if not source:
            return "Välj ett dokument att ta bort."
        removed = self.service.delete(source)
        return f"Tog bort {source} ({removed} avsnitt)." if removed else f"{source} finns inte längre i lagret."

    def build(self, table: gr.Dataframe, delete_choice: gr.Dropdown) -> list[gr.events.Dependency]:
        """Lays the tab out; returns the upload and delete events so that the caller can refresh
        every list that shows the store once they are done."""
        table.render()
        if not self.settings.admin_token:
            gr.Markdown(DISABLED)
        token = gr.Textbox(
            label="Administratörsnyckel",
            type="password",
            elem_id="admin-nyckel",
            elem_classes=[ADMIN_TOKEN_CLASS],
            info="Krävs för att ändra lagret.",
        )
        with gr.Row(equal_height=False):
            with gr.Column(min_width=280):
                gr.Markdown("### Ladda upp")
                files = gr.File(
                    label=f"Filer ({supported_types()})",
                    file_count="multiple",
                    file_types=sorted(SUPPORTED_SUFFIXES),
                    elem_id="filer",
                )
                upload = gr.Button("Läs in", variant="primary", elem_id="las-in")
            with gr.Column(min_width=280):
                gr.Markdown("### Ta bort")
                delete_choice.render()
                delete = gr.Button("Ta bort dokumentet", variant="stop")
        status = gr.Markdown(elem_id="dokument-status")
        gr.Markdown(HOW_TO_ADD)
        upload_event = upload.click(self.upload, [files, token], [status], api_name="ladda_upp")
        delete_event = delete.click(self.delete, [delete_choice, token], [status], api_name="ta_bort")
        return [upload_event, delete_event]

"""GET/POST /api/documents and DELETE /api/documents/{source}: what is stored, add, remove."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from assistant.api.auth import require_admin, require_read
from assistant.api.deps import get_service, get_settings
from assistant.api.errors import COMMON_ERRORS, ApiError, error_responses
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.uploads import check_filename, failure_message, ingest_files, max_upload_bytes

router = APIRouter(
    prefix="/api/documents", tags=["dokument"], responses=error_responses(*COMMON_ERRORS, 404, 409, 411, 415)
)

MAX_FILES = 20
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the files themselves
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }
            }
        },
    }
}


async def _read_files(request: Request, settings: Settings) -> list[tuple[str, bytes]]:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise ApiError(411, "Uppladdningen saknar Content-Length.")
    if int(length) > max_upload_bytes(settings) + _MULTIPART_OVERHEAD:
        raise ApiError(413, f"Uppladdningen är större än gränsen på {settings.max_upload_mb} MB.")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "Skicka filerna som multipart/form-data i fältet 'files'.")
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    try:
        files: list[tuple[str, bytes]] = []
        for key, value in form.multi_items():
            if key != "files":
                raise ApiError(422, f"Okänt fält '{key}': filerna skickas i fältet 'files'.")
            if not isinstance(value, UploadFile):
                raise ApiError(422, "Fältet 'files' ska innehålla filer, inte text.")
            files.append((check_filename(value.filename or ""), await value.read()))
    finally:
        await form.close()
    if not files:
        raise ApiError(422, "Ingen fil skickades: lägg filerna i fältet 'files'.")
    return files


@router.get("", summary="Lista inlästa dokument", dependencies=[Depends(require_read)])
def list_documents(service: AssistantService = Depends(get_service)) -> list[dict[str, Any]]:
    return service.documents()


@router.post(
    "",
    summary="Ladda upp och läs in dokument",
    status_code=201,
    dependencies=[Depends(require_admin)],
    openapi_extra=_UPLOAD_BODY,
    responses={413: {"description": "för stor"}, 415: {"description": "filtypen stöds inte"}},
)
async def upload_documents(
    request: Request,
    settings: Settings = Depends(get_settings),
    service: AssistantService = Depends(get_service),
) -> JSONResponse:
    # The body is read here, after the token check, so an unauthorised upload is never parsed.
    files = await _read_files(request, settings)
    body = await run_in_threadpool(ingest_files, service, files)
    if body["failed"]:
        return JSONResponse(body | {"detail": failure_message(body["failed"], len(files))}, status_code=422)
    return JSONResponse(body, status_code=201)


@router.post("/reingest", summary="Läs in dokumentmapparna igen", dependencies=[Depends(require_admin)])
def reingest(service: AssistantService = Depends(get_service)) -> dict[str, Any]:
    """Every folder that stored documents came from, read again: changed files are re-chunked
    (e.g. after new chunking settings), unchanged ones are skipped. URLs are not fetched again."""
    report, folders = service.reingest()
    return report.as_json() | {"folders": folders}


@router.delete("/{source:path}", summary="Ta bort ett dokument", dependencies=[Depends(require_admin)])
def delete_document(source: str, service: AssistantService = Depends(get_service)) -> dict[str, Any]:
    if "\x00" in source or len(source) > 2000:
        raise ApiError(400, "Ogiltig källa.")
    removed = service.delete(source)
    if not removed:
        raise ApiError(404, f"Dokumentet {source!r} finns inte i lagret.")
    return {"source": source, "deleted_chunks": removed}

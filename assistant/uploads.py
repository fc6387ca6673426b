"""Uploaded files, for the API and the UI alike: a bare, safe name, a type the ingest pipeline
reads and a size within KOMMUNSTOD_MAX_UPLOAD_MB (else UploadRejected), then ingest."""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePath
from typing import Any, Literal

from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import IngestReport

# File systems allow 255 bytes in a name; the service keeps a ".previous-" copy beside it.
MAX_NAME_BYTES = 240
# Control, format (bidi overrides such as U+202E, zero-width), private-use, surrogate and unassigned
# characters: invisible or misleading in a list of documents.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


class UploadRejected(ValueError):
    """A file that is not taken in, and why (`kind`); the message is Swedish, for the user."""

    def __init__(self, kind: Literal["name", "type", "size", "conflict"], message: str) -> None:
        super().__init__(message)
        self.kind = kind


def supported_types() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def check_filename(name: str) -> str:
    """The name as it will be stored (uploads/<name>), or UploadRejected."""
    if not name or not name.strip():
        raise UploadRejected("name", "Filen saknar namn.")
    # A name is stored as is under uploads/: anything that could leave that folder, hide the file
    # or confuse a file system is refused rather than rewritten.
    if (
        any(sep in name for sep in ("/", "\\", "\x00"))
        or ".." in name
        or name.startswith(".")
        or name != name.strip()
        or any(unicodedata.category(ch) in _HIDDEN_CATEGORIES for ch in name)
        or len(name.encode("utf-8")) > MAX_NAME_BYTES
    ):
        shown = name[:80].encode("utf-8", "replace").decode("utf-8", "replace")
        raise UploadRejected(
            "name",
            f"Ogiltigt filnamn {shown!r}: ett filnamn får inte innehålla / \\ eller .., inte börja med punkt, "
            f"inte innehålla styrtecken (till exempel tecken som vänder textriktningen) och vara högst "
            f"{MAX_NAME_BYTES} byte långt (å, ä och ö räknas som två).",
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"Filtypen {suffix}" if suffix else "En fil utan filändelse"
        raise UploadRejected("type", f"{kind} stöds inte ({name}). Tillåtna filtyper: {supported_types()}.")
    return name


def max_upload_bytes(settings: Settings) -> int:
    return settings.max_upload_mb * 1024 * 1024


def too_large(name: str, settings: Settings) -> UploadRejected:
    return UploadRejected("size", f"Filen {name} är större än gränsen på {settings.max_upload_mb} MB.")


def check_not_replacing(service: AssistantService, names: list[str]) -> None:
    """UploadRejected ("conflict") for a name that a document from elsewhere (a corpus folder, a URL)
    already has: an upload replaces only an earlier upload of the same name."""
    uploads = (service.settings.home / "uploads").resolve()
    stored = service.store.documents()
    for name in names:
        doc = stored.get(name)
        if doc and Path(doc.metadata.get("ingest_root") or "/").resolve() != uploads:
            raise UploadRejected(
                "conflict",
                f"Det finns redan ett dokument med namnet {name} som inte har laddats upp här. "
                "Byt namn på filen eller ta bort det befintliga dokumentet först.",
            )


def ingest_files(service: AssistantService, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Store and ingest checked files; one summary whose totals (documents, chunks) are the store's
    after the last file, plus `stored`: the names that were ingested."""
    check_not_replacing(service, [name for name, _ in files])
    merged = IngestReport()
    for name, data in files:
        report = service.ingest_upload(name, data)
        for field in ("added", "updated", "unchanged", "deleted"):
            setattr(merged, field, getattr(merged, field) + getattr(report, field))
        merged.failed += report.failed
        merged.skipped += report.skipped
        merged.documents, merged.chunks = report.documents, report.chunks
    failed = {f["source"] for f in merged.failed}
    return merged.as_json() | {"stored": [name for name, _ in files if name not in failed]}


def failure_message(failed: list[dict[str, str]], total: int) -> str:
    reasons = "; ".join(f"{f['source']}: {f['error']}" for f in failed)
    return f"{len(failed)} av {total} filer kunde inte läsas in ({reasons})."

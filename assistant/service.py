"""AssistantService: the one Python entry point that the CLI, the HTTP API, the UI and the evals call."""

from __future__ import annotations

import itertools
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.answer.chain import AnswerChain
from assistant.components import build_chain, build_chunker, build_limits, build_llm, build_store
from assistant.domain import Answer, Filters, Hit, QuestionError
from assistant.settings import Settings
from ingest.pipeline import IngestReport, ingest
from ingest.store import ChunkStore

VERSION = "0.1.0"


class AnswerTimeout(Exception):
    """A question took longer than KOMMUNSTOD_REQUEST_TIMEOUT; the message is for the user."""


TIMEOUT_MESSAGE = (
    "Frågan tog för lång tid att besvara ({seconds:g} s). Försök igen om en stund, gärna med en kortare fråga."
)


def run_limited(fn: Callable[[], Any], seconds: float) -> Any:
    """fn() in a daemon thread, waited for at most `seconds`. A request that runs over is answered
    with AnswerTimeout while its thread finishes on its own; being a daemon it never keeps the
    process from stopping (SIGTERM)."""
    result: Future = Future()

    def work() -> None:
        if result.set_running_or_notify_cancel():
            try:
                result.set_result(fn())
            except BaseException as exc:  # handed to the waiting request
                result.set_exception(exc)

    threading.Thread(target=work, daemon=True, name="kommunstod-request").start()
    try:
        return result.result(timeout=seconds)
    except TimeoutError:
        raise AnswerTimeout(TIMEOUT_MESSAGE.format(seconds=seconds)) from None


class AssistantService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: ChunkStore | None = None
        self._chain: AnswerChain | None = None
        self._lock = threading.RLock()

    @property
    def store(self) -> ChunkStore:
        with self._lock:
            if self._store is None:
                self._store = build_store(self.settings)
            return self._store

    @property
    def chain(self) -> AnswerChain:
        with self._lock:
            if self._chain is None:
                self._chain = build_chain(self.settings, self.store)
            return self._chain

    # -- asking --------------------------------------------------------------------------------

    # Each call runs under KOMMUNSTOD_REQUEST_TIMEOUT (AnswerTimeout when over): no question can
    # keep its caller, or anyone waiting behind it, for longer.

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """Hybrid search; raises QuestionError for a query that cannot be searched."""
        return self._limited(lambda: self.chain.search(query, k=k, filters=filters or Filters()))

    def ask(self, question: str, history: list[dict[str, str]] | None = None, filters: Filters | None = None) -> Answer:
        return self._limited(lambda: self.chain.ask(question, history=history or [], filters=filters or Filters()))

    def stream(
        self, question: str, history: list[dict[str, str]] | None = None, filters: Filters | None = None
    ) -> Iterator[dict[str, Any]]:
        """Events: {"type": "token", "text"}…, then {"type": "citations", "citations"}, then
        {"type": "done", "answer": <the ask JSON>}. The first event (retrieval and a bad question's
        QuestionError) is taken under the time limit, before the caller starts its response."""
        events = iter(self.chain.stream(question, history=history or [], filters=filters or Filters()))
        first = self._limited(lambda: next(events, None))
        return itertools.chain([first] if first is not None else [], events)

    def _limited(self, fn: Callable[[], Any]) -> Any:
        return run_limited(fn, self.settings.request_timeout)

    # -- documents -----------------------------------------------------------------------------

    def documents(self) -> list[dict[str, Any]]:
        docs = sorted(self.store.documents().values(), key=lambda d: d.source)
        # ingest_root is a server path: it stays on the server.
        return [
            {k: v for k, v in d.metadata.items() if k != "ingest_root"}
            | {"source": d.source, "chunks": d.chunks, "complete": d.complete}
            for d in docs
        ]

    def ingest_paths(self, paths: list[str], prune: bool = False) -> IngestReport:
        from assistant.answer.units import warm_units

        return ingest(
            paths,
            self.store,
            build_chunker(self.settings),
            self.settings.chunking_id,
            prune=prune,
            progress=False,
            limits=build_limits(self.settings),
            after_store=partial(warm_units, self.store.embeddings),
        )

    def reingest(self) -> tuple[IngestReport, int]:
        """Read every folder that stored documents came from again (changed files are re-chunked,
        unchanged ones skipped); URLs are not fetched again."""
        roots = sorted(
            {d.metadata["ingest_root"] for d in self.store.documents().values() if d.metadata.get("ingest_root")}
        )
        return self.ingest_paths(roots), len(roots)

    def ingest_upload(self, filename: str, data: bytes) -> IngestReport:
        """Store an uploaded file under the data home's uploads/ and ingest it; `filename` must be a
        bare name (the API checks it). A file the pipeline cannot read is not kept, and a previous
        upload of the same name is put back, so a failed upload changes nothing (also when the
        ingest itself raises, e.g. the store is unreachable)."""
        uploads = self.settings.home / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        target = uploads / filename
        previous = uploads / f".previous-{filename}"
        # Write beside the target and rename, so a failed write never leaves half a file.
        with tempfile.NamedTemporaryFile(dir=uploads, delete=False, prefix=".upload-") as tmp:
            tmp.write(data)
        if target.exists():
            target.replace(previous)
        Path(tmp.name).replace(target)
        try:
            report = self.ingest_paths([str(target)])
            failed = any(f["source"] == filename for f in report.failed)
        except BaseException:
            failed = True
            raise
        finally:
            if failed:
                target.unlink(missing_ok=True)
                if previous.exists():
                    previous.replace(target)
            else:
                previous.unlink(missing_ok=True)
        return report

    def delete(self, source: str) -> int:
        removed = self.store.delete_document(source)
        upload = (self.settings.home / "uploads" / source).resolve()
        if removed and upload.parent == (self.settings.home / "uploads").resolve() and upload.is_file():
            upload.unlink()
        return removed

    def chat_model(self, max_tokens: int) -> BaseChatModel:
        """A client of the configured LLM endpoint, for consumers such as the eval judge."""
        return build_llm(self.settings, max_tokens)

    def health(self) -> dict[str, Any]:
        try:
            docs = self.store.documents()
            store = {"reachable": True, "documents": len(docs), "chunks": sum(d.chunks for d in docs.values())}
        except Exception as exc:  # health must report, not raise
            store = {"reachable": False, "error": str(exc)}
        return {
            "status": "ok" if store["reachable"] else "degraded",
            "version": VERSION,
            "store": store,
            "chroma": self.settings.chroma or "embedded",
            "embedder": f"{self.settings.embedder}:{self.settings.embedder_model}",
            "llm": self.settings.llm_model or None,
        }


__all__ = ["AnswerTimeout", "AssistantService", "QuestionError", "Filters"]

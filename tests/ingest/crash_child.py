"""Child process of the crash-safety test: open the store (model loaded), say "ready", ingest.

Run as `python -m tests.ingest.crash_child HOME FOLDER`; the test kills it with SIGKILL at a
random moment after "ready", i.e. somewhere inside the ingest run.
"""

from __future__ import annotations

import sys

from assistant.components import build_chunker, build_store
from assistant.settings import Settings
from ingest.pipeline import ingest


def main(home: str, folder: str) -> None:
    settings = Settings(home=home)
    store = build_store(settings)
    store.embeddings.embed_documents(["uppvärmning"])  # the model is loaded before "ready"
    print("ready", flush=True)
    ingest([folder], store, build_chunker(settings), settings.chunking_id, progress=False)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])

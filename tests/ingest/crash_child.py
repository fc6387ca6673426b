"""Ingest processes for the crash-safety test, forked from one warm template process.

Run as `python -m tests.ingest.crash_child`. The template imports everything once (no threads,
no open store), then for each line "HOME<TAB>FOLDER" on stdin forks a child that opens the store,
prints "ready PID", ingests the folder and prints "done". The template prints "exit STATUS" when
the child is gone. The test kills the child with SIGKILL at a random moment after "ready", so each
kill costs a fork instead of a whole interpreter start.
"""

from __future__ import annotations

import os
import sys

from assistant.components import build_chunker, build_store
from assistant.settings import Settings
from ingest.limits import IngestLimits
from ingest.loaders.isolate import run_isolated
from ingest.pipeline import ingest


def _run(home: str, folder: str) -> None:
    settings = Settings(home=home)
    store = build_store(settings)
    store.embeddings.embed_documents(["uppvärmning"])  # the model is loaded before "ready",
    run_isolated(len, (b"x",), IngestLimits())  # and the parse workers' forkserver started
    print(f"ready {os.getpid()}", flush=True)
    ingest([folder], store, build_chunker(settings), settings.chunking_id, progress=False)
    print("done", flush=True)


def main() -> None:
    for line in sys.stdin:
        home, folder = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _run(home, folder)
            except BaseException:
                code = 1
            os._exit(code)  # no interpreter teardown in a forked child
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    main()

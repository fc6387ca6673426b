"""Ingest: throughput against the embedder alone, the cost of the unit warm-up, unchanged re-ingest at 100×.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_ingest [--docs 24] [--factor 100] [--reingest-only]

1. A cold ingest (empty embedding cache) of an evenly spread subset of the shared corpus, as
   `kommunstod ingest` runs it now (chunks, then their answer units, embedded), against the same run
   without the unit warm-up (the baseline for "ingest no more than 2× slower"), and against the
   embedder alone on exactly the texts ingest embedded (overhead = everything but the model).
2. Re-ingest of the unchanged 100× corpus (bench/scale_corpus.py) into its built store: time and
   the number of texts sent to the model (must be 0). Opening the store is not timed (a store from
   before the document registry adopts it then, once). `--reingest-only` measures only this.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench.common import CORPUS, Row, settings_for, timed, write_rows

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_ingest"


def cold_ingest(files: list[Path], with_warm: bool) -> tuple[float, int, list[str]]:
    """Seconds, chunks stored, and every text the model embedded (in the order it embedded them)."""
    from assistant.answer.units import warm_units
    from assistant.components import build_chunker, build_store
    from ingest.pipeline import ingest

    home = Path(tempfile.mkdtemp(prefix="kommunstod-bench-ingest-"))
    try:
        settings = settings_for(home)
        store = build_store(settings)
        embedded: list[str] = []
        inner = store.embeddings.inner
        real = inner.embed_documents

        def recording(texts: list[str]) -> list[list[float]]:
            embedded.extend(texts)
            return real(texts)

        inner.embed_documents = recording
        hook = (lambda chunks: warm_units(store.embeddings, chunks)) if with_warm else None
        seconds = timed(
            lambda: ingest(
                [str(f) for f in files],
                store,
                build_chunker(settings),
                settings.chunking_id,
                progress=False,
                after_store=hook,
            )
        )
        del inner.embed_documents
        return seconds, store.count(), embedded
    finally:
        shutil.rmtree(home, ignore_errors=True)


def embedder_alone(texts: list[str], batch: int) -> float:
    from assistant.components import build_embeddings

    home = Path(tempfile.mkdtemp(prefix="kommunstod-bench-emb-"))
    try:
        model = build_embeddings(settings_for(home)).inner  # the same model instance ingest used
        return timed(lambda: [model.embed_documents(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def unchanged_reingest(factor: int) -> tuple[float, int, int]:
    from assistant.components import build_chunker, build_store
    from bench.scale_corpus import scaled_home, write_corpus
    from ingest.pipeline import ingest

    home = scaled_home(factor)
    settings = settings_for(home)
    store = build_store(settings)
    report = None

    def run() -> None:
        nonlocal report
        report = ingest(
            [str(write_corpus(factor))], store, build_chunker(settings), settings.chunking_id, progress=False
        )

    seconds = timed(run)
    return seconds, store.embeddings.computed, report.unchanged


def reingest_row(factor: int, seconds: float, computed: int, unchanged: int) -> Row:
    return Row(
        f"unchanged re-ingest at {factor}x (s; embedded)",
        "< 10 s, 0",
        f"{seconds:.1f}; {computed}",
        f"{unchanged} docs",
        None,
        seconds < 10 and computed == 0,
        CMD,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=24)
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--reingest-only", action="store_true", help="only the unchanged re-ingest")
    args = parser.parse_args()
    if args.reingest_only:
        t_re, computed, unchanged = unchanged_reingest(args.factor)
        write_rows("ingest_reingest", [reingest_row(args.factor, t_re, computed, unchanged)], {"reingest_s": t_re})
        return
    every = sorted(CORPUS.rglob("*.md"))
    files = every[:: max(1, len(every) // args.docs)][: args.docs]

    t_plain, _, _ = cold_ingest(files, with_warm=False)
    t_now, chunks, texts = cold_ingest(files, with_warm=True)
    t_model = embedder_alone(texts, settings_for(Path("/nonexistent")).embed_batch_size)
    t_re, computed, unchanged = unchanged_reingest(args.factor)

    overhead = t_now / t_model - 1
    rows = [
        Row(
            f"ingest with unit warm-up ({len(files)} docs cold, s)",
            "<= 2x",
            f"{t_now:.1f}",
            f"{t_plain:.1f}",
            t_now / t_plain,
            t_now / t_plain <= 2.0,
            CMD,
        ),
        Row(
            "ingest overhead beyond the embedder",
            "<= 15 %",
            f"{overhead * 100:.1f} % ({chunks / t_now:.1f} chunks/s)",
            f"{t_model:.1f} s embedder",
            t_now / t_model,
            overhead <= 0.15,
            CMD,
        ),
        reingest_row(args.factor, t_re, computed, unchanged),
    ]
    write_rows(
        "ingest",
        rows,
        {
            "files": len(files),
            "chunks": chunks,
            "texts_embedded": len(texts),
            "plain_s": t_plain,
            "now_s": t_now,
            "model_s": t_model,
        },
    )


if __name__ == "__main__":
    main()

"""Ingest and query speed on ../shared/corpus, against baselines measured in the same run.

    .venv/bin/python bench/bench_retrieval.py [--corpus ../shared/corpus] [--queries 30]

Prints: ingest time cold (embedding every chunk) vs warm (embedding cache hit, new store) vs
incremental (nothing changed); query latency p50/p95 of the full chain vs dense-only search
(the tutorial recipe's query path); peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from assistant.domain import Filters
from assistant.service import AssistantService
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kommunstod-bench-"))

    cold = AssistantService(Settings(home=work / "a"))
    t_cold = timed(lambda: cold.ingest_paths([args.corpus]))
    chunks = cold.store.count()
    t_incr = timed(lambda: cold.ingest_paths([args.corpus]))
    # Same texts into a fresh store: vectors come from a copy of the embedding cache (the SQLite
    # backup API, since the cache runs in WAL mode and its newest rows may be in the -wal file).
    (work / "b" / "cache").mkdir(parents=True)
    with (
        sqlite3.connect(work / "a" / "cache" / "embeddings.sqlite") as src,
        sqlite3.connect(work / "b" / "cache" / "embeddings.sqlite") as dst,
    ):
        src.backup(dst)
    warm = AssistantService(Settings(home=work / "b"))
    t_warm = timed(lambda: warm.ingest_paths([args.corpus]))

    items = yaml.safe_load((ROOT / "evals" / "sets" / "shared_corpus.yaml").read_text(encoding="utf-8"))["items"]
    questions = [i["question"] for i in items if not i.get("history")][: args.queries]
    cold.ask(questions[0])  # load the lexical index once, as a running server has it
    chain = [timed(lambda q=q: cold.ask(q)) * 1000 for q in questions]
    dense = [timed(lambda q=q: cold.store.dense_search(q, 5)) * 1000 for q in questions]
    filtered = [timed(lambda q=q: cold.search(q, 5, Filters(region=["nationell"]))) * 1000 for q in questions]

    print(f"corpus: {args.corpus} ({chunks} chunks)")
    print(f"ingest cold        {t_cold:7.1f} s  ({chunks / t_cold:.1f} chunks/s)")
    print(f"ingest warm cache  {t_warm:7.1f} s  ratio cold/warm {t_cold / t_warm:.1f}x")
    print(f"ingest unchanged   {t_incr:7.2f} s  ratio cold/unchanged {t_cold / t_incr:.0f}x")
    for name, values in (("ask (full chain)", chain), ("dense search only", dense), ("hybrid + filter", filtered)):
        p50, p95 = percentiles(values)
        print(f"{name:18s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    print(f"ask / dense-only p50 ratio {percentiles(chain)[0] / percentiles(dense)[0]:.1f}x")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

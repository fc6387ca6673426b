"""Chroma HNSW search settings at scale: dense query latency and recall against exact search.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_hnsw [--factor 100] [--questions 20]

On a scaled store (bench/scale_corpus.py), for several `ef_search` values (set with
collection.modify, the one HNSW setting Chroma lets change after creation): p50/p95 of the query
the retriever sends (40 nearest chunks) and recall@40 against exact cosine search over every stored
vector (numpy). Baseline: Chroma's default ef_search (100), in the same run. The setting is put back.
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.common import Row, p50_p95, questions, settings_for, timed, write_rows

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_hnsw"
EF = [20, 50, 100, 200]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--k", type=int, default=40)
    args = parser.parse_args()
    from assistant.components import build_store
    from bench.scale_corpus import scaled_home

    store = build_store(settings_for(scaled_home(args.factor)))
    coll = store._collection  # the benchmark tunes the collection itself
    ids, vecs = [], []
    offset = 0
    while True:
        page = coll.get(include=["embeddings"], limit=5000, offset=offset)
        ids += page["ids"]
        vecs.append(np.asarray(page["embeddings"], dtype=np.float32))
        if len(page["ids"]) < 5000:
            break
        offset += 5000
    matrix = np.vstack(vecs)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    queries = [np.asarray(store.embeddings.embed_query(q), dtype=np.float32) for q in questions(args.questions)]
    exact = [{ids[i] for i in np.argsort(-(matrix @ (q / np.linalg.norm(q))))[: args.k]} for q in queries]

    default = (coll.configuration_json.get("hnsw") or {}).get("ef_search", 100)
    figures = {}
    try:
        for ef in EF:
            coll.modify(configuration={"hnsw": {"ef_search": ef}})
            coll.query(query_embeddings=[queries[0].tolist()], n_results=args.k)  # the setting applied
            times, recall = [], []
            for q, truth in zip(queries, exact, strict=True):
                res = None

                def run(q: np.ndarray = q) -> None:
                    nonlocal res
                    res = coll.query(query_embeddings=[q.tolist()], n_results=args.k, include=["distances"])

                times.append(timed(run) * 1000)
                recall.append(len(set(res["ids"][0]) & truth) / args.k)
            figures[ef] = (p50_p95(times), float(np.mean(recall)))
    finally:
        coll.modify(configuration={"hnsw": {"ef_search": default}})
    (b50, b95), brec = figures[100]
    rows = [
        Row(
            f"dense top-{args.k} at {args.factor}x ({len(ids)} chunks), ef_search={ef}: p50/p95 ms, recall",
            "-",
            f"{p50:.1f} / {p95:.1f}, {rec:.3f}",
            f"{b50:.1f} / {b95:.1f}, {brec:.3f}",
            p95 / b95,
            None,
            CMD,
        )
        for ef, ((p50, p95), rec) in figures.items()
    ]
    write_rows("hnsw", rows, {"ef_search": EF, "default": default, "chunks": len(ids)})


if __name__ == "__main__":
    main()

"""Search and answer latency at 1×, 10× and 100× the shared corpus, with a growth-curve plot.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_scale [--factors 1 10 100] [--questions 30]

Each factor runs in its own process (so one store's memory does not weigh on the next) on a
store built once by bench/scale_corpus.py and cached under BENCH_CACHE. Before timing, cached
query vectors are dropped, so every question is embedded as a new question would be. Baseline:
the same figure at 1× in the same run.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time

from bench.common import RESULTS, ROOT, Row, p50_p95, peak_rss_mb, questions, settings_for, timed, write_rows

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_scale"
TARGETS = {("search", 10): 150.0, ("answer", 10): 300.0}


def measure(factor: int, n_questions: int) -> dict:
    from assistant.domain import Filters
    from assistant.service import AssistantService
    from bench.scale_corpus import scaled_home

    home = scaled_home(factor)
    with sqlite3.connect(home / "cache" / "embeddings.sqlite") as db:
        db.execute("DELETE FROM vectors WHERE role = 'query'")
    service = AssistantService(settings_for(home))
    started = timed(lambda: service.store.lexical())  # loaded from disk, as at server start
    service.store.embeddings.embed_query("uppvärmning")  # the model loaded, as in a running server
    qs = questions(n_questions)
    search = [timed(lambda q=q: service.search(q, 5)) * 1000 for q in qs]
    filtered = [timed(lambda q=q: service.search(q, 5, Filters(region=["nationell"]))) * 1000 for q in qs]
    with sqlite3.connect(home / "cache" / "embeddings.sqlite") as db:
        db.execute("DELETE FROM vectors WHERE role = 'query'")
    cpu_started = time.process_time()
    answer = [timed(lambda q=q: service.ask(q)) * 1000 for q in qs]
    answer_cpu_ms = (time.process_time() - cpu_started) * 1000 / len(qs)
    return {
        "factor": factor,
        "chunks": service.store.count(),
        "lexical_load_s": started,
        "search_ms": search,
        "search_filtered_ms": filtered,
        "answer_ms": answer,
        "answer_cpu_ms_mean": answer_cpu_ms,
        "peak_rss_mb": peak_rss_mb(),
    }


def plot(results: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    chunks = [r["chunks"] for r in results]
    for key, label in (("search_ms", "sökning"), ("search_filtered_ms", "sökning + filter"), ("answer_ms", "svar")):
        p50 = [p50_p95(r[key])[0] for r in results]
        p95 = [p50_p95(r[key])[1] for r in results]
        (line,) = ax.plot(chunks, p50, marker="o", label=f"{label} p50")
        ax.plot(chunks, p95, marker="^", linestyle="--", color=line.get_color(), label=f"{label} p95")
    ax.axhline(150, color="grey", linewidth=0.8, linestyle=":")
    ax.axhline(300, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xscale("log")
    ax.set_xlabel("avsnitt i lagret")
    ax.set_ylabel("ms")
    ax.set_title("Svarstid mot korpusstorlek (1×, 10×, 100×)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(RESULTS / "scale.png", dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--one", type=int, help="(internal) measure one factor and print JSON")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.questions)))
        return
    results = []
    for factor in args.factors:
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_scale", "--one", str(factor), "--questions", str(args.questions)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            sys.exit(f"{factor}x failed:\n{out.stderr[-3000:]}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    plot(results)
    base = {k: p50_p95(results[0][k]) for k in ("search_ms", "search_filtered_ms", "answer_ms")}
    rows = []
    for r in results:
        for key, name in (("search_ms", "search"), ("search_filtered_ms", "search+filter"), ("answer_ms", "answer")):
            p50, p95 = p50_p95(r[key])
            target = TARGETS.get((name, r["factor"]))
            rows.append(
                Row(
                    f"{name} p50/p95 at {r['factor']}x ({r['chunks']} chunks, ms)",
                    f"p95 <= {target:.0f}" if target else "-",
                    f"{p50:.0f} / {p95:.0f}",
                    f"{base[key][0]:.0f} / {base[key][1]:.0f}",
                    p95 / base[key][1],
                    p95 <= target if target else None,
                    CMD,
                )
            )
    write_rows("scale", rows, {"results": results})


if __name__ == "__main__":
    main()

"""`make bench`: run every benchmark (each in its own process, bounded), then print one table and
write the plots to bench/results/.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.run_all [--only scale load ...] [--table-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.common import RESULTS, ROOT

# name → (module, time limit in seconds). Stores are built once and cached (bench/scale_corpus.py),
# so the limits cover a first run on a busy 2-core machine.
BENCHES = {
    "first_answer": ("bench.bench_first_answer", 3600),
    "ingest": ("bench.bench_ingest", 3600),
    "scale": ("bench.bench_scale", 5400),
    "hnsw": ("bench.bench_hnsw", 1200),
    "startup": ("bench.bench_startup", 1200),
    "load": ("bench.bench_load", 1200),
    "install": ("bench.bench_install", 900),
}


def table() -> None:
    print(f"\n{'figure':58s} {'target':>22s} {'measured':>26s} {'baseline (same run)':>22s} {'ratio':>7s}  met")
    for name in BENCHES:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            print(f"{name:58s} (not run)")
            continue
        for r in json.loads(path.read_text(encoding="utf-8"))["rows"]:
            ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-"
            met = {True: "yes", False: "NO", None: "-"}[r["met"]]
            print(f"{r['figure']:58s} {r['target']:>22s} {r['measured']:>26s} {r['baseline']:>22s} {ratio:>7s}  {met}")


def plots() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = RESULTS / "first_answer.json"
    if first.exists():
        extra = json.loads(first.read_text(encoding="utf-8"))["extra"]
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.boxplot(
            [extra["before_ms"], extra["after_ms"]], tick_labels=["före (inbäddning vid svar)", "nu (vid inläsning)"]
        )
        ax.axhline(300, color="grey", linestyle=":", linewidth=0.8)
        ax.set_ylabel("ms per fråga")
        ax.set_title("Första svaret på nya avsnitt")
        fig.tight_layout()
        fig.savefig(RESULTS / "first_answer.png", dpi=120)
    load = RESULTS / "load.json"
    if load.exists():
        results = json.loads(load.read_text(encoding="utf-8"))["extra"]["results"]
        fig, ax = plt.subplots(figsize=(6, 4))
        for workers in sorted({r["workers"] for r in results}):
            rs = [r for r in results if r["workers"] == workers]
            ax.plot(
                [r["users"] for r in rs],
                [r["p95_ms"] for r in rs],
                marker="o",
                label=f"{workers} arbetsprocess(er) p95",
            )
        ax.axhline(1000, color="grey", linestyle=":", linewidth=0.8)
        ax.set_xlabel("samtidiga användare")
        ax.set_ylabel("ms")
        ax.set_title("Last mot kommunstod serve + chroma run")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(RESULTS / "load.png", dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="+", choices=list(BENCHES))
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    failed = []
    if not args.table_only:
        for name in args.only or BENCHES:
            module, limit = BENCHES[name]
            print(f"== {name} ({module})", flush=True)
            proc = subprocess.Popen([sys.executable, "-m", module], cwd=ROOT)
            try:
                if proc.wait(timeout=limit):
                    failed.append(name)
            except subprocess.TimeoutExpired:
                proc.terminate()  # SIGTERM: the benchmark stops the servers it started (bench/servers.py)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                failed.append(f"{name} (over {limit} s)")
    table()
    plots()
    print(f"\nplots: {RESULTS}/*.png")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

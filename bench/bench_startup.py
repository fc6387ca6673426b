"""Memory and start-up: the server's peak RSS at 1× and 100×, and cold start to the first answer.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_startup [--factors 1 100] [--questions 20]

For each built store (bench/scale_corpus.py): start `kommunstod serve` (one worker, embedded
Chroma), time from process start to the first answered POST /api/ask (imports, model, Chroma,
lexical index; the OS file cache is warm, as after any earlier run), then the first page of the
UI at "/" (Gradio is imported and the UI built on that first request, not at start-up), then ask
the eval questions and read the process's peak resident set (VmHWM). Baseline: the 1× figures of
the same run.
"""

from __future__ import annotations

import argparse
import time

import httpx

from bench.common import Row, questions, timed, write_rows
from bench.servers import cpu_seconds, exit_on_sigterm, kommunstod_server, tree_peak_rss_mb

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_startup"


def first_answer(base: str, question: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.post(f"{base}/api/ask", json={"question": question}, timeout=60).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError("no answer from the server")


def measure(factor: int, n_questions: int) -> dict:
    from bench.scale_corpus import scaled_home

    home = scaled_home(factor)
    qs = questions(n_questions)
    with kommunstod_server(home) as (base, proc):
        started = time.perf_counter()
        first_answer(base, qs[0])
        cold = time.perf_counter() - started
        cpu = cpu_seconds(proc.pid)
        ui_page = timed(lambda: httpx.get(f"{base}/", timeout=120).raise_for_status())
        for q in qs[1:]:
            httpx.post(f"{base}/api/ask", json={"question": q}, timeout=60).raise_for_status()
        return {
            "factor": factor,
            "cold_start_s": cold,
            "cold_start_cpu_s": cpu,
            "first_ui_page_s": ui_page,
            "peak_rss_mb": tree_peak_rss_mb(proc.pid),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    exit_on_sigterm()
    results = [measure(f, args.questions) for f in args.factors]
    base = results[0]
    rows = []
    for r in results:
        f = r["factor"]
        rows.append(
            Row(
                f"server peak RSS at {f}x (MB)",
                "<= 1500" if f == 1 else "-",
                f"{r['peak_rss_mb']:.0f}",
                f"{base['peak_rss_mb']:.0f}",
                r["peak_rss_mb"] / base["peak_rss_mb"],
                r["peak_rss_mb"] <= 1500 if f == 1 else None,
                CMD,
            )
        )
        rows.append(
            Row(
                f"cold start to first answer at {f}x (s)",
                "<= 10",
                f"{r['cold_start_s']:.1f} ({r['cold_start_cpu_s']:.1f} s CPU)",
                f"{base['cold_start_s']:.1f}",
                r["cold_start_s"] / base["cold_start_s"],
                r["cold_start_s"] <= 10,
                CMD,
            )
        )
        rows.append(
            Row(
                f"then the first UI page at {f}x (s)",
                "-",
                f"{r['first_ui_page_s']:.1f}",
                f"{base['first_ui_page_s']:.1f}",
                r["first_ui_page_s"] / base["first_ui_page_s"],
                None,
                CMD,
            )
        )
    write_rows("startup", rows, {"results": results})


if __name__ == "__main__":
    main()

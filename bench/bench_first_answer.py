"""First answer: `ask` on passages never answered before, with and without the ingest warm-up.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_first_answer [--questions 40]

Baseline (same run): the store as ingest left it before the warm-up existed (chunk vectors only),
so each answer embeds its passages' sentences and lists on the spot. Measured: the same questions
from a fresh service on a copy of that store whose cache now holds those passages' unit vectors
(the baseline run put them there; query vectors are dropped so each question is embedded again).
For these questions that is the state `warm_units` leaves after ingest (retrieval does not read
unit vectors, so the same passages come back); it saves warming all 2,000+ units of the corpus
with the model here. What the warm-up costs at ingest is measured by bench/bench_ingest.py.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from bench.common import Row, base_home, copy_home, p50_p95, questions, settings_for, timed, write_rows

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_first_answer"


def ask_all(home: Path, qs: list[str]) -> tuple[list[float], list[float], list[str], int]:
    """Wall-clock ms, CPU ms (this process, all threads), answer texts, texts embedded."""
    from assistant.service import AssistantService

    service = AssistantService(settings_for(home))
    service.store.lexical()  # a running server has its lexical index loaded
    service.store.embeddings.embed_query("uppvärmning")  # and its model loaded
    before = service.store.embeddings.computed
    times, cpu, texts = [], [], []
    for q in qs:
        answer = None

        def run(q: str = q) -> None:
            nonlocal answer
            answer = service.ask(q)

        cpu_started = time.process_time()
        times.append(timed(run) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        texts.append(answer.answer)
    return times, cpu, texts, service.store.embeddings.computed - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args()
    qs = questions(args.questions)
    base = base_home()

    before_home = copy_home(base, "first-answer-before")
    before, before_cpu, before_texts, before_embedded = ask_all(before_home, qs)
    after_home = copy_home(before_home, "first-answer-after")
    with sqlite3.connect(after_home / "cache" / "embeddings.sqlite") as db:
        db.execute("DELETE FROM vectors WHERE role = 'query'")
    after, after_cpu, after_texts, after_embedded = ask_all(after_home, qs)
    same = sum(a == b for a, b in zip(before_texts, after_texts, strict=True))

    b50, b95 = p50_p95(before)
    a50, a95 = p50_p95(after)
    rows = [
        Row("first answer p50 (ms)", "-", f"{a50:.0f}", f"{b50:.0f}", a50 / b50, None, CMD),
        Row("first answer p95 (ms)", "<= 300", f"{a95:.0f}", f"{b95:.0f}", a95 / b95, a95 <= 300, CMD),
        Row(
            "first answer CPU p50/p95 (ms, all threads)",
            "-",
            f"{p50_p95(after_cpu)[0]:.0f} / {p50_p95(after_cpu)[1]:.0f}",
            f"{p50_p95(before_cpu)[0]:.0f} / {p50_p95(before_cpu)[1]:.0f}",
            p50_p95(after_cpu)[1] / p50_p95(before_cpu)[1],
            None,
            CMD,
        ),
    ]
    write_rows(
        "first_answer",
        rows,
        {
            "questions": len(qs),
            "identical_answers": same,
            "texts_embedded_while_answering": {"before": before_embedded, "after": after_embedded},
            "before_ms": before,
            "after_ms": after,
            "before_cpu_ms": before_cpu,
            "after_cpu_ms": after_cpu,
        },
    )
    print(f"identical answers {same}/{len(qs)}; embedded while answering: {before_embedded} → {after_embedded}")


if __name__ == "__main__":
    main()

"""First answer: `ask` on passages never answered before, with and without the ingest warm-up.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_first_answer [--questions 40]

Baseline (same run): the store as ingest left it before the warm-up existed (chunk vectors only),
so each answer embeds its passages' sentences and lists on the spot. Measured: the same store after
`warm_units` (what ingest now runs), asked the same questions in a fresh process state.
What the warm-up costs at ingest is measured by bench/bench_ingest.py.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import Row, base_home, copy_home, p50_p95, questions, settings_for, timed, write_rows
from bench.scale_corpus import warm_base_home

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_first_answer"


def ask_all(home: Path, qs: list[str]) -> tuple[list[float], list[str], int]:
    from assistant.service import AssistantService

    service = AssistantService(settings_for(home))
    service.store.lexical()  # a running server has its lexical index loaded
    service.store.embeddings.embed_query("uppvärmning")  # and its model loaded
    before = service.store.embeddings.computed
    times, texts = [], []
    for q in qs:
        answer = None

        def run(q: str = q) -> None:
            nonlocal answer
            answer = service.ask(q)

        times.append(timed(run) * 1000)
        texts.append(answer.answer)
    return times, texts, service.store.embeddings.computed - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args()
    qs = questions(args.questions)
    base = base_home()

    before_home = copy_home(base, "first-answer-before")
    before, before_texts, before_embedded = ask_all(before_home, qs)
    warm = warm_base_home()  # the same store after warm_units over every chunk, as ingest now does
    t_warm = json.loads((warm / ".complete").read_text())["warm_s"]
    after_home = copy_home(warm, "first-answer-after")
    after, after_texts, after_embedded = ask_all(after_home, qs)
    same = sum(a == b for a, b in zip(before_texts, after_texts, strict=True))

    b50, b95 = p50_p95(before)
    a50, a95 = p50_p95(after)
    rows = [
        Row("first answer p50 (ms)", "-", f"{a50:.0f}", f"{b50:.0f}", a50 / b50, None, CMD),
        Row("first answer p95 (ms)", "<= 300", f"{a95:.0f}", f"{b95:.0f}", a95 / b95, a95 <= 300, CMD),
    ]
    write_rows(
        "first_answer",
        rows,
        {
            "questions": len(qs),
            "identical_answers": same,
            "texts_embedded_while_answering": {"before": before_embedded, "after": after_embedded},
            "warm_whole_store_s": t_warm,
            "before_ms": before,
            "after_ms": after,
        },
    )
    print(
        f"identical answers {same}/{len(qs)}; embedded while answering: {before_embedded} → {after_embedded}; "
        f"warm-up of the whole store {t_warm:.1f} s"
    )


if __name__ == "__main__":
    main()

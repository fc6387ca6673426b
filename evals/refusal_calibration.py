"""Where `refusal_threshold` and `similarity_threshold` (assistant/settings.py) go: between the
evidence of the questions the fitting sets say must be refused as out of scope and that of the
questions they say must be answered.

    kommunstod eval evals/sets/shared_dev.yaml --home H --out /tmp/dev-run
    kommunstod eval evals/sets/sample.yaml --home H --out /tmp/sample-run
    python -m evals.refusal_calibration /tmp/dev-run/results.jsonl /tmp/sample-run/results.jsonl

Reads the system configuration's results (each response carries its `evidence`, the refusal model's
probability, and its `similarity`) and prints, for each, both sides, the gap and the threshold.
`refusal_threshold` is the lowest two-decimal value above every out-of-scope question: the fitting
sets' questions to answer sit higher than real ones, so the middle of the gap refused answerable
questions in the gate (evals/FITTED.md). `similarity_threshold` is the middle of the gap, to three
decimals. Calibrate on the fitting sets only: the sets that gate CI must not choose it.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from evals.runs import SYSTEM

THRESHOLDS = {"evidence": "refusal_threshold", "similarity": "similarity_threshold"}


def just_above(highest_out: float, lowest_in: float) -> float:
    """The lowest two-decimal value above the out-of-scope side."""
    return round(math.floor(highest_out * 100 + 1e-9) / 100 + 0.01, 2)


def evidence_by_side(
    results: Path | list[Path], config: str = SYSTEM, key: str = "evidence"
) -> dict[str, list[tuple[float, str]]]:
    """(evidence, id) of the out-of-scope items and of the items to be answered, lowest first, over
    one or more runs."""
    sides: dict[str, list[tuple[float, str]]] = {"out_of_scope": [], "answerable": []}
    for path in results if isinstance(results, list) else [results]:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            if record.get("config") != config:
                continue
            item, evidence = record["item"], float(record["response"].get(key, 0.0))
            if item["category"] == "out_of_scope":
                sides["out_of_scope"].append((evidence, item["id"]))
            elif not item["expect_refusal"]:
                sides["answerable"].append((evidence, item["id"]))
    return {side: sorted(values) for side, values in sides.items()}


def midpoint(highest_out: float, lowest_in: float) -> float:
    """The middle of the gap between the sides, to three decimals."""
    return round((highest_out + lowest_in) / 2, 3)


RULES = {"evidence": just_above, "similarity": midpoint}


def calibrate(results: list[Path], key: str) -> bool:
    """Print one threshold's sides, gap and value; False when the set leaves no gap for it."""
    sides = evidence_by_side(results, key=key)
    if not sides["out_of_scope"] or not sides["answerable"]:
        raise SystemExit("the runs need out-of-scope and answerable items of the system configuration")
    highest_out, lowest_in = sides["out_of_scope"][-1], sides["answerable"][0]
    print(f"{key}, out of scope, highest:", *(f"{e:.4f} {i}" for e, i in sides["out_of_scope"][-3:][::-1]), sep="\n  ")
    print(f"{key}, to answer, lowest:", *(f"{e:.4f} {i}" for e, i in sides["answerable"][:3]), sep="\n  ")
    if highest_out[0] >= lowest_in[0]:
        print(f"no gap: out-of-scope {highest_out[0]:.4f} ≥ answerable {lowest_in[0]:.4f}")
        return False
    threshold = RULES[key](highest_out[0], lowest_in[0])
    print(f"gap {highest_out[0]:.4f}–{lowest_in[0]:.4f}")
    print(f"{THRESHOLDS[key]} {threshold:g}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path, nargs="+", help="results.jsonl of `kommunstod eval` runs")
    args = parser.parse_args(argv)
    return 0 if all([calibrate(args.results, key) for key in THRESHOLDS]) else 1


if __name__ == "__main__":
    raise SystemExit(main())

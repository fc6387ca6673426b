"""Where `refusal_threshold` and `similarity_threshold` (assistant/settings.py) go: between the
evidence of the questions a set says must be refused as out of scope and that of the questions it
says must be answered.

    kommunstod eval evals/sets/shared_dev.yaml --home H --out /tmp/dev-run
    python -m evals.refusal_calibration /tmp/dev-run/results.jsonl

Reads the system configuration's results (each response carries its `evidence`, the refusal model's
probability, and its `similarity`) and prints, for each, both sides, the gap and the threshold: the
middle of the gap, to three decimals, so that a new question has as much room on either side as
the set allows. (The lowest value above the out-of-scope questions, used before, left no room: an
out-of-scope question of shared_corpus.yaml, "Hur blir vädret i Hagfors i morgon?", fell just above
it in the gate.)
Calibrate on shared_dev.yaml only: the sets that gate CI must not choose it (evals/FITTED.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evals.runs import SYSTEM

THRESHOLDS = {"evidence": "refusal_threshold", "similarity": "similarity_threshold"}


def evidence_by_side(results: Path, config: str = SYSTEM, key: str = "evidence") -> dict[str, list[tuple[float, str]]]:
    """(evidence, id) of the out-of-scope items and of the items to be answered, lowest first."""
    sides: dict[str, list[tuple[float, str]]] = {"out_of_scope": [], "answerable": []}
    for line in results.read_text(encoding="utf-8").splitlines():
        record = json.loads(line) if line.strip() else {}
        if record.get("config") != config:
            continue
        item, evidence = record["item"], float(record["response"].get(key, 0.0))
        if item["category"] == "out_of_scope":
            sides["out_of_scope"].append((evidence, item["id"]))
        elif not item["expect_refusal"]:
            sides["answerable"].append((evidence, item["id"]))
    return {side: sorted(values) for side, values in sides.items()}


def midpoint(low: float, high: float) -> float:
    """The middle of the gap between the sides, to three decimals."""
    return round((low + high) / 2, 3)


def calibrate(results: Path, key: str) -> bool:
    """Print one threshold's sides, gap and value; False when the set leaves no gap for it."""
    sides = evidence_by_side(results, key=key)
    if not sides["out_of_scope"] or not sides["answerable"]:
        raise SystemExit(f"{results}: needs out-of-scope and answerable items of the system configuration")
    highest_out, lowest_in = sides["out_of_scope"][-1], sides["answerable"][0]
    print(f"{key}, out of scope, highest:", *(f"{e:.4f} {i}" for e, i in sides["out_of_scope"][-3:][::-1]), sep="\n  ")
    print(f"{key}, to answer, lowest:", *(f"{e:.4f} {i}" for e, i in sides["answerable"][:3]), sep="\n  ")
    if highest_out[0] >= lowest_in[0]:
        print(f"no gap: out-of-scope {highest_out[0]:.4f} ≥ answerable {lowest_in[0]:.4f}")
        return False
    threshold = midpoint(highest_out[0], lowest_in[0])
    print(f"gap {highest_out[0]:.4f}–{lowest_in[0]:.4f}")
    print(f"{THRESHOLDS[key]} {threshold:.3f}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path, help="results.jsonl of a `kommunstod eval` run")
    args = parser.parse_args(argv)
    return 0 if all([calibrate(args.results, key) for key in THRESHOLDS]) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Run folders on disk: results.jsonl (one record per configuration and item) and summary.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SYSTEM = "system"  # the configuration under test; the others in a run are baselines


def write_run(out: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")


def load_run(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A run folder (or its summary.json) → summary and records."""
    folder = path.parent if path.name == "summary.json" else path
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        lines = (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"{folder} är ingen utvärderingskörning (summary.json och results.jsonl saknas)") from exc
    return summary, [json.loads(line) for line in lines if line.strip()]

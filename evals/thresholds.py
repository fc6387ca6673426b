"""The gate: per-set minimums/maximums from thresholds.yaml, critical items, and regressions against a
baseline run. `kommunstod eval` exits non-zero when the gate fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evals.metrics import metric_value

THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.yaml"


def load_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of set names to limits")
    for name, limits in data.items():
        if not isinstance(limits, dict) or set(limits) - {"min", "max", "regression_tolerance"}:
            raise ValueError(f"{path}: {name}: only 'min', 'max' and 'regression_tolerance' are allowed")
    return data


def thresholds_for(set_name: str, path: Path = THRESHOLDS_FILE) -> dict[str, Any]:
    """The set's limits over the defaults (a set names only what it changes)."""
    data = load_thresholds(path)
    default, own = data.get("default") or {}, data.get(set_name) or {}
    return {
        "min": (default.get("min") or {}) | (own.get("min") or {}),
        "max": (default.get("max") or {}) | (own.get("max") or {}),
        "regression_tolerance": own.get("regression_tolerance", default.get("regression_tolerance", 0.02)),
    }


def check(metrics: dict[str, Any], limits: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per limit: the figure, the limit and whether it holds (a missing figure does not)."""
    rows = []
    for kind in ("min", "max"):
        for key, limit in limits.get(kind, {}).items():
            value = metric_value(metrics, key)
            ok = value is not None and (value >= limit if kind == "min" else value <= limit)
            rows.append({"metric": key, "kind": kind, "limit": limit, "value": value, "ok": ok})
    return rows


def regressions(baseline: dict[str, Any], metrics: dict[str, Any], limits: dict[str, Any]) -> list[dict[str, Any]]:
    """Gated shares that dropped below the baseline run's by more than the tolerance. Latencies are
    left to their absolute limits: timing noise between machines is no regression."""
    tolerance = float(limits.get("regression_tolerance", 0.02))
    out = []
    for kind in ("min", "max"):
        for key in limits.get(kind, {}):
            before, after = metric_value(baseline, key), metric_value(metrics, key)
            if before is None or after is None or key.startswith("latency_ms."):
                continue
            if (before - after if kind == "min" else after - before) > tolerance:
                out.append({"metric": key, "before": before, "after": after})
    return out


def gate(metrics: dict[str, Any], limits: dict[str, Any], baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    checks = check(metrics, limits)
    worse = regressions(baseline, metrics, limits) if baseline is not None else []
    failures = [
        f"{c['metric']} = {c['value']} ({'minst' if c['kind'] == 'min' else 'högst'} {c['limit']})"
        for c in checks
        if not c["ok"]
    ]
    failures += [f"kritisk fråga underkänd: {item}" for item in metrics.get("critical_failed", [])]
    failures += [f"{w['metric']} försämrad: {w['before']} → {w['after']}" for w in worse]
    return {"passed": not failures, "failures": failures, "checks": checks, "regressions": worse}

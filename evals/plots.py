"""Plots for the report as inline SVG (matplotlib's object API: no pyplot state, no display needed)."""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure

from evals.metrics import KS


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: the SVG sits inside HTML


def hit_curve(metrics: dict[str, dict[str, Any]]) -> str:
    """hit@k against k, one line per configuration."""
    fig = Figure(figsize=(5.6, 3.4))
    ax = fig.add_subplot()
    for label, figures in metrics.items():
        values = [figures.get(f"hit@{k}") for k in KS]
        if any(v is not None for v in values):
            ax.plot(KS, [v if v is not None else float("nan") for v in values], marker="o", label=label)
    ax.set_xticks(KS)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("k (antal hämtade avsnitt)")
    ax.set_ylabel("träff@k")
    ax.set_title("Träff@k: gulddokument bland de k första")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return _svg(fig)


def latency_histogram(wall_ms: dict[str, list[float]]) -> str:
    """Distribution of the time per question (seconds), one series per configuration."""
    fig = Figure(figsize=(5.6, 3.4))
    ax = fig.add_subplot()
    series = {label: [ms / 1000 for ms in values] for label, values in wall_ms.items() if values}
    if series:
        # Outlines, not bars: four configurations side by side stay readable where they overlap.
        ax.hist(list(series.values()), bins=20, label=list(series), histtype="step", linewidth=1.8)
        ax.legend()
    ax.set_xlabel("sekunder per fråga")
    ax.set_ylabel("antal frågor")
    ax.set_title("Svarstid per fråga")
    ax.grid(alpha=0.3)
    return _svg(fig)

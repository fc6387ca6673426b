"""Filter choices read from what is stored, so the dropdowns only offer values that match something."""

from __future__ import annotations

from typing import Any

FACETS = ("doc_type", "region", "municipality")


def facet_values(docs: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {name: sorted({str(d[name]) for d in docs if d.get(name)}, key=str.casefold) for name in FACETS}

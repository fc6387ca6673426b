"""Metadata filters → a Chroma `where` clause (applied to dense search, and to lexical via ids)."""

from __future__ import annotations

from typing import Any

from assistant.domain import Filters

_LIST_FIELDS = ("doc_type", "publisher", "region", "municipality")


def to_where(filters: Filters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    for name in _LIST_FIELDS:
        values = [v for v in getattr(filters, name) if v]
        if values:
            clauses.append({name: {"$in": values}})
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.year_from is not None:
        clauses.append({"year": {"$gte": filters.year_from}})
    if filters.year_to is not None:
        clauses.append({"year": {"$lte": filters.year_to}})
    if filters.examples_only:
        clauses.append({"is_example": True})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def parse_filter_args(pairs: list[str]) -> Filters:
    """`key=value` pairs from the command line; list fields may repeat or use commas."""
    filters = Filters()
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not value.strip():
            raise ValueError(f"Filtret {pair!r} ska skrivas nyckel=värde")
        if key in (*_LIST_FIELDS, "sources"):
            getattr(filters, key).extend(v.strip() for v in value.split(",") if v.strip())
        elif key in ("year_from", "year_to"):
            if not value.strip().isdigit():
                raise ValueError(f"{key} ska vara ett årtal, inte {value!r}")
            setattr(filters, key, int(value))
        elif key == "examples_only":
            filters.examples_only = value.strip().lower() in ("1", "true", "ja", "yes")
        else:
            known = ", ".join((*_LIST_FIELDS, "sources", "year_from", "year_to", "examples_only"))
            raise ValueError(f"Okänt filter {key!r}. Kända filter: {known}")
    return filters

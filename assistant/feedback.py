"""Thumbs up/down on answers, stored in SQLite under the data home and exported for county staff.

One connection per call: the API serves requests from a thread pool and several worker processes
may share the home, so SQLite's own locking (WAL) is what keeps writes safe.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    comment TEXT NOT NULL,
    channel TEXT NOT NULL
)
"""
CSV_COLUMNS = ("id", "created", "rating", "question", "answer", "citations", "comment", "channel")


@dataclass
class FeedbackEntry:
    rating: Rating
    question: str
    answer: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    comment: str = ""
    channel: str = "api"  # where it was given: api, ui or openai
    id: int | None = None
    created: str = ""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def add(self, entry: FeedbackEntry) -> FeedbackEntry:
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, rating, question, answer, citations, comment, channel)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    entry.rating,
                    entry.question,
                    entry.answer,
                    json.dumps(entry.citations, ensure_ascii=False),
                    entry.comment,
                    entry.channel,
                ),
            )
        return FeedbackEntry(**(asdict(entry) | {"id": cursor.lastrowid, "created": created}))

    def entries(self) -> list[FeedbackEntry]:
        with self._connect() as db:
            rows = db.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [FeedbackEntry(**(dict(row) | {"citations": json.loads(row["citations"])})) for row in rows]

    def export_jsonl(self) -> str:
        return "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in self.entries())

    def export_csv(self) -> str:
        """One row per answer; citations flattened to "[n] title (source, s. page)" for a spreadsheet."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for entry in self.entries():
            row = asdict(entry) | {"citations": "; ".join(_citation_label(c) for c in entry.citations)}
            writer.writerow({k: _cell(v) for k, v in row.items()})
        return out.getvalue()


# Where a spreadsheet may start a formula: the cell's start, or after any separator it may split the
# text on when importing (comma, semicolon, tab, pipe, line break), before optional spaces.
_FORMULA = re.compile(r"(?:^|(?<=[,;\t|\r\n]))(?=[ ]*[=+\-@\t\r])")


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @) is quoted: questions are user input."""
    return _FORMULA.sub("'", value) if isinstance(value, str) else value


def _citation_label(citation: dict[str, Any]) -> str:
    where = ", ".join(str(x) for x in (citation.get("source"), citation.get("page") and f"s. {citation['page']}") if x)
    return f"[{citation.get('n', '?')}] {citation.get('title', '')} ({where})"

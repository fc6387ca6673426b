"""Feedback becomes eval items: every thumbs-down (and, if wanted, thumbs-up) an officer leaves is a
draft until a reviewer accepts it into a set, with the facts or source it should have had, or
dismisses it. The feedback itself stays as it was given; the review lives beside it in the evals'
own SQLite file, keyed by the feedback id."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant.feedback import FeedbackEntry, FeedbackStore
from assistant.settings import Settings
from evals.home_sets import add_item, check_name
from evals.spreadsheet import ImportProblems, item_from_row

_SCHEMA = """
CREATE TABLE IF NOT EXISTS review (
    feedback_id INTEGER PRIMARY KEY,
    decided TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'dismissed')),
    set_name TEXT NOT NULL,
    item_id TEXT NOT NULL
)
"""


@dataclass
class Draft:
    feedback: FeedbackEntry

    @property
    def id(self) -> int:
        assert self.feedback.id is not None
        return self.feedback.id

    @property
    def cited_sources(self) -> list[str]:
        return list(dict.fromkeys(str(c["source"]) for c in self.feedback.citations if c.get("source")))


def feedback_store(settings: Settings) -> FeedbackStore:
    return FeedbackStore(settings.home / "feedback.sqlite")  # the file the API and the chat write


class DraftReview:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = settings.home / "evals" / "drafts.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    def _decided(self) -> set[int]:
        with self._connect() as db:
            return {row[0] for row in db.execute("SELECT feedback_id FROM review")}

    def drafts(self, include_up: bool = False) -> list[Draft]:
        """Feedback not yet reviewed, newest first: thumbs-down, and thumbs-up when asked for."""
        decided = self._decided()
        wanted = ("down", "up") if include_up else ("down",)
        entries = feedback_store(self.settings).entries()
        return [Draft(e) for e in reversed(entries) if e.rating in wanted and e.id not in decided]

    def draft(self, feedback_id: int) -> Draft:
        for d in self.drafts(include_up=True):
            if d.id == feedback_id:
                return d
        raise ImportProblems([f"Utkast {feedback_id} finns inte eller är redan granskat."])

    def _record(self, feedback_id: int, status: str, set_name: str = "", item_id: str = "") -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO review (feedback_id, decided, status, set_name, item_id) VALUES (?, ?, ?, ?, ?)",
                (feedback_id, datetime.now(UTC).isoformat(timespec="seconds"), status, set_name, item_id),
            )

    def accept(
        self,
        feedback_id: int,
        set_name: str,
        key_facts: str = "",
        sources: str = "",
        should_refuse: bool = False,
        known_sources: set[str] | None = None,
    ) -> str:
        """Turns the draft into an item of `set_name` (created if missing); returns the item's id.
        The reviewer's facts and sources are checked like a spreadsheet row."""
        draft = self.draft(feedback_id)
        set_name = check_name(set_name)
        row = {
            "fråga": draft.feedback.question,
            "förväntade nyckelfakta": key_facts,
            "förväntad källa": sources,
            "ska vägras": "ja" if should_refuse else "nej",
            "id": f"aterkoppling-{feedback_id}",
        }
        item, problems = item_from_row(row, f"Utkast {feedback_id}", known_sources)
        if item is None:
            raise ImportProblems(problems)
        item.reference_answer = ""
        item.tags = ["återkoppling", f"tumme-{'ner' if draft.feedback.rating == 'down' else 'upp'}"]
        add_item(self.settings, set_name, item)
        self._record(feedback_id, "accepted", set_name, item.id)
        return item.id

    def dismiss(self, feedback_id: int) -> None:
        self.draft(feedback_id)
        self._record(feedback_id, "dismissed")

    def summary(self, draft: Draft) -> dict[str, Any]:
        f = draft.feedback
        return {
            "id": draft.id,
            "betyg": "👎" if f.rating == "down" else "👍",
            "fråga": f.question,
            "kommentar": f.comment,
            "källor": ", ".join(draft.cited_sources),
            "datum": f.created[:10],
        }

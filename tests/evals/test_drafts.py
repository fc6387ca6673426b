"""Feedback becomes draft eval items: thumbs-down wait for review, an accepted one joins a set with
the reviewer's facts and runs in the next eval, a dismissed one is gone; the admin check."""

from __future__ import annotations

import pytest

from assistant.feedback import FeedbackEntry
from assistant.settings import Settings
from evals.drafts import DraftReview, feedback_store
from evals.home_sets import load_home_set
from evals.spreadsheet import ImportProblems
from evals.ui import admin_problem

CITED = [{"n": 1, "source": "hagfors.md", "quote": "Hagfors valde pollinering."}]


def _feedback(settings: Settings) -> list[int]:
    store = feedback_store(settings)
    entries = [
        FeedbackEntry("down", "Vilka områden har Hagfors valt?", "Svar A [1]", CITED, "Saknar vattenplanering."),
        FeedbackEntry("up", "Vad är miljömål?", "Svar B", [], ""),
        FeedbackEntry("down", "Vad kostar laddstolparna?", "Svar C", [], "Påhittat."),
    ]
    return [store.add(e).id for e in entries]


def test_thumbs_down_become_drafts_and_are_accepted_or_dismissed(tmp_path):
    settings = Settings(home=tmp_path)
    down, up, other = _feedback(settings)
    review = DraftReview(settings)
    assert [d.id for d in review.drafts()] == [other, down]  # newest first, thumbs-up left out
    assert [d.id for d in review.drafts(include_up=True)] == [other, up, down]
    assert review.draft(down).cited_sources == ["hagfors.md"]

    with pytest.raises(ImportProblems, match="kolumn 'förväntad källa'"):
        review.accept(down, "egna", key_facts="vattenplanering", sources="")  # answerable needs a source
    item_id = review.accept(down, "egna", key_facts="pollinering; vattenplanering", sources="hagfors.md")
    review.accept(other, "egna", should_refuse=True)
    review.dismiss(up)
    assert review.drafts(include_up=True) == []

    items = load_home_set(settings, "egna").items
    assert [i.id for i in items] == [item_id, f"aterkoppling-{other}"]
    assert items[0].key_facts == ["pollinering", "vattenplanering"] and "återkoppling" in items[0].tags
    assert items[1].expect_refusal and items[1].category == "unanswerable"
    with pytest.raises(ImportProblems, match="redan granskat"):
        review.dismiss(down)


def test_admin_problem():
    assert "avstängd" in admin_problem(Settings(), "x")
    settings = Settings(admin_token="hemlig")
    assert admin_problem(settings, "") == "Administratörsnyckel saknas."
    assert admin_problem(settings, "fel") == "Fel administratörsnyckel."
    assert admin_problem(settings, " hemlig ") == ""

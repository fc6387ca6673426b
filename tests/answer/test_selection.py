"""The unit model's features: what each candidate sentence or list is described by."""

from __future__ import annotations

import pytest

from assistant.answer.selection import PRONOUN_START, UnitCandidate, unit_features
from assistant.answer.units import split_units
from assistant.retrieval.terms import TermWeights

TEXT = "Åtgärderna följs upp en gång per år. Länsstyrelsen samlar in uppgifterna."


def test_each_units_own_cosine_and_its_gap_to_the_best_are_features():
    units = split_units(TEXT)
    cands = [UnitCandidate(0, u, i, len(units), 10.0, 0.8) for i, u in enumerate(units)]
    rows = unit_features("Hur ofta följs åtgärderna upp?", "number", cands, TermWeights({}, 0), [0.9, 0.7])
    assert [r["unit_dense"] for r in rows] == [0.9, 0.7]
    assert rows[0]["unit_dense_gap"] == 0.0 and rows[1]["unit_dense_gap"] == pytest.approx(-0.2)


@pytest.mark.parametrize(
    ("sentence", "refers_back"),
    [
        ("Men arbetet har bara börjat.", True),
        ("Sådana åtgärder kräver samverkan.", True),
        ("Jämfört med 2018 var fler aktörer med.", True),
        ("Menyn i appen visar åtgärderna.", False),  # "Men" only as a word of its own
        ("Länsstyrelsen samlar in uppgifterna.", False),
    ],
)
def test_a_sentence_that_refers_back_is_recognised(sentence, refers_back):
    assert bool(PRONOUN_START.search(sentence)) is refers_back

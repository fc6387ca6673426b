"""Answer-unit features and the fitted model that scores them.

Each candidate unit (a sentence, or a whole list with its lead-in) of the retrieved passages gets a
feature row; a logistic model fitted on ../shared/swequad-dev answer spans (a unit holding the gold
span is a positive; `python -m assistant.fit_models`) turns the row into the probability
that the unit answers the question. Provenance and cross-validated figures are in unit_model.json.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.answer.intent import wants_list
from assistant.answer.units import Unit
from assistant.retrieval.scoring import content_stems, coverage, longest_run, stem_pair_overlap, trigram_overlap
from assistant.retrieval.terms import TermWeights

UNIT_MODEL = Path(__file__).with_name("unit_model.json")

_NUMBER = re.compile(r"\d")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A sentence opening with a pronoun or a demonstrative refers back to the one before it.
# Words that carry on from the sentence before ("Samtidigt ska …"), unlike "De", which may be an article.
_CONNECTIVES = (
    r"där|då|därför|därmed|samtidigt|även|också|dessutom|men|jämfört med|trots det|trots detta|utöver det|utöver detta"
)
CONNECTIVE_START = re.compile(rf"^\W*(?:{_CONNECTIVES})\b", re.IGNORECASE)
PRONOUN_START = re.compile(
    r"^\W*(?:det|de|den|denna|detta|dessa|dem|deras|dess|han|hon|just den|just det|båda|bägge|"
    rf"sådan|sådant|sådana|{_CONNECTIVES}|(?:många|flera|några|alla|var och en) av (?:dessa|dem|de))\b",
    re.IGNORECASE,
)


@dataclass
class UnitCandidate:
    rank: int  # rank of its passage
    unit: Unit
    index: int  # position among the passage's units
    n_units: int
    passage_score: float  # the reranker's logit for the passage
    passage_dense: float  # cosine of the passage to the question


def unit_features(
    question: str, kind: str, cands: list[UnitCandidate], terms: TermWeights, dense: list[float]
) -> list[dict[str, float]]:
    """One row per candidate unit; gaps to the question's best unit make rows comparable across
    questions. `dense` is each unit's cosine (with its heading) to the question, from the vectors
    `warm_units` put in the embedding cache at ingest."""
    if not cands:
        return []
    top_unit = max(dense)
    stems = content_stems(question)
    listy = 1.0 if wants_list(kind) else 0.0
    numeric = 1.0 if kind == "number" else 0.0
    top_dense = max(c.passage_dense for c in cands)
    top_passage = max(c.passage_score for c in cands)
    rows = []
    for cand, unit_dense in zip(cands, dense, strict=True):
        unit = cand.unit
        seen = f"{unit.context}\n{unit.text}" if unit.context else unit.text
        unit_stems = content_stems(seen)
        is_list = 1.0 if unit.kind == "list" else 0.0
        has_number = 1.0 if _NUMBER.search(unit.text) else 0.0
        rows.append(
            {
                "unit_dense": unit_dense,
                "unit_dense_gap": unit_dense - top_unit,
                "passage_dense": cand.passage_dense,
                "passage_dense_gap": cand.passage_dense - top_dense,
                "coverage": coverage(stems, seen),
                "idf_coverage": terms.coverage(stems, unit_stems),
                "idf_coverage_text": terms.coverage(stems, unit.text),
                "rare_term": terms.rare_coverage(stems, unit_stems),
                "passage_rank": 1.0 / (1.0 + cand.rank),
                "passage_gap": cand.passage_score - top_passage,
                "position": cand.index / max(cand.n_units, 1),
                "first": 1.0 if cand.index == 0 else 0.0,
                "is_list": is_list,
                "log_length": math.log(1 + len(unit.text)),
                "has_number": has_number,
                "pronoun_start": 1.0 if PRONOUN_START.search(unit.text) else 0.0,
                "list_for_list_question": is_list * listy,
                "number_for_number_question": has_number * numeric,
                "year_for_number_question": numeric * (1.0 if _YEAR.search(unit.text) else 0.0),
                # Word order: the sentence that answers tends to share the question's phrases.
                "stem_pairs": stem_pair_overlap(question, unit.text),
                "trigrams": trigram_overlap(question, unit.text),
                "longest_run": longest_run(question, unit.text),
            }
        )
    for row in rows:
        row["idf_gap"] = row["idf_coverage"] - max(r["idf_coverage"] for r in rows)
    return rows


def select(texts: list[str], probs: list[float], params: dict[str, float]) -> list[int]:
    """The best unit, then units whose probability is close enough to it (fitted `relative`), within
    the unit and character budget. Indices into texts/probs, best first."""
    if not texts:
        return []
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    best = probs[order[0]]
    chosen = [order[0]]
    used = len(texts[order[0]])
    for i in order[1:]:
        if len(chosen) >= params["max_units"]:
            break
        if probs[i] < params["min_probability"] or probs[i] < params["relative"] * best:
            break
        if used + len(texts[i]) > params["max_chars"]:
            continue
        chosen.append(i)
        used += len(texts[i])
    return chosen

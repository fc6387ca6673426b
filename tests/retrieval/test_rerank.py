"""The passage reranker's features and the shipped model: phrases shared with the question, the
cosine of the passage's closest sentence, and the fitted model summed with the hand-set scorer."""

import random

import pytest
from langchain_core.documents import Document

from assistant.domain import Candidate
from assistant.retrieval.linear import LinearModel
from assistant.retrieval.rerank import (
    RERANK_MODEL,
    fill_dense,
    fill_unit_dense,
    hand_set,
    passage_features,
    plus_hand_set,
)
from assistant.retrieval.scoring import DenseScorer, cosines, longest_run, stem_pair_overlap, trigram_overlap
from assistant.retrieval.terms import TermWeights

QUESTION = "Hur länge har du rätt att vara kvar i Sverige efter en ansökan om förlängning?"
# The same content words twice: once in the question's order, once scattered across sentences.
COPIED = "Om du har lämnat in en ansökan om förlängning har du rätt att vara kvar i Sverige tills beslutet kommer."
SCATTERED = "En förlängning kräver en ny ansökan. I Sverige har kvar du en rätt, tills ett beslut kommer."


def test_a_passage_that_copies_the_questions_wording_shares_more_phrases():
    for measure in (stem_pair_overlap, trigram_overlap, longest_run):
        assert measure(QUESTION, COPIED) > measure(QUESTION, SCATTERED), measure.__name__
    assert longest_run(QUESTION, COPIED) == 1.0  # "har du rätt att vara kvar i Sverige": 8 words, the cap
    assert trigram_overlap(QUESTION, SCATTERED) == 0.0


def test_phrase_features_of_an_empty_or_one_word_question_are_zero():
    for question in ("", "Sverige"):
        assert stem_pair_overlap(question, COPIED) == 0.0
        assert trigram_overlap(question, COPIED) == 0.0
    assert longest_run("", COPIED) == 0.0


def _candidate(text: str, dense: float, fused: float) -> Candidate:
    return Candidate(Document(page_content=text, metadata={"title": "Förlänga tillstånd"}), dense=dense, fused=fused)


def test_the_shipped_model_weighs_only_features_the_reranker_computes():
    rows = passage_features(QUESTION, [_candidate(COPIED, 0.9, 0.03)], TermWeights({}, 10))
    model = LinearModel.load(RERANK_MODEL)
    assert set(model.features) <= set(rows[0])
    assert {"stem_pairs", "trigrams", "longest_run", "unit_dense", "unit_dense_gap"} <= set(model.features)


def test_the_hand_set_scorer_folds_into_the_fitted_model():
    rng = random.Random(0)
    features = ["dense", "coverage", "fused", "title_coverage", "section_coverage", "trigrams"]
    fitted = LinearModel(
        features,
        [rng.random() for _ in features],
        [0.5 + rng.random() for _ in features],
        [rng.uniform(-1, 1) for _ in features],
        0.3,
    )
    weights = (1.0, 1.0, 0.5, 0.5, 0.25)
    both = plus_hand_set(fitted, weights, 20.0)
    hand = hand_set(weights)
    for _ in range(5):
        row = {f: rng.random() for f in features}
        assert abs(both.logit(row) - (fitted.logit(row) + 20.0 * hand.logit(row))) < 1e-9
    assert fitted.coef[0] != both.coef[0] and fitted.coef[-1] == both.coef[-1]  # the fitted model is not changed


def test_the_reranker_prefers_the_passage_that_answers_in_the_questions_words():
    cands = [_candidate(SCATTERED, 0.85, 0.03), _candidate(COPIED, 0.85, 0.03)]
    rows = passage_features(QUESTION, cands, TermWeights({}, 10))
    model = LinearModel.load(RERANK_MODEL)
    assert model.logit(rows[1]) > model.logit(rows[0])


# One passage answers the question in one sentence among others about something else; the other
# passage only shares its topic.
UNIT_QUESTION = "Hur lång tid tar det att få ett beslut om uppehållstillstånd?"
ANSWERING = (
    "Kontoret har öppet vardagar mellan nio och tre. Parkering finns vid entrén.\n\n"
    "Det tar oftast tre till sex månader att få ett beslut om uppehållstillstånd. "
    "Broschyrer finns på flera språk."
)
TOPICAL = "Uppehållstillstånd kan sökas av många. Migrationsverket prövar varje ansökan för sig."


def test_the_best_unit_cosine_is_that_of_the_passages_closest_sentence(e5):
    from assistant.answer.units import UnitScorer

    scorer = UnitScorer(e5, 0.8)
    query_vec = scorer.query_vector(UNIT_QUESTION)
    cands = [_candidate(ANSWERING, 0.8, 0.03), _candidate(TOPICAL, 0.8, 0.03)]
    fill_dense(cands, scorer, query_vec)
    units = scorer.unit_texts(ANSWERING)
    assert len(units) == 4  # sentence by sentence, headings left out
    assert cands[0].unit_dense == pytest.approx(max(cosines(e5.embed_documents(units), query_vec)), abs=1e-6)
    assert cands[0].unit_dense > cands[1].unit_dense
    rows = passage_features(UNIT_QUESTION, cands, TermWeights({}, 10))
    assert rows[0]["unit_dense_gap"] == 0.0 and rows[1]["unit_dense_gap"] < 0.0


def test_without_units_the_best_unit_cosine_is_the_passages_own(e5):
    cands = [_candidate(ANSWERING, 0.7, 0.03)]
    fill_unit_dense(cands, DenseScorer(e5), DenseScorer(e5).query_vector(UNIT_QUESTION))
    assert cands[0].unit_dense == 0.7  # the retrieval layer's scorer knows no units

"""The component factory: every part is chosen by Settings, and the tuned numbers reach the parts."""

from __future__ import annotations

import pytest

from assistant.answer.rewrite import LLMRewriter, RuleRewriter
from assistant.answer.units import UnitScorer
from assistant.components import build_composer, build_reranker, build_rewriter
from assistant.retrieval.rerank import FeatureReranker, NoReranker
from assistant.settings import Settings


def test_tuned_numbers_come_from_settings(tmp_path, e5, monkeypatch):
    monkeypatch.setenv("KOMMUNSTOD_RERANK_WEIGHTS", "[1, 0, 0, 0, 0]")
    settings = Settings(home=tmp_path, rerank="features", composer_margin=0.2, unit_dense_weight=0.5)
    scorer = UnitScorer(e5, settings.unit_dense_weight)
    reranker = build_reranker(settings, scorer, None)
    assert isinstance(reranker, FeatureReranker) and tuple(reranker.model.coef) == (1, 0, 0, 0, 0)
    assert build_composer(settings, scorer, None).margin == 0.2


def test_parts_are_chosen_by_settings(tmp_path):
    assert isinstance(build_reranker(Settings(home=tmp_path, rerank="none"), None, None), NoReranker)
    with pytest.raises(ValueError, match="CROSS_ENCODER_MODEL"):
        build_reranker(Settings(home=tmp_path, rerank="cross-encoder"), None, None)
    assert isinstance(build_rewriter(Settings(home=tmp_path)), RuleRewriter)
    endpoint = Settings(home=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    rewriter = build_rewriter(endpoint)
    assert isinstance(rewriter, LLMRewriter) and rewriter.llm.model_name == "m"

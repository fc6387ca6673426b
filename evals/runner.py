"""Run an eval set against one or more configurations through AssistantService, the same API a user
calls, and write results.jsonl and summary.json.

Each configuration is the base Settings plus overrides. Its corpus is ingested into a store of its
own under <home>/evals/stores/<hash of corpus, chunking and embedder>, so configurations that
differ only in retrieval share one store and a repeated run re-embeds nothing.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.domain import QuestionError
from assistant.service import AssistantService
from assistant.settings import Settings
from evals.judge import Judge, judge_records, judge_summary
from evals.metrics import aggregate, group_by, score_item
from evals.runs import SYSTEM
from evals.sets import REPO_ROOT, EvalItem, EvalSet
from evals.thresholds import gate, thresholds_for

# The baselines the report sets beside the system; each applies on top of the run's own overrides.
BASELINES: dict[str, dict[str, Any]] = {
    # The usual tutorial recipe: LangChain's RecursiveCharacterTextSplitter, plain dense search.
    "tutorial": {
        "chunker": "recursive",
        "chunk_size": 1000,
        "chunk_overlap": 200,
        "retrieval": "dense",
        "rerank": "none",
        "max_per_document": 50,
    },
    "bm25": {"retrieval": "lexical"},
    "dense": {"retrieval": "dense"},
}
RANKING_K = 10  # retrieval metrics go to @10
_SECRETS = {"llm_api_key", "admin_token", "read_token"}

Progress = Callable[[str, int, int], None]


class RunError(ValueError):
    """The run could not be made (e.g. the corpus failed to ingest)."""


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """["top_k=5", "retrieval=dense"] → {"top_k": "5", "retrieval": "dense"}; Settings converts the types."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--config väntar sig nyckel=värde, fick {pair!r}")
        out[key.strip()] = value.strip()
    return out


def corpus_hash(corpus: Path) -> str:
    """Names the corpus content: every file's path and bytes."""
    digest = hashlib.sha256()
    for file in sorted(p for p in corpus.rglob("*") if p.is_file()):
        digest.update(file.relative_to(corpus).as_posix().encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()[:16]


def documents_hash(settings: Settings) -> str:
    """Names the documents of a data home: their sources and chunk counts."""
    docs = AssistantService(settings).documents()
    listing = "|".join(f"{d['source']}:{d['chunks']}" for d in docs)
    return hashlib.sha256(listing.encode()).hexdigest()[:16]


def git_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or "okänd"
    return commit + ("+ändrad" if git("status", "--porcelain", "--untracked-files=no") else "")


def store_key(settings: Settings, corpus: Path) -> str:
    key = [str(corpus.resolve()), settings.chunking_id, settings.embedder, settings.embedder_model]
    key += [settings.query_prefix, settings.passage_prefix]
    return hashlib.sha256("|".join(key).encode()).hexdigest()[:12]


def config_settings(base: Settings, overrides: dict[str, Any], corpus: Path | None) -> Settings:
    """The base settings with overrides, pointed at the eval store for this corpus and chunking.
    Always an embedded Chroma, so an eval run never writes into a shared Chroma server. Without a
    corpus the set asks the data home's own documents, as its users do, and nothing is ingested."""
    fields = base.model_dump() | overrides
    probe = Settings(**fields)  # validates the overrides before the store key is taken from them
    if corpus is None:
        return probe
    home = base.home / "evals" / "stores" / store_key(probe, corpus)
    return Settings(**(fields | {"home": home, "chroma": "", "collection": "kommunstod"}))


def describe(settings: Settings, overrides: dict[str, Any]) -> dict[str, Any]:
    """The configuration as summary.json records it (no secrets)."""
    values = settings.model_dump(mode="json", exclude=_SECRETS)
    return {
        "overrides": overrides,
        "embedder": f"{settings.embedder}:{settings.embedder_model}",
        "chunking": settings.chunking_id,
        "retrieval": settings.retrieval,
        "k": settings.top_k,
        "settings": values,
    }


def _refusal(message: str) -> dict[str, Any]:
    # QuestionError is the service declining the question as asked: for the evals, a refusal.
    return {"answer": message, "refused": True, "citations": [], "retrieved": [], "timings_ms": {}}


def ask_item(service: AssistantService, item: EvalItem) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    try:
        response = service.ask(item.question, history=item.history).to_json()
    except QuestionError as exc:
        response = _refusal(str(exc))
    except Exception as exc:  # one broken item must not end the run; it fails and is reported
        response = {"error": f"{type(exc).__name__}: {exc}"}
    return response, round((time.perf_counter() - start) * 1000, 1)


def ranking(service: AssistantService, item: EvalItem, response: dict[str, Any]) -> list[dict[str, Any]]:
    """The top RANKING_K passages for the question as the chain understood it (follow-ups rewritten)."""
    query = response.get("standalone_question") or item.question
    try:
        return [h.to_json() for h in service.search(query, k=RANKING_K)]
    except QuestionError:
        return []


def run_config(
    eval_set: EvalSet, settings: Settings, label: str, progress: Progress | None = None
) -> list[dict[str, Any]]:
    service = AssistantService(settings)
    if progress:
        progress(label, 0, len(eval_set.items))  # 0 done: the corpus is being read in
    if eval_set.corpus is not None:
        report = service.ingest_paths([str(eval_set.corpus)])
        if report.failed:
            names = ", ".join(f["source"] for f in report.failed)
            raise RunError(f"{label}: kunde inte läsa in {names} från {eval_set.corpus}")
    embed = service.store.embeddings.embed_documents
    records = []
    for n, item in enumerate(eval_set.items, 1):
        response, wall_ms = ask_item(service, item)
        ranked = ranking(service, item, response) if "error" not in response else []
        records.append(
            {
                "config": label,
                "id": item.id,
                "item": item.to_json(),
                "response": response,
                "ranking": ranked,
                "wall_ms": wall_ms,
                "scores": score_item(item, response, ranked, embed),
            }
        )
        if progress:
            progress(label, n, len(eval_set.items))
    return records


def print_progress(label: str, done: int, total: int) -> None:
    if done == 0:
        print(f"  {label}: läser in dokumenten (bara nya och ändrade) …", file=sys.stderr)
    elif done == total or done % 10 == 0:
        print(f"  {label}: {done}/{total}", file=sys.stderr)


def summarize(
    eval_set: EvalSet,
    configs: dict[str, dict[str, Any]],
    records: list[dict[str, Any]],
    baseline: dict[str, Any] | None = None,
    documents_hash: str = "",
) -> dict[str, Any]:
    """summary.json; `baseline` is the system figures of an earlier run to gate regressions against;
    `documents_hash` names the data home's documents for a set without a corpus of its own."""
    by_config = {label: [r for r in records if r["config"] == label] for label in configs}
    limits = thresholds_for(eval_set.name)
    metrics = {label: aggregate(rows) for label, rows in by_config.items()}
    return {
        "set": {
            "name": eval_set.name,
            "description": eval_set.description,
            "path": str(eval_set.path),
            "items": len(eval_set.items),
            "corpus": str(eval_set.corpus) if eval_set.corpus else "datahemmets inlästa dokument",
            "corpus_hash": corpus_hash(eval_set.corpus) if eval_set.corpus else documents_hash,
        },
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "configs": configs,
        "thresholds": limits,
        "metrics": metrics,
        "by_category": {label: group_by(rows, lambda i: [i["category"]]) for label, rows in by_config.items()},
        "by_tag": {label: group_by(rows, lambda i: i["tags"]) for label, rows in by_config.items()},
        "gate": gate(metrics[SYSTEM], limits, baseline),
    }


def run_set(
    eval_set: EvalSet,
    base: Settings,
    overrides: dict[str, Any],
    baselines: bool = False,
    baseline: dict[str, Any] | None = None,
    progress: Progress | None = print_progress,
    judge: Judge | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Runs the system (and, with `baselines`, the baseline configurations) on the set; `baseline`
    is an earlier run's system figures to gate regressions against; a `judge` grades the system's
    answers (advisory, outside the gate). Returns summary and records."""
    wanted = {SYSTEM: overrides} | ({name: overrides | extra for name, extra in BASELINES.items()} if baselines else {})
    if eval_set.corpus is None:  # the home's store is chunked one way: only baselines that search it differently
        wanted = {k: v for k, v in wanted.items() if not {"chunker", "chunk_size", "chunk_overlap"} & set(v)}
    configs: dict[str, dict[str, Any]] = {}
    records: list[dict[str, Any]] = []
    for label, extra in wanted.items():
        settings = config_settings(base, extra, eval_set.corpus)
        configs[label] = describe(settings, extra)
        records += run_config(eval_set, settings, label, progress)
    summary = summarize(eval_set, configs, records, baseline, "" if eval_set.corpus else documents_hash(base))
    if judge is not None:
        judge_records(judge, records, SYSTEM)
        summary["judge"] = judge_summary(records, SYSTEM, judge.model)
    return summary, records

"""`kommunstod ingest PATH_OR_URL... [--prune] [--json] [--status] [--from-manifest FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

import yaml

from assistant.answer.units import warm_units
from assistant.components import build_chunker, build_limits, build_store
from assistant.settings import Settings
from ingest.pipeline import ingest


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ingest", parents=[common], help="läs in dokument (filer, mappar, URL:er)")
    p.add_argument("paths", nargs="*", metavar="PATH_OR_URL", help="filer, mappar eller http(s)-adresser")
    p.add_argument("--prune", action="store_true", help="ta bort dokument som inte längre finns i mapparna")
    p.add_argument("--json", action="store_true", help="skriv en JSON-sammanfattning")
    p.add_argument("--status", action="store_true", help="lista det som är lagrat")
    p.add_argument("--from-manifest", metavar="FILE", help="hämta och läs in dokumenten i en sources.yaml")
    p.set_defaults(run=run)


def manifest_entries(path: Path) -> dict[str, dict]:
    """URL → metadata (title, publisher, doc_type, …) from a sources.yaml manifest."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = {}
    for doc in data.get("documents", []):
        if not isinstance(doc, dict) or not str(doc.get("url", "")).startswith(("http://", "https://")):
            raise ValueError(f"{path}: every document needs an http(s) 'url'")
        meta = {k: str(v) for k, v in doc.items() if k != "url" and v is not None}
        entries[doc["url"]] = meta
    return entries


def _status(settings: Settings, as_json: bool) -> int:
    docs = sorted(build_store(settings).documents().values(), key=lambda d: d.source)
    if as_json:
        rows = [
            {"source": d.source, "title": d.metadata.get("title"), "chunks": d.chunks, "complete": d.complete}
            for d in docs
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        mark = "" if d.complete else "  (ofullständigt – läs in igen)"
        print(f"{d.chunks:5d}  {d.source}  {d.metadata.get('title', '')}{mark}")
    print(f"{len(docs)} dokument, {sum(d.chunks for d in docs)} avsnitt i {settings.home}")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.status:
        return _status(settings, args.json)
    overrides = manifest_entries(Path(args.from_manifest)) if args.from_manifest else {}
    items = list(args.paths) + list(overrides)
    if not items:
        print("Ange minst en fil, mapp eller URL (eller --from-manifest).", file=sys.stderr)
        return 2
    store = build_store(settings)
    report = ingest(
        items,
        store,
        build_chunker(settings),
        settings.chunking_id,
        prune=args.prune,
        progress=not args.json,
        overrides=overrides,
        limits=build_limits(settings),
        after_store=partial(warm_units, store.embeddings),
    )
    summary = report.as_json() | {"embedded": store.embeddings.computed}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            f"{report.documents} dokument och {report.chunks} avsnitt lagrade. Nya: {report.added}, "
            f"ändrade: {report.updated}, oförändrade: {report.unchanged}, borttagna: {report.deleted}, "
            f"nya inbäddningar: {summary['embedded']}."
        )
        for fail in report.failed:
            print(f"MISSLYCKADES {fail['source']}: {fail['error']}", file=sys.stderr)
    return 1 if report.failed else 0

"""`kommunstod search QUERY [--k 5] [--json] [--filter key=value ...]`: hybrid search over the passages."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.domain import QuestionError, page_text
from assistant.retrieval.filters import parse_filter_args
from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.chunk import page_details


def add_filter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NYCKEL=VÄRDE",
        help="doc_type, publisher, region, municipality, year_from, year_to, examples_only, sources",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common], help="sök bland de inlästa avsnitten")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--k", type=int, default=5, help="antal träffar (standard 5)")
    p.add_argument("--json", action="store_true", help="skriv träffarna som JSON")
    add_filter_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        hits = AssistantService(settings).search(args.query, max(1, args.k), parse_filter_args(args.filter))
    except QuestionError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Inga träffar. Är några dokument inlästa? (kommunstod ingest MAPP)")
    for rank, hit in enumerate(hits, 1):
        where = " · ".join(x for x in (hit.section, page_text(hit.page, *page_details(hit.metadata, hit.page))) if x)
        print(f"{rank}. {hit.title} ({hit.source}) {where}  [{hit.score:.3f}]")
        print("   " + hit.text[:200].replace("\n", " ") + ("…" if len(hit.text) > 200 else ""))
    return 0

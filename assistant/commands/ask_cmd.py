"""`kommunstod ask QUESTION [--json] [--filter key=value ...]` and `kommunstod chat`."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.commands.search_cmd import add_filter_option
from assistant.domain import Answer, QuestionError, page_text
from assistant.retrieval.filters import parse_filter_args
from assistant.service import AssistantService
from assistant.settings import Settings


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ask", parents=[common], help="ställ en fråga och få ett svar med källor")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("--json", action="store_true", help="skriv svaret som JSON")
    add_filter_option(p)
    p.set_defaults(run=run_ask)
    c = sub.add_parser("chat", parents=[common], help="samtal i terminalen, med följdfrågor")
    add_filter_option(c)
    c.set_defaults(run=run_chat)


def render(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("\nKällor:")
        for c in answer.citations:
            where = ", ".join(x for x in (c.section, page_text(c.page, c.page_label, c.ocr)) if x)
            link = f" – {c.source_url}" if c.source_url else ""
            lines.append(f"[{c.n}] {c.title} ({c.source}){', ' + where if where else ''}{link}")
    return "\n".join(lines)


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    try:
        answer = AssistantService(settings).ask(args.question, [], parse_filter_args(args.filter))
    except QuestionError as exc:
        if args.json:
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        else:
            print(exc, file=sys.stderr)
        return 2
    print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) if args.json else render(answer))
    return 0


def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    service = AssistantService(settings)
    filters = parse_filter_args(args.filter)
    history: list[dict[str, str]] = []
    print("Kommunstöd – ställ en fråga om miljömål och Agenda 2030. Avsluta med tom rad eller Ctrl-D.")
    while True:
        try:
            question = input("\nDu: ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        try:
            answer = service.ask(question, history, filters)
        except QuestionError as exc:
            print(exc)
            continue
        print("\n" + render(answer))
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]

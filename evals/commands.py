"""`kommunstod eval SET.yaml`, `kommunstod eval-compare A B` and `kommunstod eval-draft DOCS...`
(registered as a `kommunstod.commands` entry point)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from assistant.settings import Settings

# The summary lines printed after a run; the report has everything.
_HEADLINE = [
    "pass_rate",
    "hit@5",
    "mrr@10",
    "citation_validity",
    "key_fact_recall",
    "chrf",
    "false_refusal",
    "correct_refusal",
]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("eval", parents=[common], help="utvärdera svaren mot en frågesamling")
    p.add_argument("set", metavar="SET.yaml", help="frågesamling (t.ex. evals/sets/sample.yaml)")
    p.add_argument("--out", help="mapp för resultatet (standard: <datahem>/evals/runs/<samling>-<tid>)")
    p.add_argument("--baseline", metavar="DIR", help="tidigare körning att jämföra med; försämring underkänner")
    p.add_argument("--baselines", action="store_true", help="kör också baslinjerna tutorial, bm25 och dense")
    p.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="NYCKEL=VÄRDE",
        help="ändra en inställning för körningen, t.ex. retrieval=dense (kan upprepas)",
    )
    p.set_defaults(run=run_eval)

    c = sub.add_parser("eval-compare", parents=[common], help="jämför två utvärderingskörningar")
    c.add_argument("a", metavar="A", help="körningsmapp (före)")
    c.add_argument("b", metavar="B", help="körningsmapp (efter)")
    c.add_argument("--out", help="mapp för compare.html (standard: B)")
    c.set_defaults(run=run_compare)

    d = sub.add_parser("eval-draft", parents=[common], help="föreslå frågor ur dokument, för granskning")
    d.add_argument("docs", nargs="+", metavar="DOC", help="filer, mappar eller http(s)-adresser")
    d.add_argument("--out", metavar="FILE", help="YAML-fil att skriva (standard: skriv ut)")
    d.add_argument("--per-doc", type=int, default=10, help="högst så många frågor per dokument (standard 10)")
    d.add_argument("--name", default="utkast", help="samlingens namn")
    d.set_defaults(run=run_draft)


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.compare import compare, render_html
    from evals.report import write_report
    from evals.runner import parse_overrides, run_set
    from evals.runs import SYSTEM, load_run, write_run
    from evals.sets import load_set

    eval_set = load_set(args.set)
    before = load_run(Path(args.baseline)) if args.baseline else None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(args.out) if args.out else settings.home / "evals" / "runs" / f"{eval_set.name}-{stamp}"
    print(f"Utvärderar {eval_set.name} ({len(eval_set.items)} frågor) …", file=sys.stderr)
    summary, records = run_set(
        eval_set,
        settings,
        parse_overrides(args.config),
        baselines=args.baselines,
        baseline=before[0]["metrics"][SYSTEM] if before else None,
    )
    write_run(out, summary, records)
    report = write_report(out, summary, records)
    if before:
        (out / "compare.html").write_text(render_html(compare(before, (summary, records))), encoding="utf-8")

    labels = list(summary["metrics"])
    print(f"{'':20}" + "".join(f"{label:>10}" for label in labels))
    for key in _HEADLINE:
        values = [summary["metrics"][label].get(key) for label in labels]
        print(f"{key:20}" + "".join(f"{'–' if v is None else f'{v:.3f}':>10}" for v in values))
    gate = summary["gate"]
    for failure in gate["failures"]:
        print(f"UNDERKÄNT: {failure}", file=sys.stderr)
    print(f"{'Godkänd' if gate['passed'] else 'Underkänd'}. Rapport: {report}")
    return 0 if gate["passed"] else 1


def run_compare(args: argparse.Namespace, settings: Settings) -> int:
    from evals.compare import compare_dirs, render_html, render_text

    result = compare_dirs(Path(args.a), Path(args.b))
    print(render_text(result))
    out = Path(args.out) if args.out else Path(args.b)
    out.mkdir(parents=True, exist_ok=True)
    (out / "compare.html").write_text(render_html(result), encoding="utf-8")
    print(f"\nJämförelse: {out / 'compare.html'}")
    return 0


def run_draft(args: argparse.Namespace, settings: Settings) -> int:
    from evals.draft import draft_set

    text, problems = draft_set(args.docs, limit=args.per_doc, name=args.name)
    for problem in problems:
        print(f"OBS: {problem}", file=sys.stderr)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Utkast skrivet till {args.out}; granska det innan det används.", file=sys.stderr)
    else:
        print(text, end="")
    return 0

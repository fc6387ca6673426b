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
    p.add_argument(
        "set",
        metavar="SET",
        help="frågesamling: YAML-fil (t.ex. evals/sets/sample.yaml), namnet på en importerad samling "
        "eller SweQUAD-mappen ../shared/swequad-dev",
    )
    p.add_argument(
        "--split", choices=["gate", "fit", "all"], default="gate", help="SweQUAD: vilken del (standard gate)"
    )
    p.add_argument("--limit", type=int, help="SweQUAD: slumpa så här många frågor")
    p.add_argument("--seed", type=int, default=0, help="SweQUAD: frö för urvalet (standard 0)")
    p.add_argument("--out", help="mapp för resultatet (standard: <datahem>/evals/runs/<samling>-<tid>)")
    p.add_argument("--baseline", metavar="DIR", help="tidigare körning att jämföra med; försämring underkänner")
    p.add_argument("--baselines", action="store_true", help="kör också baslinjerna tutorial, bm25 och dense")
    p.add_argument(
        "--judge",
        action="store_true",
        help="låt språkmodellen (KOMMUNSTOD_LLM_BASE_URL) bedöma svaren; rådgivande, påverkar inte godkänt",
    )
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

    i = sub.add_parser("eval-import", parents=[common], help="importera en egen frågesamling (XLSX, CSV, YAML)")
    i.add_argument("file", metavar="FIL", help="kalkylark (.xlsx, .csv) eller YAML med frågorna")
    i.add_argument("--name", required=True, help="samlingens namn (ersätter en samling med samma namn)")
    i.set_defaults(run=run_import)

    t = sub.add_parser("eval-template", parents=[common], help="skriv en mall för egna frågor")
    t.add_argument("out", metavar="FIL", help="mall.xlsx eller mall.csv")
    t.set_defaults(run=run_template)

    d = sub.add_parser("eval-draft", parents=[common], help="föreslå frågor ur dokument, för granskning")
    d.add_argument("docs", nargs="+", metavar="DOC", help="filer, mappar eller http(s)-adresser")
    d.add_argument("--out", metavar="FILE", help="YAML-fil att skriva (standard: skriv ut)")
    d.add_argument("--per-doc", type=int, default=10, help="högst så många frågor per dokument (standard 10)")
    d.add_argument("--name", default="utkast", help="samlingens namn")
    d.set_defaults(run=run_draft)


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.compare import compare, render_html
    from evals.judge import Judge
    from evals.report import write_report
    from evals.runner import parse_overrides, run_set
    from evals.runs import SYSTEM, load_run, write_run
    from evals.sources import load_any

    eval_set = load_any(args.set, settings, split=args.split, limit=args.limit, seed=args.seed)
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
        judge=Judge.from_settings(settings) if args.judge else None,
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
    if summary.get("judge"):
        j = summary["judge"]
        print(f"Domaren ({j['model']}, rådgivande): korrekt {j['correct']}, trogen {j['faithful']}, fel {j['errors']}")
    gate = summary["gate"]
    for failure in gate["failures"]:
        print(f"UNDERKÄNT: {failure}", file=sys.stderr)
    print(f"{'Godkänd' if gate['passed'] else 'Underkänd'}. Rapport: {report}")
    return 0 if gate["passed"] else 1


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.service import AssistantService
    from evals.home_sets import import_file, load_home_set
    from evals.spreadsheet import ImportProblems

    path = Path(args.file)
    known = {d["source"] for d in AssistantService(settings).documents()}
    try:
        written = import_file(settings, path.name, path.read_bytes(), args.name, known or None)
    except ImportProblems as exc:
        print(f"Inget importerades; rätta {len(exc.problems)} fel:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{path}: kan inte läsas: {exc.strerror or exc}", file=sys.stderr)
        return 1
    count = len(load_home_set(settings, written.stem).items)
    print(f"Importerade {count} frågor till {written.stem} ({written}). Kör: kommunstod eval {written.stem}")
    return 0


def run_template(args: argparse.Namespace, settings: Settings) -> int:
    from evals.spreadsheet import template_csv, template_xlsx

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        print("Mallen skrivs som .xlsx eller .csv.", file=sys.stderr)
        return 2
    out.write_bytes(template_xlsx() if out.suffix.lower() == ".xlsx" else template_csv())
    print(f"Mall skriven till {out}")
    return 0


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

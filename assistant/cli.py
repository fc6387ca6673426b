"""The `kommunstod` command: one subcommand per job, each in its own module under assistant.commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from assistant import plugins
from assistant.commands import COMMANDS
from assistant.settings import Settings, load_settings
from ingest.store import StoreError


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(home=getattr(args, "home", None))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kommunstod",
        description="Kommunstöd: svar om lokalt arbete med miljömål och Agenda 2030, med källor.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", help="datahem (standard: KOMMUNSTOD_HOME eller ./data)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for module in [*COMMANDS, *plugins.load(plugins.COMMANDS)]:
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args, settings_from(args)) or 0)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        print(f"Fel i inställningarna: {problems}", file=sys.stderr)
    except (StoreError, ValueError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())

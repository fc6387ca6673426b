"""Subcommands of `kommunstod`; each module has register(subparsers, common_parent). Commands of
other packages (the evals) come through the `kommunstod.commands` entry points."""

from assistant.commands import ask_cmd, ingest_cmd, search_cmd, serve_cmd

COMMANDS = [ingest_cmd, search_cmd, ask_cmd, serve_cmd]

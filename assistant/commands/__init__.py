"""Subcommands of `kommunstod`; each module has register(subparsers, common_parent)."""

from assistant.commands import ask_cmd, eval_cmd, ingest_cmd, search_cmd, serve_cmd

COMMANDS = [ingest_cmd, search_cmd, ask_cmd, serve_cmd, eval_cmd]

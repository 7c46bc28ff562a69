"""The full argument parser: every command's options, from the command modules' tables."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tui import __version__
from tui.cli import (
    cmd_accounts,
    cmd_completion,
    cmd_entries,
    cmd_front,
    cmd_read,
    cmd_refresh,
    cmd_rules,
    cmd_sources,
)
from tui.services.context import Context

Runner = Callable[[Context, argparse.Namespace], int]
Command = tuple[Callable[[argparse.ArgumentParser], None], Runner, str]
COMMANDS: dict[str, Command] = {
    **cmd_sources.COMMANDS,
    **cmd_entries.COMMANDS,
    **cmd_front.COMMANDS,
    **cmd_refresh.COMMANDS,
    **cmd_read.COMMANDS,
    **cmd_rules.COMMANDS,
    **cmd_accounts.COMMANDS,
    **cmd_completion.COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="A keyboard-driven terminal headline browser. "
        "With no command, opens the reader on the local cache.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="cache directory (env NEWSDESK_DATA_DIR)")
    parser.add_argument("--config", metavar="FILE", help="config file (env NEWSDESK_CONFIG)")
    parser.add_argument("--offline", action="store_true", help="reader: make no network request")
    parser.add_argument(
        "--demo", action="store_true", help="reader: open bundled demo feeds in a throwaway cache"
    )
    parser.set_defaults(root_parser=parser)  # for `completion`
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (setup, _run, help_text) in COMMANDS.items():
        setup(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse `argv`; an unknown option is reported with the usage of the command it was given
    to (argparse alone shows the top-level usage), and exits with status 2 like every usage
    error."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        owner = subparsers.choices.get(args.command or "", parser)
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args

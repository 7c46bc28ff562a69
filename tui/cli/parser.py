"""The full argument parser: every command's options, from the command modules' tables."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn

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


class Parser(argparse.ArgumentParser):
    """Reports an unknown option before a missing argument: `search -x` is told about `-x`,
    not that the query is missing (argparse checks required arguments first)."""

    argv: list[str] = []

    def error(self, message: str) -> NoReturn:
        if message.startswith("the following arguments are required"):
            name = self.prog.split()[-1]  # what follows this command's name is its own
            mine = Parser.argv[Parser.argv.index(name) + 1 :] if name in Parser.argv else []
            unknown = [a for a in mine if a.startswith("-") and a != "-" and
                       a.split("=")[0] not in self._option_string_actions]  # fmt: skip
            if unknown:
                message = f"unrecognized arguments: {' '.join(unknown)}"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    parser.add_argument(
        "--images",
        choices=("off", "auto", "halfblock", "kitty", "sixel"),
        help="reader: how to draw pictures (default: the config's images, else auto)",
    )
    parser.set_defaults(root_parser=parser)  # for `completion`
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (setup, _run, help_text) in COMMANDS.items():
        setup(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse `argv`; an unknown option is reported with the usage of the command it was given
    to (argparse alone shows the top-level usage), and exits with status 2 like every usage
    error."""
    Parser.argv = argv
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        owner = subparsers.choices.get(args.command or "", parser)
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args

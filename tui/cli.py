"""The `newsdesk` command line. Thin: parses arguments, calls the core, prints.

With no command it opens the reader (the only path that imports Textual).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui import __version__
from tui.commands import COMMANDS, Context, UsageError
from tui.config import ConfigError
from tui.store import StoreError


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (setup, _run, help_text) in COMMANDS.items():
        setup(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(data_dir=args.data_dir, config_file=args.config)
    try:
        if args.command is None:
            return _run_reader(ctx, args)
        _setup, run, _help = COMMANDS[args.command]
        return run(ctx, args)
    except UsageError as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 2
    except (StoreError, ConfigError) as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        ctx.close()


def _run_reader(ctx: Context, args: argparse.Namespace) -> int:
    if args.demo:
        import tempfile

        from tui.demo import prepare_demo

        tmp = tempfile.TemporaryDirectory(prefix="newsdesk-demo-")
        ctx = Context(data_dir=Path(tmp.name), config_file=ctx.config_file)
        prepare_demo(ctx.store())
        offline = True
    else:
        offline = args.offline
    from tui.ui.app import run_app  # Textual is imported only here

    return run_app(ctx, offline=offline, demo=args.demo)

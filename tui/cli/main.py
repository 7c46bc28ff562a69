"""The `newsdesk` command line. Thin: parses arguments, calls the core, prints.

With no command it opens the reader (the only path that imports Textual).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from tui.cli.output import Failure, UsageError
from tui.services.context import Context
from tui.settings.config import ConfigError
from tui.store import StoreError
from tui.textclean import clean_line

if TYPE_CHECKING:  # argparse is imported only when a command is given
    import argparse
    import tempfile

    from tui.pictures.terminal import Choice

READER_FLAGS = {"--offline": "offline", "--demo": "demo"}
READER_OPTIONS = {"--data-dir": "data_dir", "--config": "config", "--images": "images"}
IMAGE_SETTINGS = ("off", "auto", "halfblock", "kitty", "sixel")


def reader_args(argv: list[str]) -> SimpleNamespace | None:
    """The reader's arguments when `argv` holds only reader options, else None (then the full
    parser runs). Building the full parser imports every command module: ~20 ms of start-up."""
    args = SimpleNamespace(
        command=None, offline=False, demo=False, data_dir=None, config=None, images=None
    )
    items = iter(argv)
    for item in items:
        name, eq, value = item.partition("=")
        if not eq and item in READER_FLAGS:
            setattr(args, READER_FLAGS[item], True)
        elif name in READER_OPTIONS:
            given = value if eq else next(items, None)
            if not given or (not eq and given.startswith("-")):
                return None
            if name == "--images" and given not in IMAGE_SETTINGS:
                return None  # the full parser says what is allowed
            setattr(args, READER_OPTIONS[name], given)
        else:
            return None
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args: SimpleNamespace | argparse.Namespace | None = reader_args(argv)
    if args is None:
        from tui.cli.parser import parse_args

        args = parse_args(argv)
    ctx = Context(data_dir=args.data_dir, config_file=args.config)
    try:
        _check_named_config(args)
        if isinstance(args, SimpleNamespace) or args.command is None:
            return _run_reader(ctx, args)
        from tui.cli.output import clean_output
        from tui.cli.parser import COMMANDS

        _setup, run, _help = COMMANDS[args.command]
        with clean_output():
            return run(ctx, args)
    except UsageError as exc:
        print(f"newsdesk: {clean_line(str(exc), 2000)}", file=sys.stderr)
        return 2
    except (Failure, StoreError, ConfigError) as exc:
        print(f"newsdesk: {clean_line(str(exc), 2000)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        ctx.close()


def _check_named_config(args: SimpleNamespace | argparse.Namespace) -> None:
    """A config file named with --config must exist (a typo would run on defaults unnoticed),
    unless the command writes it (`rules add`, `account add` create it)."""
    if not args.config or Path(args.config).expanduser().exists():
        return
    action = getattr(args, "rules_command", None) or getattr(args, "account_command", None)
    if action == "add":
        return
    raise Failure(f"no config file at {args.config} (create it, or drop --config)")


def demo_context() -> tuple[Context, tempfile.TemporaryDirectory[str]]:
    """A throwaway cache and config for `--demo`: the user's own config (saved views, theme,
    keys) is neither shown nor written. Returns the context and the TemporaryDirectory that
    holds them (deleted when it is garbage-collected)."""
    import tempfile

    from tui.services.demo import prepare_demo

    tmp = tempfile.TemporaryDirectory(prefix="newsdesk-demo-")
    ctx = Context(data_dir=Path(tmp.name), config_file=Path(tmp.name) / "config.toml")
    prepare_demo(ctx.store())
    return ctx, tmp


def _run_reader(ctx: Context, args: SimpleNamespace | argparse.Namespace) -> int:
    ctx.print_warnings = False  # the reader shows config warnings itself
    if args.demo:
        ctx, _tmp = demo_context()  # _tmp: the directory lives as long as the reader
        ctx.print_warnings = False
        offline = True
    else:
        offline = args.offline
    import gc

    from tui.store.rows import FirstPage

    # no collections while start-up allocates: the app freezes what it built and re-enables
    # the collector once the sources are in (or a start-up worker failed)
    gc.disable()
    from tui.services.listing import listing_for

    # reads the cache while Textual is imported, shaped as the list will show it
    first = FirstPage(ctx, shape=lambda view: listing_for(view, ctx.config()))
    images = _pictures(getattr(args, "images", None) or ctx.config().images)
    from tui.ui.app import run_app  # Textual is imported only here

    first.wait()
    return run_app(ctx, offline=offline, demo=args.demo, first_page=first, images=images)


def _pictures(setting: str) -> Choice:
    """Ask the terminal what it draws pictures with, before Textual takes it over (its
    answers would arrive as keys). Kitty's placeholders name their picture by a 24-bit
    colour, so Textual must not round colours to 256 then."""
    import os

    from tui.services.pictures import detect_terminal

    choice = detect_terminal(setting)
    if choice.mode == "kitty":
        os.environ["COLORTERM"] = "truecolor"
    return choice

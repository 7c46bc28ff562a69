"""The front page outside the reader: `brief` (for cron, mail or a file) and `unread` (for
status lines). Neither imports Textual or trafilatura: both run from cron and tmux every minute."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.output import Failure, UsageError, plural, print_json
from tui.services.context import Context
from tui.textclean import clean_line

if TYPE_CHECKING:
    from tui.services.notify import Notice

FORMATS = ("text", "markdown", "html", "json")


def setup_brief(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="AGE", help="the window: 12h, 2d… (default front_hours)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N stories (20)")
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), markdown…")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument(
        "--mark-read", action="store_true", help="mark the stories listed read (never by default)"
    )


def run_brief(ctx: Context, args: argparse.Namespace) -> int:
    from tui.cli.cmd_entries import parse_age
    from tui.services.front import front_page, mark_read

    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    hours = parse_age(args.since) / 3600 if args.since else None
    if hours is not None and hours <= 0:
        raise UsageError("--since must be more than 0")
    store = ctx.store()
    page = front_page(store, ctx.config(), hours=hours, limit=args.limit)
    text = _render(page, "json" if args.json else args.format)
    if args.output:
        _write(Path(args.output), text)
    else:
        sys.stdout.write(text)
    if args.mark_read:
        n = mark_read(store, page)
        print(f"marked {plural(n, 'entry', 'entries')} read", file=sys.stderr)
    return 0


def _render(page: object, fmt: str) -> str:
    from tui.services import brief
    from tui.services.front import FrontPage

    assert isinstance(page, FrontPage)
    if fmt == "json":
        import json

        return json.dumps(brief.to_json(page), indent=2, ensure_ascii=True) + "\n"
    if fmt == "markdown":
        return brief.to_markdown(page)
    if fmt == "html":
        from tui.services.brief_html import to_html

        return to_html(page)
    return brief.to_text(page)


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a cron job's mail or web page never holds half a brief."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise Failure(f"cannot write {path}: {exc.strerror or exc}") from None


def setup_unread(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="the total and each source's count")


def run_unread(ctx: Context, args: argparse.Namespace) -> int:
    from tui.store.front import unread_by_source

    if not ctx.db_exists():  # a status line before the first refresh: 0, and no cache made
        print_json({"unread": 0, "sources": []}) if args.json else print(0)
        return 0
    rows = unread_by_source(ctx.store())
    total = sum(r.unread for r in rows)
    if not args.json:
        print(total)
        return 0
    sources = [
        {"url": clean_line(r.url, 8192), "title": clean_line(r.title, 300), "unread": r.unread}
        for r in rows
    ]
    print_json({"unread": total, "sources": sources})
    return 0


def tell_terminal(notice: Notice | None) -> bool:
    """Write the notice's OSC sequence to the controlling terminal (not to stdout, which may be
    a pipe or a file, and whose guard strips escapes). False when there is no terminal (cron)."""
    if notice is None:
        return False
    try:
        fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        os.write(fd, notice.terminal_payload().encode("utf-8"))
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


COMMANDS = {
    "brief": (setup_brief, run_brief, "print the front page: the stories most sources carry"),
    "unread": (setup_unread, run_unread, "print the unread count (per source with --json)"),
}


def notified(ctx: Context, notice: Notice | None, error: str | None) -> dict[str, Any]:
    """The notification's part of the summary; with notify = "terminal" the note goes to the
    controlling terminal here (a cron run has none: nothing is written)."""
    if ctx.config().notify == "terminal":
        tell_terminal(notice)
    out: dict[str, Any] = {"notified": len(notice.entries) if notice else 0}
    if error:
        out["notify_error"] = error
    return out

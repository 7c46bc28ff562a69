"""What the CLI prints and how it fails: output helpers shared by every command.

Everything from a feed, a page or a server passes `clean_line` before it is printed.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from tui.settings.config import Config
from tui.store import EntryRow, SourceRow
from tui.textclean import clean_line, safe_url, strip_controls

if TYPE_CHECKING:  # httpx costs ~0.1 s to import: not on the reader's start path
    import httpx


class UsageError(Exception):
    """The command line is wrong (an unknown option, a malformed value): exit status 2."""


class Failure(Exception):
    """The command was understood but could not be done (no such source, entry or file; the
    network, a feed or the cache failed): exit status 1."""


def say_empty(what: str = "no matches") -> None:
    """On a terminal, an empty result says so; a pipe gets nothing (scripts count lines)."""
    import sys

    if sys.stdout.isatty():
        print(what)


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 source", "2 sources"; `many` for irregular plurals ("entry", "entries")."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


class CleanStream:
    """stdout/stderr for a command: every write loses terminal control sequences (tabs and
    newlines stay). The last guard where text leaves: each command cleans what it prints, and
    a value one of them forgets (a server's error text, an old cache's title) still cannot
    write the clipboard (OSC 52), plant a link (OSC 8) or redraw the screen."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        # a progress bar's leading carriage return is ours; anywhere else it could overwrite
        lead = "\r" if text.startswith("\r") else ""
        self._stream.write(lead + strip_controls(text[len(lead) :]))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding ...
        return getattr(self._stream, name)


@contextmanager
def clean_output() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(out), CleanStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def http_client(cfg: Config) -> httpx.AsyncClient:
    from tui.net.http import make_client

    return make_client(timeout=cfg.timeout, max_connections=cfg.concurrency * 2)


def print_json(data: Any) -> None:
    # ensure_ascii keeps any stray control character escaped in the output
    print(json.dumps(data, indent=2, ensure_ascii=True))


def source_json(row: SourceRow) -> dict[str, Any]:
    return {
        "url": clean_line(row.url, 8192),
        "title": clean_line(row.display_title, 300),
        "folder": clean_line(row.folder, 300) or None,
        "site": safe_url(row.site_link),
        "entries": row.entries,
        "unread": row.unread,
        "status": row.last_status,
        "error": clean_line(row.last_error, 300) or None,
        "warning": clean_line(row.warning, 300) or None,
        "last_fetched": iso(row.last_fetched),
    }


def entry_json(row: EntryRow) -> dict[str, Any]:
    synced = {"account": row.account} if row.account else {}
    return {
        "id": row.id,
        "source": clean_line(row.source_url, 8192),
        "source_title": clean_line(row.source_title, 300),
        "title": clean_line(row.title, 1000),
        "link": safe_url(row.link),
        "author": clean_line(row.author, 300) or None,
        "published": iso(row.published),
        "read": bool(row.read),
        "starred": bool(row.starred),
        "story": row.story,  # the id of the story's first entry; null when alone
        **synced,
    }


def print_headlines(items: list[dict[str, Any]]) -> None:
    for e in items:
        mark = "N" if not e["read"] else " "
        star = "*" if e["starred"] else " "
        when = (e["published"] or "no date")[:16].replace("T", " ")
        print(f"{mark}{star} {e['id']:>6} {when:16} {e['source_title'][:20]:20}  {e['title']}")


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
    except (OverflowError, OSError, ValueError):
        return None

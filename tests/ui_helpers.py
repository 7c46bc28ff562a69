"""Shared helpers for the Pilot tests of the reader (tests/test_ui_*.py)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from feedgen import rss

from tui.cli.main import main

NOW = time.time()


def items(server, n: int, prefix: str = "Story", start: int = 0, **extra) -> list[dict]:
    """n items, newest first; links point at the loopback server (404: nothing leaves the box)."""
    return [
        {
            "title": f"{prefix} {i}",
            "guid": f"{prefix}-{i}",
            "date": NOW - 600 * (i + start),
            "link": server.url(f"/article/{prefix}-{i}"),
            # no words shared across sources but stopwords: titles this terse borrow the
            # summary's words for story grouping, and a shared template would group them all
            "summary": f"<p>All about {prefix} {i}.</p><p>{prefix} {i} again.</p>",
            **extra,
        }
        for i in range(n)
    ]


def subscribe(server, path: str, title: str, entries: list[dict]) -> str:
    """Fill the cache through the CLI, as a user would; then forget those requests."""
    url = server.add(path, rss(title, entries))
    assert main(["add", url]) == 0
    server.requests.clear()
    return url


def db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "newsdesk.db")


def ids_newest_first(data_dir: Path) -> list[int]:
    rows = db(data_dir).execute("SELECT id FROM entries ORDER BY sort_time DESC, id DESC")
    return [r[0] for r in rows]


async def settle(app, pilot, rounds: int = 3, most: int = 200) -> None:
    """Let workers finish and their messages land (workers may start more workers): returns
    after `rounds` rounds in a row that end with no worker running. A fixed count of rounds
    was not enough on a loaded machine, where a worker a message starts may not have started
    yet when the count runs out."""
    quiet = 0
    for _ in range(most):
        await app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not w.is_finished for w in app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= rounds:
            return


def plain(widget) -> str:
    """The plain text a Static (or the line-API article body) currently shows."""
    text = getattr(widget, "plain_text", None)
    return text if text is not None else str(widget.content)

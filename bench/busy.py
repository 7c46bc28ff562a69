"""Part "busy": what the user feels while the reader works. In-process with Textual's Pilot,
as bench/interact.py: cursor moves and opens of cached articles (the Starred view, which the
refresh does not change) while the same reader refreshes 200 feeds from the loopback server
and prefetches their pages. Measures until 1,000 pages are prefetched (or the refresh ends).
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from pathlib import Path

from bench.interact import _idle, percentile


def prepare(data_dir: Path, feed_urls: list[str], cached: int, seed: int = 1) -> None:
    """10,000 entries, the newest `cached` with articles and starred, plus the feeds to fetch."""
    from bench.cache_fill import fill_newsdesk

    fill_newsdesk(data_dir, 250, 40, seed=seed, articles=cached)
    with sqlite3.connect(data_dir / "newsdesk.db") as db:
        db.execute("UPDATE entries SET starred = 1 WHERE id IN (SELECT entry_id FROM articles)")
        db.executemany("INSERT INTO sources (url, added) VALUES (?, 0)", [(u,) for u in feed_urls])
    (data_dir / "config.toml").write_text("refresh_on_start = false\n")


def loopback_ids(db: Path) -> list[int]:
    """The loopback feeds: the filled sources' example.* hosts do not resolve."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id FROM sources WHERE url LIKE 'http://127.%'").fetchall()
    return [r[0] for r in rows]


def _articles(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


async def _measure(data_dir: Path, pages: int) -> dict:
    from tui.services.context import Context
    from tui.store.views import STARRED
    from tui.ui.app import make_app

    app = make_app(Context(data_dir=data_dir, config_file=data_dir / "config.toml"))
    stamps: list[tuple[float, int | None]] = []
    cursor: list[float] = []
    opened: list[float] = []
    db = data_dir / "newsdesk.db"
    async with app.run_test(size=(120, 40)) as pilot:
        display = app._display

        def stamped(screen, renderable) -> None:
            if renderable is not None:
                stamps.append((time.perf_counter(), app.reader.article.entry_id))
            display(screen, renderable)

        app._display = stamped
        lst = app.reader.headlines
        lst.show(STARRED)
        while not (lst.count and lst.selected_id is not None):
            await pilot.pause()
        await app.workers.wait_for_complete()
        await _idle(pilot)
        before = _articles(db)
        start = time.perf_counter()
        app.reader.refresh_sources(loopback_ids(db))
        while not app.reader.refreshing:
            await pilot.pause()
        n = 0
        while app.reader.refreshing and _articles(db) - before < pages:
            n += 1
            await asyncio.sleep(0.03)  # a user's pace between keys
            if n % 5:
                key = "down" if n % 200 < 100 else "up"
                shown = await _press(app, stamps, key, lambda _shown: True)
                if shown is not None:
                    cursor.append(shown)
                continue
            target = lst.selected_id
            shown = await _press(app, stamps, "enter", lambda shown_id, t=target: shown_id == t)
            if shown is not None:
                opened.append(shown)
            lst.focus()
        seconds = time.perf_counter() - start
        prefetched = _articles(db) - before
        app.exit()
    return {"cursor": cursor, "open": opened, "seconds": seconds, "pages": prefetched}


async def _press(app, stamps: list, key: str, done, timeout: float = 30.0) -> float | None:
    """Send a key as the terminal would (not Pilot's press, which waits for the CPU to go idle
    and under a refresh never sees it); seconds until the first frame that `done` accepts."""
    from textual import events

    stamps.clear()
    start = time.perf_counter()
    app.post_message(events.Key(key, None))
    while time.perf_counter() - start < timeout:
        for at, shown_id in stamps:
            if done(shown_id):
                return at - start
        await asyncio.sleep(0.001)
    return None


def measure(data_dir: Path, pages: int = 1000) -> dict:
    raw = asyncio.run(_measure(data_dir, pages))
    out: dict = {"seconds": raw["seconds"], "pages": raw["pages"]}
    for name in ("cursor", "open"):
        xs = raw[name] or [float("nan")]
        out[name] = {
            "p50_ms": statistics.median(xs) * 1000,
            "p95_ms": percentile(xs, 0.95) * 1000,
            "n": len(raw[name]),
            "raw_ms": [round(x * 1000, 1) for x in raw[name]],
        }
    return out

"""A mark made in the open reader reaches the server within seconds, by a push alone (no pull),
and waits in the queue when the server is down."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator

import pytest
from sync_sides import GReaderSide
from ui_helpers import settle

from tui.cli.main import main
from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.sources import SourceList

IDS = "/reader/api/0/stream/items/ids"


def read_here(private_paths) -> list[str]:
    db = sqlite3.connect(private_paths / "data" / "newsdesk.db")
    return [r[0] for r in db.execute("SELECT remote_id FROM entries WHERE read = 1")]


async def wait_for(pilot, done, seconds: float = 20.0) -> bool:
    """Let the app run until `done()` holds (polling, not a fixed wait); False at the limit."""
    limit = time.monotonic() + seconds
    while not done():
        if time.monotonic() > limit:
            return False
        await pilot.pause(0.05)
    return True


@pytest.fixture
async def synced(private_paths, monkeypatch) -> AsyncIterator[GReaderSide]:
    """A cache synced from a GReader server with four unread entries."""
    side = GReaderSide()
    side.entries(side.feed("Alpha"), 4)
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", side.password)
    side.write_config(private_paths / "config.toml", extra="prefetch = false\n")
    assert await asyncio.to_thread(main, ["sync"]) == 0  # the CLI runs its own loop
    yield side
    side.close()


async def test_a_mark_reaches_the_server_without_a_refresh(synced, private_paths, client):
    side = synced
    app = make_app(Context(), client=client)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot, rounds=5)  # the start's own refresh and sync are done
        pulls = len(side.srv.requests(IDS))
        await pilot.press("enter")  # open the highlighted entry: it is read
        assert await wait_for(pilot, lambda: len(read_here(private_paths)) == 1)
        (rid,) = read_here(private_paths)
        assert await wait_for(pilot, lambda: side.state([rid])[rid][0])
        assert len(side.srv.requests(IDS)) == pulls  # pushed only: nothing pulled
        db = sqlite3.connect(private_paths / "data" / "newsdesk.db")
        queued = "SELECT COUNT(*) FROM sync_queue"  # acknowledged once sent
        assert await wait_for(pilot, lambda: db.execute(queued).fetchone() == (0,))


async def test_with_the_server_down_the_mark_waits_and_the_pane_says_so(
    synced, private_paths, client
):
    side = synced
    app = make_app(Context(), client=client)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot, rounds=5)
        side.stop()  # the config names its port: nobody answers there now
        await pilot.press("enter")
        sources = app.query_one(SourceList)
        assert await wait_for(pilot, lambda: "sync failed: home" in sources.status)
        assert app.is_running
    db = sqlite3.connect(private_paths / "data" / "newsdesk.db")
    assert db.execute("SELECT kind, value FROM sync_queue").fetchall() == [("read", 1)]

"""The reader with an aggregator account: it opens on the cache whatever the server does, syncs
in the background, says in the sources pane when the sync failed, and queues marks made in it."""

from __future__ import annotations

import sqlite3

import pytest
from sync_sides import GReaderSide
from ui_helpers import settle

from tui.cli.main import main
from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList


@pytest.fixture
def synced_then_down(private_paths, monkeypatch):
    """A cache synced from an account whose server has since gone away."""
    side = GReaderSide()
    side.entries(side.feed("Alpha", folder="News"), 6, read={0})
    side.entries(side.feed("Beta"), 3)
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", side.password)
    side.write_config(private_paths / "config.toml", extra="prefetch = false\n")
    assert main(["sync"]) == 0
    side.stop()
    side.write_config(private_paths / "config.toml", extra="prefetch = false\n")
    yield side
    side.close()


async def test_startup_with_the_server_down_paints_the_cache(
    synced_then_down, private_paths, client
) -> None:
    app = make_app(Context(), client=client)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot, rounds=4)
        headlines = app.query_one(HeadlineList)
        assert headlines.count == 8  # every cached unread entry is listed
        titles = {headlines.row(i)[5] for i in range(headlines.count)}
        assert titles == {f"Item {i}" for i in range(6)}  # Alpha's 1-5 and Beta's 0-2
        sources = app.query_one(SourceList)
        assert "sync failed: home" in str(sources.border_subtitle)
        assert any("home: connection refused" in str(n.message) for n in app._notifications)
        # a mark made now is queued for the server
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.is_running
    db = sqlite3.connect(private_paths / "data" / "newsdesk.db")
    assert db.execute("SELECT kind, value FROM sync_queue").fetchall() == [("read", 1)]


async def test_the_reader_syncs_in_the_background_and_shows_new_entries(
    private_paths, monkeypatch, client
) -> None:
    side = GReaderSide()
    try:
        side.entries(side.feed("Alpha"), 4)
        monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", side.password)
        side.write_config(private_paths / "config.toml", extra="prefetch = false\n")
        app = make_app(Context(), client=client)  # an empty cache: only the account
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot, rounds=5)
            assert app.query_one(HeadlineList).count == 4
            assert app.query_one(SourceList).border_subtitle == ""
    finally:
        side.close()

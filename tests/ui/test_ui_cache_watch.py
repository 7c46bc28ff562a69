"""The open reader notices a refresh made elsewhere (issue 22, item 20): a cron or another
shell's `newsdesk refresh` writes the cache through its own connection; within a few seconds
the reader's counts and list show the new entries and it says how many arrived."""

from __future__ import annotations

import asyncio

import pytest
from feedgen import rss
from ui_helpers import items, settle, subscribe

from tui.cli.main import main
from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList


@pytest.fixture
def world(server):
    return subscribe(server, "/world.xml", "World", items(server, 3, "World"))


async def _watched(app, pilot, done) -> list[str]:
    """Pause until `done()` (the watch looks every 2 s, and toasts follow); what was said."""
    for _ in range(1000):
        if done() and any("elsewhere" in str(n.message) or "Rules" in str(n.message)
                          for n in app._notifications):  # fmt: skip
            break
        await pilot.pause(0.01)
    return [str(n.message) for n in app._notifications]


async def test_a_refresh_elsewhere_updates_the_open_reader(world, server):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 3
        server.add("/world.xml", rss("World", items(server, 5, "World")))
        code = await asyncio.to_thread(main, ["refresh", "--no-articles", "--json"])
        assert code == 0
        said = await _watched(app, pilot, lambda: lst.count == 5)
        assert lst.count == 5, said
        assert any(m.startswith("2 new entries from a refresh elsewhere") for m in said), said


async def test_a_rule_added_from_the_cli_applies_in_the_running_reader(world, server):
    """Issue 22, item 17: `newsdesk rules add` while the reader runs."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 3
        code = await asyncio.to_thread(main, ["rules", "add", "--match", '"World 1"'])
        assert code == 0
        said = await _watched(app, pilot, lambda: lst.count == 2)
        assert lst.count == 2, said
        assert any(m.startswith("Rules changed: 1 in force") for m in said), said

"""First run, adding sources, failed sources, and refreshing in the background."""

from __future__ import annotations

import threading

import pytest
from feedgen import rss
from ui_helpers import items, plain, settle, subscribe

from tui.services.context import Context
from tui.ui import platform as ui_platform
from tui.ui.app import make_app
from tui.ui.screens import AddSourceScreen
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList
from tui.ui.widgets.welcome import WelcomePane


async def test_welcome_pane_when_no_sources(client, server):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.query_one(WelcomePane).display
        assert not app.query_one("#list-pane").display
        assert app.query_one("#body").has_class("-welcome")
    assert server.requests == []


async def test_add_dialog_explains_a_non_feed_url(client, server):
    page = server.add("/page", "<html><body>no feeds here</body></html>", content_type="text/html")
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddSourceScreen)
        app.screen.query_one("#url").value = page
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AddSourceScreen)
        assert "links to no feed" in plain(app.screen.query_one("#error"))
        feed = server.add("/feed.xml", rss("Good Feed", items(server, 3, "Good")))
        app.screen.query_one("#url").value = feed
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, AddSourceScreen)
        assert not app.query_one("#body").has_class("-welcome")
        assert app.query_one(HeadlineList).count == 3


async def test_starter_set_in_one_key(client, server, monkeypatch):
    feeds = [
        ("Alpha", server.add("/a.xml", rss("Alpha", items(server, 2, "A"))), "News"),
        ("Beta", server.add("/b.xml", rss("Beta", items(server, 3, "B"))), "Tech"),
    ]
    monkeypatch.setattr(ui_platform, "starter_feeds", lambda: feeds)
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot, rounds=5)
        assert app.query_one(HeadlineList).count == 5
        sources = app.query_one(SourceList)
        assert {"folder:News", "folder:Tech", "unread", "starred"} <= set(sources.views)


@pytest.fixture
def failing_source(server):
    url = subscribe(server, "/gone.xml", "Gone", items(server, 2, "Gone"))
    server.add("/gone.xml", "oops \x1b[31m[b]bad[/b]", status=500, content_type="text/plain")
    return url


async def test_failed_source_shows_mark_and_error(failing_source, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot, rounds=4)
        sources = app.query_one(SourceList)
        (oid,) = [k for k in sources.views if k.startswith("source:")]
        assert "HTTP 500" in sources.errors[oid]
        option = sources.get_option(oid)
        assert str(option.prompt).startswith("!")
        sources.focus()
        sources.highlighted = sources.get_option_index(oid)
        await pilot.press("e")
        await settle(app, pilot)
        facts = dict(app.screen.facts)  # the source's details panel (issue 13)
        assert "HTTP 500" in facts["Error"] and facts["URL"] == failing_source
        assert app.is_running


@pytest.fixture
def gated_source(server):
    """A source whose next refresh (3 newer entries) waits until the test opens the gate."""
    subscribe(server, "/w.xml", "World", items(server, 10, "Old", start=3))
    newer = rss("World", items(server, 3, "New") + items(server, 10, "Old", start=3))
    gate = threading.Event()

    def slow(handler):
        gate.wait(10)
        handler._send(200, newer.encode(), "application/rss+xml")

    server.add("/w.xml", handler=slow)
    return gate


async def test_refresh_in_background_keeps_selection(gated_source, client, server):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        lst = app.query_one(HeadlineList)
        while not lst.loaded or not app.reader.refreshing:
            await pilot.pause()
        await pilot.press("j", "j", "j")
        selected = lst.selected_id
        assert lst.cursor == 3 and lst.count == 10
        assert app.query_one(SourceList).border_subtitle.startswith("refreshing")
        gated_source.set()
        await settle(app, pilot, rounds=5)
        assert lst.count == 13
        assert lst.selected_id == selected and lst.cursor == 6
        assert "/w.xml" in server.paths_requested()


@pytest.mark.parametrize(
    ("button", "expected"),
    [("#welcome-add", "AddSourceScreen"), ("#welcome-import", "ImportScreen")],
)
async def test_welcome_buttons_open_their_dialogs_when_clicked(client, button, expected):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert await pilot.click(button)
        await settle(app, pilot)
        assert type(app.screen).__name__ == expected


async def test_welcome_starter_button_subscribes_when_clicked(client, server, monkeypatch):
    feeds = [("Alpha", server.add("/a.xml", rss("Alpha", items(server, 2, "A"))), "News")]
    monkeypatch.setattr(ui_platform, "starter_feeds", lambda: feeds)
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert await pilot.click("#welcome-starter")
        await settle(app, pilot, rounds=5)
        assert app.query_one(HeadlineList).count == 2

"""What the headline list shows as things change (issue 13): entries that arrive above the
cursor are shown or counted ("▲ N new", which n honours), an empty list says why, dates keep
one width, and article prefetch shows its progress."""

from __future__ import annotations

import threading
import time

import pytest
from feedgen import rss
from ui_helpers import NOW, items, settle, subscribe

from tui.services import starter
from tui.services.context import Context
from tui.store.views import TODAY
from tui.ui import platform as ui_platform
from tui.ui.app import make_app
from tui.ui.messages import SourceSelected
from tui.ui.render import DATE_WIDTH, when
from tui.ui.widgets.article import ArticleView
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList


@pytest.fixture
def gated(server):
    """40 entries now; the next refresh brings 3 newer ones once the test opens the gate."""
    subscribe(server, "/w.xml", "World", items(server, 40, "Old", start=3))
    newer = rss("World", items(server, 3, "New") + items(server, 40, "Old", start=3))
    gate = threading.Event()

    def slow(handler):
        gate.wait(10)
        handler._send(200, newer.encode(), "application/rss+xml")

    server.add("/w.xml", handler=slow)
    return gate


async def until(pilot, condition, rounds: int = 2000) -> None:
    """Wait for a condition, frame by frame; fail (not hang) if it never comes."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("condition never met")


async def start_refreshing(app, pilot) -> HeadlineList:
    lst = app.query_one(HeadlineList)
    await until(pilot, lambda: lst.loaded and app.reader.refreshing)
    return lst


def titles_on_screen(lst: HeadlineList) -> str:
    return "\n".join(lst.render_line(y).text for y in range(lst.scrollable_content_region.height))


async def test_new_entries_show_when_the_list_was_at_its_top(gated, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        lst = await start_refreshing(app, pilot)
        await pilot.press("j")
        selected = lst.selected_id
        gated.set()
        await settle(app, pilot, rounds=5)
        assert lst.count == 43 and lst.selected_id == selected and lst.cursor == 4
        assert lst.scroll_y == 0 and lst.new_above == 0
        assert "New 0" in titles_on_screen(lst)


async def test_new_entries_above_a_scrolled_list_are_marked_and_n_goes_there(gated, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 20)) as pilot:
        lst = await start_refreshing(app, pilot)
        await pilot.press("G")
        top = lst.scroll_y
        assert top > 0
        gated.set()
        await settle(app, pilot, rounds=5)
        assert lst.count == 43 and lst.cursor == 42 and lst.scroll_y == top + 3
        assert lst.new_above == 3 and lst.border_subtitle == "▲ 3 new (n)"
        assert "New 0" not in titles_on_screen(lst)
        await pilot.press("n")
        await settle(app, pilot)
        assert lst.cursor == 0 and lst.new_above == 0 and not lst.border_subtitle
        header = str(app.query_one(ArticleView).query_one("#article-header").content)
        assert "New 0" in header


@pytest.fixture
def old_only(server):
    subscribe(server, "/o.xml", "Old", items(server, 3, "Old", start=24 * 6 * 3))


async def test_empty_today_and_empty_search_say_why(old_only):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        app.query_one(SourceList).post_message(SourceSelected(TODAY))
        await settle(app, pilot)
        assert lst.count == 0 and "Nothing published today yet." in lst.render_line(1).text
        app.post_message(SourceSelected(app.query_one(SourceList).views["unread"]))
        await settle(app, pilot)
        await pilot.press("slash", *"zzyzx")
        await until(pilot, lambda: lst.view.kind == "search")  # after typing pauses
        await settle(app, pilot)
        assert lst.count == 0
        assert "No headline matches this search" in lst.render_line(1).text


async def test_after_an_offline_starter_set_the_list_says_why_it_is_empty(server, monkeypatch):
    feeds = [("Alpha", server.url("/a.xml"), "News"), ("Beta", server.url("/b.xml"), "News")]
    monkeypatch.setattr(ui_platform, "starter_feeds", lambda: feeds)
    assert starter  # the real starter module stays importable
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot, rounds=5)
        lst = app.query_one(HeadlineList)
        assert lst.count == 0
        assert "offline, nothing was fetched" in lst.render_line(1).text


def test_dates_keep_one_width():
    now = time.mktime((2026, 6, 15, 12, 0, 0, 0, 0, -1))
    stamps = [now - 3600, now - 20 * 86400, now - 400 * 86400, now - 3000 * 86400]
    shown = [when(ts, now) for ts in stamps]
    assert shown[0] == "11:00"
    assert all(len(s) <= DATE_WIDTH for s in shown), shown
    assert shown[2] != shown[3]  # the year still tells them apart


@pytest.fixture
def mixed_dates(server):
    subscribe(
        server,
        "/m.xml",
        "Mixed",
        [
            {"title": "Today's story", "guid": "a", "date": NOW - 60},
            {"title": "Last year's story", "guid": "b", "date": NOW - 400 * 86400},
        ],
    )


async def test_titles_start_in_one_column_whatever_the_date(mixed_dates):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        rows = [lst.render_line(y).text for y in range(2)]
        assert "Today's" in rows[0] and "Last year's" in rows[1]
        assert rows[0].index("Today's") == rows[1].index("Last year's"), rows


@pytest.fixture
def pages_waiting(server):
    """A source whose refresh brings 2 entries whose article pages wait for the test."""
    subscribe(server, "/p.xml", "Pages", items(server, 1, "Seen"))
    gate = threading.Event()

    def page(handler):
        gate.wait(10)
        body = b"<html><body><article><p>" + b"Words of the page. " * 40 + b"</p></article>"
        handler._send(200, body + b"</body></html>", "text/html")

    fresh = items(server, 2, "Fresh")
    for item in fresh:
        server.add(item["link"].removeprefix(server.base), handler=page)
    server.add("/p.xml", rss("Pages", fresh + items(server, 1, "Seen", start=2)))
    return gate


async def test_prefetch_progress_shows_in_the_sources_pane(pages_waiting, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        await until(pilot, lambda: str(sources.border_subtitle).startswith("articles"))
        done, total = map(int, str(sources.border_subtitle).split()[1].split("/"))
        assert done < total  # the two waiting pages are not done yet
        pages_waiting.set()
        await settle(app, pilot, rounds=5)
        assert not sources.border_subtitle

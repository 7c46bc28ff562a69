"""Links (open in a browser without blocking, copy via OSC 52), paging, the command palette."""

from __future__ import annotations

import webbrowser

import pytest
from ui_helpers import ids_newest_first, items, settle, subscribe

from tui.services.context import Context
from tui.ui import platform as ui_platform
from tui.ui.app import make_app
from tui.ui.widgets.article import ArticleView
from tui.ui.widgets.headlines import HeadlineList


@pytest.fixture
def source(server):
    subscribe(server, "/world.xml", "World", items(server, 5, "World"))


async def test_open_link_without_browser_says_so(source, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(ui_platform.sys, "platform", "linux")
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == []
        assert any(ui_platform.NO_BROWSER == str(n.message) for n in app._notifications)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard.endswith("/article/World-0")


async def test_open_link_with_browser(source, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "o")
        await settle(app, pilot)
        assert len(opened) == 1 and opened[0].endswith("/article/World-1")


async def test_space_pages_then_moves_to_next_unread(source, data_dir):
    ids = ids_newest_first(data_dir)
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("space")  # nothing open yet: opens the highlighted entry
        await settle(app, pilot)
        article = app.query_one(ArticleView)
        assert article.entry_id == ids[0]
        await pilot.press("space")  # a short article is already at its end
        await settle(app, pilot)
        assert article.entry_id == ids[1]
        assert app.query_one(HeadlineList).selected_id == ids[1]


async def test_command_palette_runs_app_commands(source, data_dir):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"mark all visible")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
    from ui_helpers import db

    assert db(data_dir).execute("SELECT COUNT(*) FROM entries WHERE read = 0").fetchone()[0] == 0

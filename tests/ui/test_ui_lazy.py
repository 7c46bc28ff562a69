"""The headline list is lazy: 50,000 cached entries open without 50,000 rows or widgets."""

from __future__ import annotations

import time

import pytest
from ui_helpers import db, settle

from tui.services.context import Context
from tui.store import Store
from tui.ui.app import make_app
from tui.ui.widgets.headlines import MAX_PAGES, PAGE, HeadlineList

N = 50_000


@pytest.fixture
def big_cache(data_dir):
    store = Store(data_dir / "newsdesk.db")
    store.add_source("http://127.0.0.1:9/big.xml", "Big")
    store.add_source("http://127.0.0.1:9/other.xml", "Other")
    store.close()
    con = db(data_dir)
    now = time.time()
    with con:
        con.executemany(
            "INSERT INTO entries (source_id, key, title, link, sort_time, first_seen) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                (1 + i % 2, f"k{i}", f"Entry {i}", f"https://example.org/{i}", now - i, now)
                for i in range(N)
            ),
        )
    return con


async def test_all_unread_over_50k_entries_is_paged(big_cache):
    app = make_app(Context(), offline=True)
    start = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        opened = time.perf_counter() - start
        lst = app.query_one(HeadlineList)
        assert lst.count == N and lst.view.kind == "unread"
        assert lst.cached_pages == 1 and lst.cached_rows == PAGE
        assert lst.render_line(0).text.strip().endswith("Entry 0")
        assert len(app.query("*")) < 100  # widgets: a handful, not one per row
        await pilot.press("G")
        await settle(app, pilot)
        assert lst.cursor == N - 1
        assert lst.selected_id is not None
        assert "Entry 49999" in lst.render_line(lst.cursor - round(lst.scroll_y)).text
        for _ in range(10):  # page through distant parts of the list
            await pilot.press("ctrl+b")
        await pilot.press("g", "enter")
        await settle(app, pilot)
        assert lst.cached_pages <= MAX_PAGES
        assert lst.cached_rows <= MAX_PAGES * PAGE
    assert big_cache.execute("SELECT COUNT(*) FROM entries WHERE read = 1").fetchone()[0] == 1
    assert opened < 10, f"opening took {opened:.1f} s"


async def test_scrolling_reuses_rows_and_paints_the_same_as_a_fresh_render(big_cache):
    """A scroll by a few rows keeps the rows already styled; the screen must not differ from
    a full repaint (cursor row, rows entering at either edge, the scrollbar)."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        height = lst.scrollable_content_region.height
        for keys in (
            ["down"] * (height + 3),
            ["up"] * (height + 2),
            ["j"] * 5,
            ["ctrl+f"],
            ["up"] * (height + 1),
        ):
            await pilot.press(*keys)
            await settle(app, pilot, rounds=1)
            shown = app.export_screenshot()
            lst._styles_cache.clear()
            lst.vertical_scrollbar.refresh()
            lst.refresh()
            await pilot.pause()
            assert app.export_screenshot() == shown, keys
            row = lst.cursor - round(lst.scroll_y)
            assert f"Entry {lst.cursor}" in lst.render_line(row).text

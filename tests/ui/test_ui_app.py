"""The reader driven by Pilot over a cache filled from a loopback server."""

from __future__ import annotations

import pytest
from ui_helpers import NOW, db, ids_newest_first, items, plain, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.article import ArticleView
from tui.ui.widgets.headlines import HeadlineList

HOSTILE = "[@click=app.quit]Breaking[/] [link=file:///etc/passwd]x[/] [b]y"


@pytest.fixture
def two_sources(server):
    subscribe(server, "/world.xml", "World", items(server, 12, "World"))
    subscribe(server, "/tech.xml", "Tech", items(server, 8, "Tech", start=1))


async def test_navigation_j_k_g_G(two_sources, data_dir):
    app = make_app(Context(), offline=True)
    ids = ids_newest_first(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 20 and lst.cursor == 0 and lst.selected_id == ids[0]
        await pilot.press("j", "j", "down")
        assert lst.cursor == 3 and lst.selected_id == ids[3]
        await pilot.press("k")
        assert lst.selected_id == ids[2]
        await pilot.press("G")
        assert lst.cursor == 19 and lst.selected_id == ids[-1]
        await pilot.press("g")
        assert lst.cursor == 0


async def test_enter_opens_article_and_marks_read(two_sources, data_dir):
    app = make_app(Context(), offline=True)
    ids = ids_newest_first(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "enter")
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        assert view.entry_id == ids[1]
        title = db(data_dir).execute("SELECT title FROM entries WHERE id=?", (ids[1],)).fetchone()
        assert title[0] in plain(view.query_one("#article-header"))
        assert "All about" in plain(view.query_one("#article-body"))
        assert "again." in plain(view.query_one("#article-body"))
    assert db(data_dir).execute("SELECT read FROM entries WHERE id=?", (ids[1],)).fetchone()[0] == 1
    assert db(data_dir).execute("SELECT SUM(read) FROM entries").fetchone()[0] == 1


async def test_star_and_toggle_read_persist(two_sources, data_dir):
    app = make_app(Context(), offline=True)
    ids = ids_newest_first(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "s", "m")
        await settle(app, pilot)
        row = db(data_dir).execute("SELECT read, starred FROM entries WHERE id=?", (ids[2],))
        assert row.fetchone() == (1, 1)
        await pilot.press("s", "m")
        await settle(app, pilot)
        row = db(data_dir).execute("SELECT read, starred FROM entries WHERE id=?", (ids[2],))
        assert row.fetchone() == (0, 0)


async def test_all_unread_view_and_next_unread(two_sources, data_dir):
    con = db(data_dir)
    ids = ids_newest_first(data_dir)
    with con:
        con.execute("UPDATE entries SET read = 1 WHERE id IN (?, ?)", (ids[0], ids[1]))
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.view.kind == "unread" and lst.count == 18
        assert lst.selected_id == ids[2]
        await pilot.press("enter", "n")
        await settle(app, pilot)
        # the entry read just now stays listed (no jumping rows); n opened the next unread
        assert lst.count == 18 and lst.selected_id == ids[3]
        assert app.query_one(ArticleView).entry_id == ids[3]
        await pilot.press("A")
        await settle(app, pilot)
        await pilot.press("y")  # two sources: it asks first (issue 22, item 38)
        await settle(app, pilot)
        assert lst.count == 0
    assert con.execute("SELECT COUNT(*) FROM entries WHERE read = 0").fetchone()[0] == 0


@pytest.fixture
def hostile_source(server):
    subscribe(
        server,
        "/h.xml",
        "Hostile",
        [
            {"title": HOSTILE, "guid": "h1", "date": NOW, "summary": "[b]not bold[/b] \x1b[31mred"},
        ],
    )


async def test_hostile_title_is_literal_and_clicking_does_nothing(hostile_source):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        line = lst.render_line(0).text
        assert HOSTILE[:40] in line
        await pilot.click(HeadlineList, offset=(40, 1))
        await settle(app, pilot)
        header = app.query_one("#article-header")
        assert HOSTILE in plain(header)
        body = plain(app.query_one("#article-body"))
        assert "[b]not bold[/b]" in body and "\x1b" not in body
        await pilot.click("#article-header", offset=(5, 0))
        await pilot.click("#article-header", offset=(32, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_offline_makes_no_request(two_sources, server, client):
    app = make_app(Context(), offline=True, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "j", "enter", "r", "R")
        await settle(app, pilot)
        assert app.query_one(ArticleView).entry_id is not None
        assert "Loading" not in plain(app.query_one("#article-notice"))
    assert server.requests == []


@pytest.fixture
def page_source(server, data_dir):
    page = (
        "<html><head><title>Full</title></head><body><article><h1>Full story</h1>"
        + "".join(f"<p>Full text paragraph {i}. " + "Words here. " * 20 + "</p>" for i in range(6))
        + "</article></body></html>"
    )
    link = server.add("/story.html", page, content_type="text/html")
    subscribe(
        server,
        "/f.xml",
        "F",
        [
            {
                "title": "Has page",
                "guid": "p1",
                "date": NOW,
                "link": link,
                "summary": "Feed summary.",
            }
        ],
    )
    (data_dir.parent / "config.toml").write_text("refresh_on_start = false\n")


async def test_online_open_fetches_full_text(page_source, server, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=5)
        assert "/story.html" in server.paths_requested()
        assert "Loading" not in plain(app.query_one("#article-notice"))


async def test_opening_an_article_to_fetch_reads_its_entry_once(page_source, server, client):
    """Issue 21: the open read the entry's row five times (load, fetch, feed media, the
    fetched view, the header again); once is enough."""
    app = make_app(Context(), offline=False, client=client)
    reads: list[int] = []
    store_entry = app.store.entry

    def counted(entry_id: int):
        reads.append(entry_id)
        return store_entry(entry_id)

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.store.entry = counted  # the reader's store is the app's
        await pilot.press("enter")
        await settle(app, pilot, rounds=5)
        assert "/story.html" in server.paths_requested()
        assert "Full text paragraph 0" in plain(app.query_one("#article-body"))
        assert len(reads) == 1


async def test_small_terminal_article_full_width(two_sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        article = app.query_one(ArticleView)
        assert not article.display or article.region.width == 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert article.region.width == 80
        assert not app.query_one("#list-pane").display
        assert article.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(HeadlineList).has_focus
        assert app.query_one(HeadlineList).region.width > 40
        await pilot.press("backslash")
        await pilot.pause()
        assert app.query_one(HeadlineList).region.width == 80


async def test_wide_terminal_three_panes(two_sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        sources, lst = app.query_one("#sources"), app.query_one(HeadlineList)
        article = app.query_one(ArticleView)
        assert sources.region.right <= lst.region.x and lst.region.right <= article.region.x
        assert article.region.width > 50 and lst.has_focus
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert article.region.width == 80  # reflowed: the open article now takes the width


async def test_help_lists_every_binding_with_user_keymap(two_sources, data_dir):
    (data_dir.parent / "config.toml").write_text('[keys]\ntoggle_star = "x"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert db(data_dir).execute("SELECT SUM(starred) FROM entries").fetchone()[0] == 1
        await pilot.press("question_mark")
        await pilot.pause()
        from tui.ui.screens import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        table = app.screen._table()
        texts = [str(c) for col in table.columns for c in col._cells]
        assert "x" in texts and "Star" in texts and "Refresh all" in texts
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_mark_all_read_leaves_entries_stored_behind_the_list(two_sources, server, data_dir):
    """A cron refresh (another process) adds entries while the list is open: `A` marks what
    the list showed, never those."""
    import asyncio

    from feedgen import rss

    from tui.cli.main import main

    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 20
        server.add("/world.xml", rss("World", items(server, 3, "Late", start=-3)))
        assert await asyncio.to_thread(main, ["refresh", "--no-articles"]) == 0
        await pilot.press("A")
        await settle(app, pilot)
        await pilot.press("y")  # two sources: it asks first (issue 22, item 38)
        await settle(app, pilot)
    con = db(data_dir)
    unread = [r[0] for r in con.execute("SELECT title FROM entries WHERE read = 0")]
    assert sorted(unread) == ["Late 0", "Late 1", "Late 2"]

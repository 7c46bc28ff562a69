"""Keys act on what is on screen (issue 13): focus follows the article through opening and
resizing, escape and `\\` work beside an open article, s/m/y act on the article shown, the
first `n` opens the top unread row, `q` in the article goes back, and help scrolls."""

from __future__ import annotations

import pytest
from ui_helpers import db, ids_newest_first, items, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.screens import HelpScreen
from tui.ui.widgets.article import ArticleBody, ArticleView
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList

LONG = "".join(
    f"<p>Paragraph {i} of a long story, with enough words to wrap.</p>" for i in range(60)
)


@pytest.fixture
def stories(server):
    subscribe(server, "/w.xml", "World", items(server, 12, "World", summary=LONG))


def flags(data_dir, entry_id: int) -> tuple[int, int]:
    row = db(data_dir).execute("SELECT read, starred FROM entries WHERE id = ?", (entry_id,))
    return tuple(row.fetchone())


async def test_escape_and_backslash_work_beside_the_article_at_120(stories):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.reader.article_visible and app.query_one(HeadlineList).has_focus
        sources = app.query_one(SourceList)
        assert not sources.display  # 120 columns: reading hides the sources
        await pilot.press("backslash")
        await pilot.pause()
        assert sources.display
        await pilot.press("backslash")
        await pilot.pause()
        assert not sources.display
        await pilot.press("escape")
        await pilot.pause()
        assert not app.reader.article_visible and app.query_one(HeadlineList).has_focus


async def test_focus_follows_the_article_when_the_terminal_narrows(stories):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.has_focus
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        article = app.query_one(ArticleView)
        assert not lst.display or not app.query_one("#list-pane").display
        assert article.has_focus
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.query_one(ArticleBody).scroll_y == 2 and lst.cursor == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not app.reader.article_visible and lst.has_focus


async def test_star_read_and_copy_act_on_the_highlighted_row(stories, data_dir, monkeypatch):
    """Issue 21: keys act on the highlighted row, not on the open article beside it; with the
    article pane focused they act on the article."""
    ids = ids_newest_first(data_dir)
    app = make_app(Context(), offline=True)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("j", "j")  # the cursor moves on beside the open article
        assert app.query_one(HeadlineList).selected_id == ids[2]
        await pilot.press("s", "m", "y")
        await settle(app, pilot)
        assert flags(data_dir, ids[2]) == (1, 1)  # the highlighted row: starred, read
        assert flags(data_dir, ids[0]) == (1, 0)  # the article beside it: untouched
        link = db(data_dir).execute("SELECT link FROM entries WHERE id = ?", (ids[2],))
        assert copied == [link.fetchone()[0]]
        app.reader.article.focus()
        await pilot.press("s")
        await settle(app, pilot)
        assert flags(data_dir, ids[0]) == (1, 1)  # the focused article's entry


async def test_the_first_n_opens_the_newest_unread(stories, data_dir):
    ids = ids_newest_first(data_dir)
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.query_one(ArticleView).entry_id == ids[0]
        await pilot.press("n")
        await settle(app, pilot)
        assert app.query_one(ArticleView).entry_id == ids[1]


async def test_q_in_the_article_goes_back_and_in_the_list_quits(stories):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.reader.article_visible and app.query_one(ArticleView).has_focus
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and not app.reader.article_visible
        assert app.query_one(HeadlineList).has_focus
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_help_scrolls_with_j_k_G_and_toasts_wait(stories, size):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one("VerticalScroll")
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 3
        app.notify("a toast while the help is open")
        await pilot.pause()
        assert not app.screen.query("Toast")  # nothing drawn over the table
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        toasts = app.screen.query("Toast")
        assert any("a toast while the help is open" in str(t.render()) for t in toasts)

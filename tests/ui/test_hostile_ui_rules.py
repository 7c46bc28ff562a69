"""A rule that hides everything (issue 20, hole 12): the reader says how many entries are hidden
and that H shows them, not that nothing was fetched."""

from __future__ import annotations

import pytest
from ui_helpers import items, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList


@pytest.fixture
def busy_cache(server):
    subscribe(server, "/feed.xml", "Busy", items(server, 30))


async def test_rule_hiding_everything_says_how_many_and_H_shows_them(busy_cache, tmp_path):
    (tmp_path / "config.toml").write_text('[[rules]]\nmatch = "/./"\nname = "all"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 0
        message = lst.empty_message()
        assert message == "30 hidden by rules: H shows them."  # before: "nothing was fetched"
        assert "H shows them" in lst.render_line(1).text
        await pilot.press("H")
        await settle(app, pilot)
        assert lst.count == 30


async def test_first_frame_read_ahead_says_how_many_are_hidden(busy_cache, tmp_path):
    """`newsdesk` reads the first page ahead of Textual (FirstPage): that path said "nothing
    was fetched" and showed no "hidden" note, as it never counted what rules hide."""
    from tui.services.listing import listing_for
    from tui.store.rows import FirstPage

    (tmp_path / "config.toml").write_text('[[rules]]\nmatch = "/./"\n')
    ctx = Context()
    first = FirstPage(ctx, shape=lambda view: listing_for(view, ctx.config()))
    app = make_app(ctx, offline=True, first_page=first)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 0 and lst.hidden_count == 30
        assert "30 hidden by rules: H shows them." in lst.render_line(1).text
        assert lst.border_subtitle.startswith("30 hidden")


@pytest.fixture
def letters_cache(server):
    titles = [{"title": "a" * 34 + "!", "guid": f"a{i}"} for i in range(40)]
    subscribe(server, "/letters.xml", "Letters", titles)


async def test_slow_regex_rule_is_switched_off_and_the_reader_says_so(letters_cache, tmp_path):
    """`(a|aa)+$` nests no repeat, so it is not refused, but backtracks on 40 titles of 34 a's
    and a '!': the reader paints them all and names the rule it switched off."""
    (tmp_path / "config.toml").write_text('[[rules]]\nmatch = "/(a|aa)+$/"\nfield = "title"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.query_one(HeadlineList).count == 40
        said = [str(n.message) for n in app._notifications]
        assert any("off until restart: (a|aa)+$" in m for m in said), said

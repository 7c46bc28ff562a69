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

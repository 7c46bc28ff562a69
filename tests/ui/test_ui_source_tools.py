"""The sources pane and the source tools (issue 13): a pane sized to the terminal with counts
always in view, folders marked expanded, D removes with a confirmation, E changes the URL and
names the source it edits, "add anyway" for a feed that is down, e shows a details panel."""

from __future__ import annotations

import pytest
from feedgen import rss
from ui_helpers import db, ids_newest_first, items, plain, settle, subscribe

from tui.cli.main import main
from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.dialogs import ConfirmScreen, EditSourceScreen, SourceInfoScreen
from tui.ui.layout import sources_width
from tui.ui.screens import AddSourceScreen
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList

LONG_TITLE = "The Extremely Long-Winded Chronicle of Everything Happening Everywhere"


@pytest.fixture
def two(server):
    short = subscribe(server, "/s.xml", "Short", items(server, 3, "Short"))
    long = subscribe(server, "/l.xml", LONG_TITLE, items(server, 7, "Long", start=3))
    assert main(["add", long, "--folder", "Reading"]) == 0
    return short, long


def pane_lines(sources: SourceList) -> list[str]:
    return [sources.render_line(y).text for y in range(sources.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
async def test_sources_pane_follows_the_width_and_keeps_counts_in_view(two, size):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        sources = app.query_one(SourceList)
        assert sources.outer_size.width == sources_width(size[0])
        lines = pane_lines(sources)
        (long_row,) = [line for line in lines if "The Ext" in line]  # cut in the middle
        assert long_row.rstrip(" │").endswith(" 7") and "…" in long_row
        (folder,) = [line for line in lines if "Reading" in line]
        assert "▾ Reading" in folder  # expanded: its sources are listed under it
    assert sources_width(80) < sources_width(120) < sources_width(200)


async def test_headline_source_column_ends_in_an_ellipsis(two):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        rows = [lst.render_line(y).text for y in range(10)]
        assert any("The Extre…  Long" in row for row in rows), rows


async def test_D_removes_a_source_after_confirmation(two, data_dir):
    short, _long = two
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        sources = app.query_one(SourceList)
        sources.focus()
        (oid,) = [k for k, v in sources.views.items() if v.kind == "source" and "Short" in k or
                  (v.kind == "source" and "Short" in str(sources.get_option(k).prompt))]  # fmt: skip
        sources.highlighted = sources.get_option_index(oid)
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Short" in plain(app.screen.query_one("Static"))
        await pilot.press("n")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert db(data_dir).execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 2
        await pilot.press("D")
        await settle(app, pilot)
        await pilot.click("#confirm")
        await settle(app, pilot)
        urls = [r[0] for r in db(data_dir).execute("SELECT url FROM sources")]
        assert short not in urls and len(urls) == 1
        assert not any("Short" in line for line in pane_lines(sources))
        assert app.query_one(HeadlineList).count == 7


async def test_E_from_all_unread_names_the_source_and_changes_its_url(
    two, data_dir, server, tmp_path
):
    short, _long = two
    moved = server.add("/moved.xml", rss("Short", items(server, 4, "Short")))
    ids = ids_newest_first(data_dir)
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.selected_id == ids[0]  # a "Short" entry, in "All unread"
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, EditSourceScreen)
        box = app.screen.query_one("Vertical")
        assert "Short" in str(box.border_title)  # it says which source it edits
        app.screen.query_one("#url").value = moved
        await pilot.click("#save")
        await settle(app, pilot)
        assert not isinstance(app.screen, EditSourceScreen)
    urls = {r[0] for r in db(data_dir).execute("SELECT url FROM sources")}
    assert moved in urls and short not in urls
    # nothing but the address changed: no unchanged defaults are written (issue 22, item 4)
    assert not (tmp_path / "config.toml").exists()


@pytest.fixture
def fine(server):
    subscribe(server, "/ok.xml", "Fine", items(server, 2, "Fine"))


async def test_add_anyway_when_the_first_fetch_fails(fine, server, client, data_dir):
    down = server.add("/down.xml", "gone", status=503, content_type="text/plain")
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddSourceScreen)
        app.screen.query_one("#url").value = down
        await pilot.press("enter")
        await settle(app, pilot)
        anyway = app.screen.query_one("#anyway")
        assert anyway.display and "503" in plain(app.screen.query_one("#error"))
        await pilot.click("#anyway")
        await settle(app, pilot, rounds=4)
        assert not isinstance(app.screen, AddSourceScreen)
        row = db(data_dir).execute("SELECT last_error FROM sources WHERE url = ?", (down,))
        assert "503" in row.fetchone()[0]  # refreshed at once: the "!" and e say why


@pytest.fixture
def gone(server):
    url = subscribe(server, "/gone.xml", "Gone", items(server, 2, "Gone"))
    server.add("/gone.xml", "oops", status=500, content_type="text/plain")
    return url


async def test_e_from_the_list_opens_the_details_panel(gone, client):
    url = gone
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=4)
        assert app.query_one(HeadlineList).has_focus
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, SourceInfoScreen)
        facts = dict(app.screen.facts)
        assert facts["URL"] == url and facts["Status"] == "failed"
        assert "HTTP 500" in facts["Error"]
        assert "ago" in facts["Fetched"] or "just now" in facts["Fetched"]
        assert facts["Next"].startswith(("due at", "due now"))
        shown = plain(app.screen.query_one("#source-facts"))
        assert url in shown and "HTTP 500" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SourceInfoScreen)


async def test_the_settings_dialog_fits_in_80x24(two):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, EditSourceScreen)
        for part in ("#url", "#prefetch", "#save", "#cancel"):
            region = app.screen.query_one(part).region
            assert region.area and region.bottom <= 23, part  # above the footer, not cut off


async def test_removing_the_shown_source_leaves_none_of_its_rows_under_all_unread(two, data_dir):
    """Issue 21: the list went back to "All unread" by name, but reloaded the removed source's
    view (the list's own idea of its view was still the old one)."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        sources = app.query_one(SourceList)
        sources.focus()
        (oid,) = [k for k, v in sources.views.items()
                  if v.kind == "source" and "Short" in str(sources.get_option(k).prompt)]  # fmt: skip
        sources.highlighted = sources.get_option_index(oid)
        await pilot.press("enter")  # the Short source's own view
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 3
        sources.focus()
        await pilot.press("D")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert str(lst.border_title) == "All unread"
        assert lst.count == 7
        titles = [lst.render_line(y).text for y in range(lst.count)]
        assert all("Long" in t and "Short" not in t for t in titles), titles

"""Keys a newsboat user reaches for (issue 22, items 6, 8, 36): `q` closes an open article
before it quits, `pgdn` in the list pages the list as `pgup` does, `n` moves on to the next
source with unread entries, `N` toggles read, `J`/`K` step through the sources."""

from __future__ import annotations

import pytest
from ui_helpers import items, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList


@pytest.fixture
def two_sources(server):
    subscribe(server, "/a.xml", "Alpha", items(server, 2, "Alpha"))
    subscribe(server, "/b.xml", "Beta", items(server, 3, "Beta", start=5))
    subscribe(server, "/c.xml", "Gamma", items(server, 30, "Gamma", start=10))


def reader(app):
    return app.screen


async def test_q_closes_the_open_article_then_quits(two_sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = reader(app)
        assert screen.state.reading
        await pilot.press("j", "j")  # the highlight is in the list, the article open beside it
        await settle(app, pilot)
        await pilot.press("q")
        await settle(app, pilot)
        assert app.is_running and not screen.state.reading
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # the bare list: q quits


async def test_pgdn_in_the_list_pages_the_list(two_sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert lst.cursor > 5 and not reader(app).state.reading
        await pilot.press("pageup")
        await settle(app, pilot)
        assert lst.cursor == 0 and not reader(app).state.reading


def _show(app, name: str) -> None:
    from tui.ui.messages import SourceSelected

    screen = reader(app)
    view = next(v for v in screen.sources.views.values() if v.label == name)
    screen.post_message(SourceSelected(view))


async def test_n_moves_on_to_the_next_source_with_unread(two_sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        _show(app, "Alpha")
        await settle(app, pilot)
        screen = reader(app)
        for _ in range(2):  # Alpha's two entries
            await pilot.press("n")
            await settle(app, pilot)
        assert screen.state.view.label == "Alpha"
        await pilot.press("n")  # Alpha is read: on to Beta, its first unread opens
        await settle(app, pilot, rounds=5)
        assert screen.state.view.label == "Beta"
        assert screen.state.reading and screen.state.opened == screen.state.highlighted
        said = [str(n.message) for n in app._notifications]
        assert not any("No more unread" in m for m in said), said


async def test_N_toggles_read_and_J_K_step_through_sources(two_sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        lst = app.query_one(HeadlineList)
        await pilot.press("N")
        await settle(app, pilot)
        assert lst.row(0).read
        await pilot.press("N")
        await settle(app, pilot)
        assert not lst.row(0).read
        await pilot.press("J")
        await settle(app, pilot)
        first = screen.state.view.label
        await pilot.press("J")
        await settle(app, pilot)
        assert screen.state.view.label != first
        await pilot.press("K")
        await settle(app, pilot)
        assert screen.state.view.label == first


async def test_a_search_says_how_many_entries_matched(two_sources):
    """Issue 22, item 35."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Beta")
        lst = app.query_one(HeadlineList)
        for _ in range(500):  # the search runs after a short pause in typing
            await settle(app, pilot, 1)
            if lst.shown is not None and lst.shown.kind == "search" and lst.count == 3:
                break
            await pilot.pause(0.01)
        assert "3 matches" in str(lst.border_subtitle), lst.border_subtitle


@pytest.mark.parametrize("size,ids", [((80, 24), False), ((160, 45), True)])
async def test_help_drops_the_id_column_when_narrow(two_sources, size, ids):
    """Issue 22, item 33: at 80 columns the descriptions get the room, not the ids."""
    from rich.console import Console
    from textual.widgets import Static

    from tui.ui.screens import HelpScreen

    app = make_app(Context(), offline=True)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(Static).content
        assert len(table.columns) == (3 if ids else 2)
        static = app.screen.query_one(Static)
        console = Console(width=static.size.width, record=True)
        console.print(table)
        row = next(line for line in console.export_text().splitlines() if "Toggle read" in line)
        assert "Toggle read" in row and "m, N" in row, row
        assert ("toggle_read" in row) == ids, row


async def test_startup_warnings_are_one_toast_and_dialogs_hide_the_readers_keys(
    two_sources, tmp_path
):
    """Issue 22, item 30."""
    (tmp_path / "config.toml").write_text(
        'concurrancy = 8\ntimout = 5\ntheme = "dracular"\n[keys]\nnext_unred = "n"\n'
    )
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        config = [n for n in app._notifications if str(n.title).startswith("Config")]
        assert len(config) == 1, [n.message for n in app._notifications]
        assert config[0].title == "Config: 4 problems" and config[0].message.count("\n") == 3
        footer = app.screen.query_one("#footer-slot")
        assert footer.display
        await pilot.press("a")
        await settle(app, pilot)
        assert not footer.display  # the add dialog's keys are its own
        await pilot.press("escape")
        await settle(app, pilot)
        assert footer.display


async def test_one_theme_command_and_T_opens_on_the_theme_in_use(two_sources, tmp_path):
    """Issue 22, item 14."""
    from textual.command import CommandPalette

    (tmp_path / "config.toml").write_text('theme = "nord"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Quit" not in titles, titles
        await pilot.press("T")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one("CommandList")
        for _ in range(200):  # the palette gathers its hits in a worker
            if options.option_count:
                break
            await pilot.pause(0.01)
        first = options.get_option_at_index(options.highlighted or 0)
        assert "nord" in str(first.prompt), first.prompt


async def test_every_number_in_the_sources_pane_is_unread(two_sources, data_dir):
    """Issue 22, item 9: Starred and Today count unread entries, as every other row does."""
    from ui_helpers import db

    from tui.ui.widgets.sources import SourceList

    conn = db(data_dir)
    with conn:
        conn.execute("UPDATE entries SET starred = 1 WHERE title IN ('Alpha 0', 'Alpha 1')")
        conn.execute("UPDATE entries SET read = 1 WHERE title = 'Alpha 0'")
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        sources = app.query_one(SourceList)

        def number(name: str) -> int:
            line = next(str(sources.get_option_at_index(i).prompt)
                        for i in range(sources.option_count)
                        if str(sources.get_option_at_index(i).prompt).strip().startswith(name))  # fmt: skip
            tail = line.split()[-1]
            return int(tail) if tail.isdigit() else 0

        assert number("Starred") == 1  # two starred, one of them read
        today = number("Today")
        await pilot.press("m")  # the top entry (today's newest) read
        await settle(app, pilot)
        assert number("Today") == today - 1


async def test_marking_several_sources_asks_and_u_undoes_it(two_sources, data_dir):
    """Issue 22, item 38."""
    from ui_helpers import db

    from tui.ui.dialogs import ConfirmScreen

    def unread() -> int:
        return db(data_dir).execute("SELECT COUNT(*) FROM entries WHERE read = 0").fetchone()[0]

    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert unread() == 35
        await pilot.press("A")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # "All unread" spans three sources
        assert unread() == 35
        await pilot.press("y")
        await settle(app, pilot)
        assert unread() == 0
        await pilot.press("u")
        await settle(app, pilot)
        assert unread() == 35
        _show(app, "Alpha")  # one source: no question
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen) and unread() == 33
        await pilot.press("u")
        await settle(app, pilot)
        assert unread() == 35


async def test_after_backslash_twice_an_article_takes_the_whole_narrow_screen(two_sources):
    """Issue 22, item 11."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        await pilot.press("backslash", "backslash")
        await settle(app, pilot)
        assert screen.sources.display  # the list's layout: sources shown
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.state.reading and not screen.sources.display
        assert screen.article.region.width == 80
        await pilot.press("backslash")  # asked for while reading: beside the article
        await settle(app, pilot)
        assert screen.sources.display


async def test_removing_a_source_leaves_the_list_of_the_view_its_title_names(two_sources):
    """Issue 22, item 2: show Alpha, move to Beta in the sources pane, D, y."""
    from tui.ui.dialogs import ConfirmScreen

    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        _show(app, "Alpha")
        await settle(app, pilot)
        sources = screen.sources
        sources.focus()
        beta = next(k for k, v in sources.views.items() if v.label == "Beta")
        sources.highlighted = sources.get_option_index(beta)
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot, rounds=5)
        lst = app.query_one(HeadlineList)
        label = str(lst.border_title)
        rows = [lst.row(i) for i in range(lst.count)]
        if label == "Alpha":  # the view shown stays: Alpha's entries
            assert {r.source_title for r in rows} == {"Alpha"}
        else:  # else the list is the one its title names
            assert label == "All unread", label
            assert lst.count == 32 and all(not r.read for r in rows)
            assert {r.source_title for r in rows} == {"Alpha", "Gamma"}


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_article_header_shrinks_on_a_short_terminal(two_sources, size):
    """Issue 22, item 22: at 80x24 the pinned header took 7 of 22 rows."""
    from textual.widgets import Static

    app = make_app(Context(), offline=True)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        header = reader(app).article.query_one("#article-header", Static)
        shown = str(header.content)
        if size[1] < 30:
            assert header.outer_size.height <= 3 and "http" not in shown, shown
        else:
            assert "/article/" in shown  # room enough: the link stays


STORY = [
    "Minsk closes airspace for parade rehearsal",
    "Belarus closes Minsk airspace ahead of military parade rehearsal",
]


@pytest.fixture
def late_follow_up(server, data_dir):
    """Feed A's story entry is read; then feed B brings a late entry of the same story."""
    from feedgen import rss
    from ui_helpers import NOW, db

    from tui.cli.main import main

    def item(n: int, ago: int) -> dict:
        return {"title": STORY[n], "guid": f"s{n}", "date": NOW - ago,
                "link": server.url(f"/s{n}"), "summary": f"<p>{STORY[n]}.</p>"}  # fmt: skip

    subscribe(server, "/a.xml", "Feed A", [item(0, 3600)])
    conn = db(data_dir)
    with conn:
        conn.execute("UPDATE entries SET read = 1")
    url = subscribe(server, "/b.xml", "Feed B", [])
    server.add("/b.xml", rss("Feed B", [item(1, 600)]))
    assert main(["refresh", "--no-articles"]) == 0
    return url


async def test_a_late_entry_of_a_read_story_is_marked_as_a_follow_up(late_follow_up):
    """Issue 22, item 12."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 1
        line = lst.render_line(0).text
        assert "↻ +1 read" in line and STORY[1][:20] in line, line


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_focused_pane_shows_by_shape_and_the_others_are_visible(
    two_sources, tmp_path, theme
):
    """Issue 22, item 27: over 256 colours the colours alone ran together."""
    (tmp_path / "config.toml").write_text(f'theme = "{theme}"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        lst, sources = screen.headlines, screen.sources
        assert lst.has_focus
        assert lst.styles.border_top[0] == "heavy" and sources.styles.border_top[0] == "round"
        edge = sources.styles.border_top[1]
        ground = sources.styles.background
        assert abs(edge.brightness - ground.brightness) > 0.2, (edge, ground)


@pytest.fixture
def foldered(server):
    from tui.cli.main import main

    for name in ("Alpha", "Beta"):
        url = subscribe(server, f"/{name}.xml", name, items(server, 2, name))
        assert main(["add", url, "--folder", "World"]) == 0


async def test_folders_collapse_and_expand_from_the_keyboard(foldered):
    """Issue 22, item 28: h / left collapses a folder (from a source in it too), l expands."""
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        sources = reader(app).sources

        def shown() -> list[str]:
            return [str(sources.get_option_at_index(i).prompt) for i in range(sources.option_count)]

        sources.focus()
        alpha = next(k for k, v in sources.views.items() if v.label == "Alpha")
        sources.highlighted = sources.get_option_index(alpha)
        await pilot.press("h")
        await settle(app, pilot)
        assert any("▸ World" in line for line in shown())
        assert not any("Alpha" in line for line in shown())
        assert sources.highlighted_option.id == "folder:World"
        await pilot.press("l")
        await settle(app, pilot)
        assert any("▾ World" in line for line in shown()) and any("Alpha" in s for s in shown())

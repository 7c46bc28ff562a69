"""Search, saved views, the links screen (open, copy, play), themes and per-source settings."""

from __future__ import annotations

import json
import tomllib

import pytest
from textual.command import CommandList
from ui_helpers import NOW, db, items, settle, subscribe

from tui.services import links
from tui.services.context import Context
from tui.settings import configfile
from tui.store import EntryRow
from tui.store.views import TODAY
from tui.ui.app import make_app
from tui.ui.dialogs import EditSourceScreen, LinksScreen
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.searchbar import SearchBar
from tui.ui.widgets.sources import SourceList


@pytest.fixture
def sources(server, data_dir):
    world = subscribe(server, "/world.xml", "World", items(server, 6, "World"))
    subscribe(
        server,
        "/tech.xml",
        "Tech",
        [
            {
                "title": "Lithium batteries get cheaper",
                "guid": "t1",
                "date": NOW - 60,
                "link": "https://example.org/lithium",
                "summary": "Cheaper cells.",
            },
            {
                "title": "Old news about volcanoes",
                "guid": "t2",
                "date": NOW - 90 * 86400,
                "link": "https://example.org/volcano",
                "summary": "Lithium is mentioned here.",
            },
        ],
    )
    with db(data_dir) as con:  # what a podcast feed with links in its HTML would store
        con.execute(
            "UPDATE entries SET content_html = ?, enclosures = ? WHERE title LIKE 'Lithium%'",
            (
                '<p>See <a href="/report.pdf">the report</a> and '
                '<a href="javascript:alert(1)">this</a>.</p>',
                json.dumps(
                    [
                        {
                            "url": "https://example.org/ep1.mp3",
                            "type": "audio/mpeg",
                            "length": "12000000",
                        }
                    ]
                ),
            ),
        )
    return world


async def _search(app, pilot, text: str) -> None:
    await pilot.press("slash", *text)
    lst = app.query_one(HeadlineList)
    # the list switches to the search view once the debounce has passed
    while lst.view is None or lst.view.kind != "search":
        await pilot.pause()
    await settle(app, pilot)


async def test_search_filters_live_and_escape_clears(sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 8
        await _search(app, pilot, "lith")
        assert isinstance(app.focused, SearchBar)
        assert lst.view.kind == "search" and lst.count == 2  # title match and text match
        titles = [lst.render_line(i).text for i in range(2)]
        assert any("Lithium batteries" in t for t in titles)
        # the match is underlined in the title
        strip = lst.render_line(0)
        assert any(
            seg.style and seg.style.underline and seg.text.lower().startswith("lith")
            for seg in strip
        )
        await pilot.press("enter")  # keep the results, back to the list
        assert lst.has_focus and lst.count == 2
        await pilot.press("escape")
        await settle(app, pilot)
        assert lst.view.kind == "unread" and lst.count == 8
        assert not app.query_one(SearchBar).display


async def test_search_narrows_the_current_view(sources):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        srcs = app.query_one(SourceList)
        srcs.focus()
        oid = next(
            k
            for k, v in srcs.views.items()
            if v.kind == "source" and "World" in str(srcs.get_option(k).prompt)
        )
        srcs.highlighted = srcs.get_option_index(oid)
        await pilot.press("enter")
        await settle(app, pilot)
        await _search(app, pilot, "lithium")
        lst = app.query_one(HeadlineList)
        assert lst.count == 0  # World has no lithium story
        await pilot.press("escape")
        await settle(app, pilot)
        assert lst.count == 6


async def test_saved_views_today_and_config_views_with_counts(sources, data_dir):
    (data_dir.parent / "config.toml").write_text(
        '[[views]]\nname = "Batteries"\nquery = "lithium"\n'
    )
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        srcs = app.query_one(SourceList)
        ids = [srcs.get_option_at_index(i).id for i in range(srcs.option_count)]
        assert ids[:5] == ["front", "unread", "starred", "today", "view:1"]
        today = app.store.count(TODAY)  # the fixture's entries may straddle midnight
        assert 1 <= today <= 7
        assert str(srcs.get_option("today").prompt).strip() == f"Today {today}"
        assert str(srcs.get_option("view:1").prompt).strip() == "Batteries 2"
        srcs.focus()
        srcs.highlighted = 4
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(HeadlineList).count == 2


def test_collect_links_keeps_only_safe_distinct_links():
    entry = EntryRow(
        id=1,
        source_id=1,
        link="https://example.org/a",
        media="[]",
        summary_html="",
        enclosures=json.dumps(
            [
                {"url": "https://example.org/ep.mp3", "type": "audio/mpeg", "length": "2000000"},
                {"url": "file:///etc/passwd"},
            ]
        ),
        content_html='<a href="/b">B</a><a href="https://example.org/a">dup</a>'
        '<a href="javascript:x()">js</a><a href="data:x">d</a>',
    )
    found = links.collect_links(entry)
    assert [(link.url, link.kind) for link in found] == [
        ("https://example.org/a", "article"),
        ("https://example.org/ep.mp3", "enclosure"),
        ("https://example.org/b", "link"),
    ]
    assert "2.0 MB" in found[1].label


async def test_links_screen_numbers_open_copy_and_play(sources, data_dir, monkeypatch):
    (data_dir.parent / "config.toml").write_text('player = ["mpv", "--no-video"]\n')
    popen, opened = [], []
    monkeypatch.setattr(links.subprocess, "Popen", lambda args, **kw: popen.append((args, kw)))
    monkeypatch.setenv("DISPLAY", ":0")
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "batteries")
        await pilot.press("enter", "L")  # the lithium story
        await settle(app, pilot)
        assert isinstance(app.screen, LinksScreen)
        urls = [link.url for link in app.screen.links]
        assert urls == [
            "https://example.org/lithium",
            "https://example.org/ep1.mp3",
            "https://example.org/report.pdf",
        ]
        await pilot.press("3")
        await settle(app, pilot)
        assert opened == ["https://example.org/report.pdf"]
        await pilot.press("L")
        await settle(app, pilot)
        await pilot.press("y", "2")
        await settle(app, pilot)
        assert app.clipboard == "https://example.org/ep1.mp3"
        await pilot.press("L")
        await settle(app, pilot)
        await pilot.press("P", "2")
        await settle(app, pilot)
        assert popen[0][0] == ["mpv", "--no-video", "https://example.org/ep1.mp3"]
        assert "shell" not in popen[0][1]


def test_config_edits_keep_the_rest_of_the_file(tmp_path):
    path = tmp_path / "config.toml"
    text = (
        '# my settings\ntimeout = 5.0  # keep\n\n[keys]\nnext_unread = "n"\n\n'
        '[sources."https://a.example/feed"]\nuser_agent = "X"  # needed\nprefetch = true\n'
    )
    path.write_text(text)
    configfile.rewrite(path, lambda t: configfile.set_top_level(t, "theme", "textual-light"))
    configfile.rewrite(
        path,
        lambda t: configfile.set_source_table(
            t, "https://a.example/feed", {"prefetch": False, "refresh_interval": 90}
        ),
    )
    configfile.rewrite(
        path, lambda t: configfile.set_source_table(t, 'https://b.example/"q"', {"prefetch": True})
    )
    new = path.read_text()
    assert '# my settings\ntimeout = 5.0  # keep\ntheme = "textual-light"\n' in new
    assert 'user_agent = "X"  # needed' in new
    parsed = tomllib.loads(new)
    assert parsed["theme"] == "textual-light" and parsed["keys"] == {"next_unread": "n"}
    assert parsed["sources"]["https://a.example/feed"] == {
        "user_agent": "X",
        "prefetch": False,
        "refresh_interval": 90,
    }
    assert parsed["sources"]['https://b.example/"q"'] == {"prefetch": True}
    configfile.rewrite(path, lambda t: configfile.set_top_level(t, "theme", "nord"))
    assert tomllib.loads(path.read_text())["theme"] == "nord"
    assert path.read_text().count("theme =") == 1


async def test_theme_from_palette_is_saved_and_applied_at_start(sources, data_dir):
    config = data_dir.parent / "config.toml"
    config.write_text("# mine\nrefresh_on_start = false\n")
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"textual-light")
        commands = app.screen.query_one(CommandList)
        while commands.highlighted_option is None or "textual-light" not in str(
            commands.highlighted_option.prompt
        ):
            await pilot.pause()  # the palette searches in a worker
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.theme == "textual-light"
    assert config.read_text().startswith("# mine\nrefresh_on_start = false\n")
    assert tomllib.loads(config.read_text())["theme"] == "textual-light"
    again = make_app(Context(), offline=True)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        assert again.theme == "textual-light"


async def test_edit_source_settings(sources, data_dir):
    config = data_dir.parent / "config.toml"
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(app, pilot)
        srcs = app.query_one(SourceList)
        srcs.focus()
        oid = next(
            k
            for k in srcs.views
            if k.startswith("source:") and "World" in str(srcs.get_option(k).prompt)
        )
        srcs.highlighted = srcs.get_option_index(oid)
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, EditSourceScreen)
        app.screen.query_one("#title").value = "Planet"
        app.screen.query_one("#folder").value = "News"
        app.screen.query_one("#interval").value = "abc"
        await pilot.click("#save")
        await pilot.pause()
        assert "whole number" in str(app.screen.query_one("#error").content)
        app.screen.query_one("#interval").value = "120"
        app.screen.query_one("#prefetch").value = False
        app.screen.query_one("#interval").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, EditSourceScreen), app.screen.query_one("#error").content
        assert "folder:News" in srcs.views
        assert app.config.interval(sources) == 7200
    row = (
        db(data_dir)
        .execute("SELECT title_override, folder FROM sources WHERE url = ?", (sources,))
        .fetchone()
    )
    assert row == ("Planet", "News")
    table = tomllib.loads(config.read_text())["sources"][sources]
    assert table == {"prefetch": False, "refresh_interval": 120}

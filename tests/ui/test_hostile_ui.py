"""Hostile entries in the real app (Pilot): shown literally, never live, never opened or copied."""

from __future__ import annotations

import time
import webbrowser

import pytest
from hostile.feeds import BAD_LINKS, ESCAPES, MARKUP, UNICODE
from hostile.harness import assert_clean, record, server  # noqa: F401 (fixture)
from ui_helpers import plain, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList


def _entries() -> list[dict]:
    texts = MARKUP + [f"{k} {v}" for k, v in ESCAPES.items()] + list(UNICODE.values())
    now = time.time()
    out = [
        {
            "title": t,
            "guid": f"h{i}",
            "date": now - i,
            "link": BAD_LINKS[i % 6],
            "summary": f"<p>{t}</p><p>[b]not bold[/b]</p>",
            "image": "http://example.org/i.jpg",
            "caption": t,
            "credit": MARKUP[1],
        }
        for i, t in enumerate(texts)
    ]
    return out


@pytest.fixture
def hostile_cache(server, data_dir):
    subscribe(server, "/hostile.xml", "[@click=app.quit]Src[/] \x1b[31m", _entries())
    (data_dir.parent / "config.toml").write_text("refresh_on_start = false\n")
    return len(_entries())


async def test_every_hostile_entry_renders_literally(hostile_cache, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.setenv("DISPLAY", ":0")  # pretend a browser could be opened
    app = make_app(Context(), offline=True)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", lambda text: copied.append(text))
    started = time.monotonic()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == hostile_cache
        sources_text = "\n".join(
            app.query_one("#sources").render_line(y).text
            for y in range(app.query_one("#sources").size.height)
        )
        assert_clean(sources_text, "sources pane")
        # literal (cut in the middle with an ellipsis to keep its unread count in view)
        assert "[@click=app" in sources_text and "Src[/]" in sources_text, sources_text
        for row in range(hostile_cache):
            assert_clean(lst.render_line(row).text, f"headline row {row}")
            await pilot.press("enter")
            await settle(app, pilot, rounds=1)
            header = plain(app.query_one("#article-header"))
            body = plain(app.query_one("#article-body"))
            assert_clean(header, f"article header {row}")
            assert_clean(body, f"article body {row}")
            assert "[b]not bold[/b]" in body
            if row < len(BAD_LINKS) - 1:  # each dangerous link kind once
                await pilot.press("o", "y")
                await settle(app, pilot, rounds=1)
            if row < len(MARKUP):
                await pilot.click("#article-header", offset=(3, 0))  # [@click] does nothing
                await pilot.pause()
            assert app.is_running and app.return_code is None
            await pilot.press("escape", "j")
        screen_text = app.export_screenshot()
        assert "\x1b" not in screen_text and "\x07" not in screen_text
        assert app.is_running
    record(
        "TUI: open, click, o/y on 16 hostile entries",
        seconds=round(time.monotonic() - started, 3),
        lost=0,
        code=0,
    )
    assert opened == [] and copied == []  # no entry had an http(s) link


async def test_markup_title_header_is_literal(hostile_cache):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        seen = []
        for _ in MARKUP:
            await pilot.press("enter")
            await settle(app, pilot)
            seen.append(plain(app.query_one("#article-header")).split("\n")[0])
            await pilot.press("escape", "j")
        for t in MARKUP:
            assert t in seen, (t, seen)
        assert app.is_running


async def test_a_source_title_in_the_list_border_is_never_markup(hostile_cache):
    """Choosing a source puts its title in the headline list's border: `[b]…[/b]` there shows
    literally (a border title is parsed as markup unless it is given as Content)."""
    import html
    import re

    from tui.ui.widgets.sources import SourceList

    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        sources = app.query_one(SourceList)
        (oid,) = [k for k in sources.views if k.startswith("source:")]
        sources.focus()
        sources.highlighted = sources.get_option_index(oid)
        await pilot.press("enter")
        await settle(app, pilot)
        svg = app.export_screenshot()
        shown = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
        assert "[@click=app.quit]Src[/]" in shown
        assert app.is_running

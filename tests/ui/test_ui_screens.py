"""Key screens over the demo cache, checked for what they must say through the exported SVG
(the same export scripts/screenshots.py writes to screenshots/). Pixel-level baselines of the
same screens are in tests/snapshots/."""

from __future__ import annotations

import html
import re

import pytest
from ui_helpers import settle

from tui.services.context import Context
from tui.services.demo import prepare_demo
from tui.ui.app import make_app
from tui.ui.render import UNREAD_MARK


@pytest.fixture
def demo(data_dir):
    ctx = Context()
    prepare_demo(ctx.store())
    ctx.close()


def svg_text(app) -> str:
    """The exported SVG's visible text, one string (spaces unescaped, tags dropped)."""
    svg = app.export_screenshot()
    assert svg.startswith("<svg")
    text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
    return re.sub(r" +", " ", text)


async def test_headlines_80x24(demo):
    app = make_app(Context(), offline=True, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = svg_text(app)
        assert "[b]Markup[/b] in titles" in text  # a title with markup, shown literally
        assert UNREAD_MARK in text and "All unread 24" in text and "Today" in text
        footer = app.screen.get_widget_at(2, 23)[0]
        assert footer.region.bottom == 24
        assert "? Help" in text and "q Quit" in text  # the footer fits in 80 columns


async def test_article_with_caption_and_credit_120x36(demo):
    app = make_app(Context(), offline=True, demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        text = svg_text(app)
        assert "▀" * 20 in text  # the demo's lead picture, in half-blocks, not "▣ image"
        assert "The thread list of the forum after the update" in text
        lines = app.query_one("#article-body").render_lines(
            app.query_one("#article-body").region.reset_offset
        )
        plain = [s.text.strip() for s in lines]
        assert "© Circuit" in plain  # the credit on a line of its own
        # the headline pane keeps room for titles while the article is open
        row = app.query_one("#headlines").render_line(1).text
        assert len(row.split("  ")[-1].strip()) >= 20


async def test_search_and_light_theme_160x45(demo):
    app = make_app(Context(), offline=True, demo=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"storm")
        while "Search: storm" not in svg_text(app):  # the search waits out its debounce
            await settle(app, pilot)
        text = svg_text(app)
        assert "Search: storm" in text and "Portuguese coastal towns brace" in text
        assert "Minsk closes airspace" not in text
        await pilot.press("escape")
        dark = _fills(app.export_screenshot())
        app.theme = "textual-light"
        await settle(app, pilot)
        assert "Minsk closes airspace" in svg_text(app)
        light = _fills(app.export_screenshot())
        assert _luma(light.most_common(1)[0][0]) > 0.7 > 0.3 > _luma(dark.most_common(1)[0][0])


def _fills(svg: str):
    from collections import Counter

    return Counter(re.findall(r'fill="(#[0-9a-fA-F]{6})"', svg))


def _luma(hex_color: str) -> float:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b

"""Text that does not fit says so, and nothing is said twice (issue 22, items 5, 26, 31, 32):
a cut title, river line or source name ends in "…" (a source name is cut in the middle, so
names that share their start stay apart); a dek that repeats the title is not shown; nested
lists in feed text keep their levels; sizes of one photo are one figure."""

from __future__ import annotations

import json
import sqlite3

import pytest
from rich.console import Console
from ui_helpers import items, settle, subscribe

from tui.extract import html_to_blocks
from tui.services.context import Context
from tui.services.reader import feed_article
from tui.store.extras import RowExtra
from tui.ui import river
from tui.ui.app import make_app
from tui.ui.render import article_body
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceLine

CONSOLE = Console(width=200)
LONG = "A headline that goes on and on about the harbour, the ferry, the council and the weather"


def _plain(lines) -> list[str]:
    return [line.plain for line in lines]


def test_a_dek_that_repeats_the_title_is_not_shown():
    row = (1, 0, 0, 0.0, "Feed", "Big fire in town")
    same = _plain(river.block(CONSOLE, row, RowExtra(dek="Big fire in town."), 80, False))
    assert sum("Big fire in town" in line for line in same) == 1, same
    longer = river.block(CONSOLE, row, RowExtra(dek="Big fire in town: ten homes lost."), 80, False)
    assert any(
        line.strip() == "Ten homes lost." or "ten homes lost." in line for line in _plain(longer)
    )
    assert sum("Big fire in town" in line for line in _plain(longer)) == 1


def test_river_lines_that_are_cut_end_in_an_ellipsis():
    row = (1, 0, 0, 0.0, "The Very Long Name of a Regional Evening Newspaper Group Online", "T")
    extra = RowExtra(sources=("Another Source With A Long Name",) * 4, story=1, members=(2,))
    lines = _plain(river.block(CONSOLE, row, extra, 40, True, marker="▸ +4"))
    meta = lines[river.META_LINE]
    assert len(meta) <= 40 and meta.endswith("…"), meta


def test_source_names_that_share_a_start_stay_apart():
    console = Console(width=22)
    shown = []
    for name in ("The Ashford Daily Courier Online", "The Ashford Daily Gazette Online"):
        with console.capture() as cap:
            console.print(SourceLine(" ", name, 12))
        shown.append(cap.get().rstrip("\n"))
    assert shown[0] != shown[1], shown
    assert all("…" in s and s.endswith(" 12") for s in shown), shown


def test_nested_lists_in_feed_text_keep_their_levels():
    html = "<ul><li>Fruit<ul><li>Apple</li><li>Pear</li></ul></li><li>Veg</li></ul>"
    [block] = html_to_blocks(html)
    assert len(block.items) == 4
    from tui.models import Article

    text = article_body(Article(blocks=[block])).plain.splitlines()
    assert text == ["  • Fruit", "    ◦ Apple", "    ◦ Pear", "  • Veg"], text


def test_sizes_of_one_photo_already_cached_are_one_figure(tmp_path):
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    media = [
        {"url": "https://i.g.example/a.jpg?w=140", "credit": "Photograph: A"},
        {"url": "https://i.g.example/a.jpg?w=460", "credit": "Photograph: A"},
    ]
    entry = db.execute(
        "SELECT 1 AS id, 1 AS source_id, 0 AS read, 0 AS starred, 0.0 AS sort_time, 'https://g.example/a' AS link, '' AS content_html, '<p>Text</p>' AS summary_html,"
        " 'Text' AS summary_text, ? AS media, 'T' AS title, NULL AS author, 'G' AS source_title,"
        " NULL AS published",
        (json.dumps(media),),
    ).fetchone()
    from tui.store.records import EntryRow

    figures = [b for b in feed_article(EntryRow.from_row(entry)).blocks if b.type == "figure"]
    assert len(figures) == 1


@pytest.fixture
def long_titles(server):
    subscribe(server, "/long.xml", "Long", items(server, 3, LONG))


async def test_a_cut_title_in_the_list_ends_in_an_ellipsis(long_titles):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        visible = lst.scrollable_content_region.width  # the scrollbar covers the rest
        first = lst.render_line(0).text[:visible]
        assert first.rstrip().endswith("…"), first

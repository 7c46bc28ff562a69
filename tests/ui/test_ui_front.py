"""The Front page in the reader, driven by Pilot over a cache filled from a loopback server: the
first row of the sources pane; stories ranked by the sources carrying them, in the river's
shape, led by the entry with a photo; `l` lists the other entries, Enter opens the lead and
marks the story as a folded story's row does; rules' hidden entries do not count."""

from __future__ import annotations

import pytest
from front_stories import STORY_A, STORY_B
from ui_helpers import NOW, db, settle, subscribe

from tui.services.context import Context
from tui.ui import river
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList

ALONE = ["Glacier loses a tenth of its ice", "Cocoa prices fall for a fifth day", "Tide tables"]


def _items(server, n: int) -> list[dict]:
    photo = {"image": "https://img.example/p.jpg", "credit": "© Jo", "caption": "Jets over Minsk"}
    out = [
        {
            "title": STORY_A[n],
            "guid": f"a{n}",
            "date": NOW - 3000 + 60 * n,  # the photo's entry (n = 0) is the oldest
            "link": server.url(f"/a/a{n}"),
            "summary": f"<p>{STORY_A[n]}.</p>",
            **(photo if n == 0 else {}),
        },
        {
            "title": ALONE[n],
            "guid": f"o{n}",
            "date": NOW - 300 - 60 * n,
            "link": server.url(f"/a/o{n}"),
            "summary": f"<p>[b]Dek[/b] of {ALONE[n]}.</p>",
        },
    ]
    if n < 2:
        out.append(
            {
                "title": STORY_B[n],
                "guid": f"b{n}",
                "date": NOW - 2000 + 60 * n,
                "link": server.url(f"/a/b{n}"),
                "summary": "<p>Metals.</p>",
            }
        )
    return out


@pytest.fixture
def front_cache(server):
    for n in range(3):
        subscribe(server, f"/f{n}.xml", f"Feed {n}", _items(server, n))


async def open_front(app, pilot) -> HeadlineList:
    await settle(app, pilot)
    sources = app.reader.query_one(SourceList)
    assert sources.get_option_at_index(0).id == "front"
    sources.focus()
    await pilot.press("home", "enter")
    await settle(app, pilot)
    lst = app.reader.query_one(HeadlineList)
    assert lst.view is not None and lst.view.kind == "front"
    return lst


def _block(lst: HeadlineList, index: int) -> str:
    start = index * river.LINES
    return "\n".join(lst.render_line(y - round(lst.scroll_y)).text for y in range(start, start + 5))


def _title(lst: HeadlineList, index: int) -> str:
    return lst.row(index)[5]


async def test_front_page_ranks_stories_by_sources_in_the_river_shape(front_cache, data_dir):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        lst = await open_front(app, pilot)
        assert "Front page" in str(app.reader.query_one(SourceList).get_option_at_index(0).prompt)
        assert lst.count == 5 and lst.block == river.LINES  # river shape, though v is off
        assert not lst.river
        assert _title(lst, 0) == STORY_A[0]  # three sources; led by the entry with a photo
        assert _title(lst, 1) in STORY_B  # two sources
        assert {_title(lst, i) for i in (2, 3, 4)} == set(ALONE)
        first = _block(lst, 0)
        assert "Jets over Minsk" in first and "▸ +2" in first and "Feed 2, Feed 1" in first
        # l lists the story's other entries under its lead; h folds them again
        await pilot.press("l")
        await settle(app, pilot)
        assert lst.count == 7
        assert [_title(lst, i) for i in range(3)] == [STORY_A[0], STORY_A[2], STORY_A[1]]
        assert _title(lst, 3) in STORY_B
        await pilot.press("j", "h")
        await settle(app, pilot)
        assert lst.count == 5 and lst.cursor == 0
        # Enter opens the lead and marks the story read, as a folded story's row does
        lead = lst.selected_id
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.reader.article.entry_id == lead
        reads = "SELECT title, read FROM entries WHERE title LIKE '%airspace%'"
        assert dict(db(data_dir).execute(reads)) == dict.fromkeys(STORY_A, 1)
        # read during this visit: the story stays listed until the page is left
        app.reader.headlines.focus()
        await pilot.press("g")
        await settle(app, pilot)
        assert _title(lst, 0) == STORY_A[0]


async def test_front_page_leaves_out_what_rules_hide(front_cache, tmp_path):
    (tmp_path / "config.toml").write_text('[[rules]]\nmatch = "belarus"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        lst = await open_front(app, pilot)
        # story A has two sources left, as story B: the newer of the two leads
        assert lst.count == 5
        assert _title(lst, 0) in STORY_B and _title(lst, 1) == STORY_A[0]
        assert "Feed 2" in _block(lst, 1) and "Feed 1" not in _block(lst, 1)


async def test_front_page_fits_80x24_and_marks_the_whole_story(front_cache, data_dir):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await open_front(app, pilot)
        app.reader.headlines.focus()
        await pilot.press("m")  # marking the lead's row marks the story
        await settle(app, pilot)
        reads = "SELECT read FROM entries WHERE title LIKE '%airspace%'"
        assert [r for (r,) in db(data_dir).execute(reads)] == [1, 1, 1]
        assert lst.count == 5  # kept while on the page
        await pilot.press("A")  # mark all visible read: every entry of every story
        await settle(app, pilot)
        await pilot.press("y")  # several sources: it asks first (issue 22, item 38)
        await settle(app, pilot)
        assert (
            db(data_dir).execute("SELECT COUNT(*) FROM entries WHERE read = 0").fetchone()[0] == 0
        )

"""The river layout and the story keys, driven by Pilot over a cache filled from a loopback
server: v toggles (and is remembered), 80x24 shows at least three entries, n/p/space/marks work
as in the compact list; l/h expand and collapse a story; marking its row marks the story."""

from __future__ import annotations

import pytest
from ui_helpers import NOW, db, settle, subscribe

from tui.services.context import Context
from tui.ui import river
from tui.ui.app import make_app
from tui.ui.widgets.headlines import HeadlineList

STORY = [
    "Minsk closes airspace for parade rehearsal",
    "Belarus closes Minsk airspace ahead of military parade rehearsal",
    "Minsk airspace closed for parade rehearsal, airlines reroute",
]
OTHER = ["Cocoa prices fall", "Glacier loses ice", "Copper hits a high"]
PLACES = ["Ghana", "Lagos", "Accra", "Alps", "Tyrol", "Bern", "Chile", "Peru", "Zambia"]


def _items(server, n: int) -> list[dict]:
    own = [
        {
            "title": f"{OTHER[n]} {word}",
            "guid": f"o{n}-{k}",
            "date": NOW - 3600 - 600 * k - 60 * n,
            "link": server.url(f"/a/o{n}-{k}"),
            "summary": f"<p>[b]Dek[/b] of {OTHER[n]} number {k}, long enough to wrap.</p>",
        }
        for k, word in enumerate(PLACES[3 * n : 3 * n + 3])
    ]
    return [
        {
            "title": STORY[n],
            "guid": f"s{n}",
            "date": NOW - 600 + 60 * n,
            "link": server.url(f"/a/s{n}"),
            "summary": f"<p>{STORY[n]}.</p>",
            "image": "https://img.example/p.jpg",
            "credit": "© Jo for The Paper",
            "caption": "Jets over Minsk",
        },
        *own,
    ]


@pytest.fixture
def story_cache(server):
    for n in range(3):
        subscribe(server, f"/f{n}.xml", f"Feed {n}", _items(server, n))


def _visible_titles(lst: HeadlineList) -> list[str]:
    lines = [lst.render_line(y).text for y in range(lst.scrollable_content_region.height)]
    return [line for line in lines if line.startswith(("●", " ")) and line[:1] == "●"]


async def test_v_toggles_the_river_and_it_is_remembered(story_cache, tmp_path):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert not lst.river and lst.count == 10  # 12 entries, the story of 3 shown once
        await pilot.press("v")
        await settle(app, pilot)
        assert lst.river and lst.virtual_size.height == lst.count * river.LINES
        starts = _visible_titles(lst)
        assert len(starts) >= 3  # at least three entries at 80x24
        text = "\n".join(lst.render_line(y).text for y in range(river.LINES * 2))
        assert "[b]Dek[/b]" in text or "Jo for The Paper" in text  # dek or photo line, literal
        assert "Jets over Minsk" in text and "▸ +2" in text
    assert "river = true" in (tmp_path / "config.toml").read_text()
    app = make_app(Context(), offline=True)  # the next start is a river too
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.query_one(HeadlineList).river
        await pilot.press("v")
        await settle(app, pilot)
        assert not app.query_one(HeadlineList).river
    assert "river = false" in (tmp_path / "config.toml").read_text()


async def test_keys_in_the_river_work_as_in_the_compact_list(story_cache, data_dir):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j")
        assert lst.cursor == 4
        top = round(lst.scroll_y)
        assert top <= lst.cursor * river.LINES < top + lst.scrollable_content_region.height
        chosen = lst.selected_id
        await pilot.press("m")  # mark read
        await settle(app, pilot)
        assert (
            db(data_dir).execute("SELECT read FROM entries WHERE id = ?", (chosen,)).fetchone()[0]
            == 1
        )
        await pilot.press("s")
        await settle(app, pilot)
        assert (
            db(data_dir)
            .execute("SELECT starred FROM entries WHERE id = ?", (chosen,))
            .fetchone()[0]
            == 1
        )
        await pilot.press("g", "n")  # the first n opens the highlighted unread row itself
        await settle(app, pilot)
        assert app.reader.article.entry_id == lst.selected_id and lst.cursor == 0
        app.reader.headlines.focus()
        await pilot.press("p")
        await settle(app, pilot)
        assert lst.cursor == 0 and app.reader.article.entry_id == lst.selected_id
        app.reader.headlines.focus()
        await pilot.press("j", "space")  # space opens the highlighted entry
        await settle(app, pilot)
        assert app.reader.article.entry_id == lst.selected_id


async def test_l_and_h_expand_and_collapse_a_story_and_its_row_marks_the_story(
    story_cache, data_dir
):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.row(0)[5] == STORY[2] and "▸ +2" in lst.render_line(0).text
        await pilot.press("l")
        await settle(app, pilot)
        assert lst.count == 12
        assert [lst.row(i)[5] for i in range(3)] == [STORY[2], STORY[1], STORY[0]]
        assert "▾ +2" in lst.render_line(0).text and "└" in lst.render_line(1).text
        await pilot.press("j", "h")  # collapse from a member: back on the story's row
        await settle(app, pilot)
        assert lst.count == 10 and lst.cursor == 0 and lst.row(0)[5] == STORY[2]
        await pilot.press("enter")  # opening the story's row marks the whole story read
        await settle(app, pilot)
        marks = "SELECT title, read FROM entries WHERE story IS NOT NULL"
        assert {t: r for t, r in db(data_dir).execute(marks)} == dict.fromkeys(STORY, 1)
        app.reader.headlines.focus()
        await pilot.press("m")  # the story's row unread: that entry only, the others stay read
        await settle(app, pilot)
        assert sorted(r for _, r in db(data_dir).execute(marks)) == [0, 1, 1]


async def test_cluster_read_one_marks_only_the_row(story_cache, data_dir, tmp_path):
    (tmp_path / "config.toml").write_text('cluster_read = "one"\n')
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
    reads = db(data_dir).execute("SELECT read FROM entries WHERE story IS NOT NULL").fetchall()
    assert sorted(r[0] for r in reads) == [0, 0, 1]


async def test_rules_hide_entries_and_H_shows_them_dimmed(story_cache, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[[rules]]\nmatch = "cocoa"\nname = "no cocoa"\n\n[[rules]]\nmatch = "/[/"\nname = "bad"\n'
    )
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(HeadlineList)
        assert lst.count == 7 and lst.border_subtitle.startswith("3 hidden")
        assert any("'bad'" in str(n.message) for n in app._notifications)
        await pilot.press("H")
        await settle(app, pilot)
        assert lst.count == 10
        hidden = [i for i in range(lst.count) if lst.extra(i) and lst.extra(i).hidden]
        assert len(hidden) == 3
        line = lst.render_line(hidden[0] - round(lst.scroll_y))
        assert any(seg.style and seg.style.dim for seg in line if seg.text.strip())
        # the sources pane counts entries (not stories), hidden ones left out: 12 - 3
        assert str(app.reader.sources.get_option("unread").prompt).rstrip().endswith(" 9")

"""One story once and rules, end to end: a refresh from a loopback server groups the new
entries and stores their stories; lists fold them; rules hide, mark read and star; the CLI."""

from __future__ import annotations

import json
import time

import pytest
from feedgen import rss

from tui.cli.main import main
from tui.services.context import Context
from tui.services.listing import listing_for
from tui.store.counts import sources_counted
from tui.store.listing import Listing
from tui.store.rows import load_page
from tui.store.views import ALL_UNREAD, View

NOW = time.time()
STORY = [
    "Minsk closes airspace for parade rehearsal",
    "Belarus closes Minsk airspace ahead of military parade rehearsal",
    "Minsk airspace closed for parade rehearsal, airlines reroute",
]
OTHERS = [
    "Cocoa prices fall for a fifth day",
    "Glacier loses a tenth of its ice in two summers",
    "Copper hits a two-year high on grid spending",
]


def feed_items(server, n: int, title: str, other: str, sponsored: bool = False) -> list[dict]:
    items = [
        {
            "title": title,
            "guid": f"s{n}",
            "date": NOW - 600 + 60 * n,
            "link": server.url(f"/a/s{n}"),
            "summary": f"<p>{title}.</p>",
        },
        {
            "title": other,
            "guid": f"o{n}",
            "date": NOW - 3000 + 60 * n,
            "link": server.url(f"/a/o{n}"),
            "summary": "<p>Nothing to group.</p>",
        },
    ]
    if sponsored:
        items.append(
            {
                "title": "Sponsored: the best mattress of the year",
                "guid": f"ad{n}",
                "date": NOW - 5000,
                "link": server.url(f"/a/ad{n}"),
                "summary": "<p>An advertisement.</p>",
            }
        )
    return items


@pytest.fixture
def three_feeds(server):
    urls = []
    for n in range(3):
        urls.append(
            server.add(
                f"/f{n}.xml", rss(f"Feed {n}", feed_items(server, n, STORY[n], OTHERS[n], n == 0))
            )
        )
    for url in urls:
        assert main(["add", url]) == 0
    return urls


def headlines_json(capsys, *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["headlines", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_subscribing_groups_the_story_and_headlines_json_says_so(three_feeds, capsys):
    rows = headlines_json(capsys)
    by_title = {r["title"]: r for r in rows}
    stories = {by_title[t]["story"] for t in STORY}
    assert len(stories) == 1 and None not in stories
    assert all(by_title[t]["story"] is None for t in OTHERS)


def test_refresh_groups_new_entries_against_the_window(server, capsys):
    first = server.add("/a.xml", rss("A", feed_items(server, 0, STORY[0], OTHERS[0])))
    assert main(["add", first]) == 0
    second = server.add("/b.xml", rss("B", []))
    assert main(["add", second]) == 0
    server.add("/b.xml", rss("B", feed_items(server, 1, STORY[1], OTHERS[1])))
    capsys.readouterr()
    assert main(["refresh", "--json", "--no-articles"]) == 0
    report = json.loads(capsys.readouterr().out)
    # one new entry joined a story; the other new one stands alone and is not counted
    assert report["stories_grouped"] == 1
    rows = {r["title"]: r for r in headlines_json(capsys)}
    assert rows[STORY[0]]["story"] == rows[STORY[1]]["story"] == rows[STORY[0]]["id"]


def test_lists_fold_a_story_to_its_newest_entry_and_expand_it_in_place(three_feeds):
    ctx = Context()
    store, config = ctx.store(), ctx.config()
    listing = listing_for(ALL_UNREAD, config)
    assert listing.grouped
    assert store.count(ALL_UNREAD) == 7 and store.count(listing) == 5
    rows, extras = load_page(store, listing, 0)
    titles = [r[5] for r in rows]
    assert STORY[2] in titles and STORY[0] not in titles and STORY[1] not in titles
    top = rows[titles.index(STORY[2])]
    extra = extras[top[0]]
    assert len(extra.members) == 2 and set(extra.sources) == {"Feed 0", "Feed 1"}
    # expanded: every member, right under the row that stood for the story
    expanded = listing.expand(extra.story, top[0], top[3])
    rows = [r.title for r in store.page(expanded, 0, 50)]
    at = rows.index(STORY[2])
    assert rows[at : at + 3] == [STORY[2], STORY[1], STORY[0]]
    assert store.count(expanded) == 7
    member = next(r for r in store.page(expanded, 0, 50) if r.title == STORY[0])
    assert store.position_of(expanded, member.id) == at + 2
    assert store.next_unread(expanded, at) == at + 1
    # inside one source nothing folds; counts in the sources pane stay entry counts
    source = listing_for(View("source", source_id=1), config)
    assert not source.grouped
    assert [r.entries for r in sources_counted(store, None)] == [3, 2, 2]


def test_folded_story_in_all_unread_is_its_newest_unread_member(three_feeds):
    store = Context().store()
    listing = Listing(ALL_UNREAD, grouped=True)
    newest = next(r for r in store.page(View("all"), 0, 50) if r.title == STORY[2])
    store.set_read([newest.id])
    titles = [r.title for r in store.page(listing, 0, 50)]
    assert STORY[1] in titles and STORY[2] not in titles and STORY[0] not in titles
    assert store.count(listing) == 5
    assert store.mark_view_read(listing) == 6  # every member of the story, not just its row


def test_rules_hide_at_display_time_and_the_cli_manages_them(three_feeds, capsys, tmp_path):
    assert main(["rules", "add", "--match", "sponsored", "--field", "title", "--name", "ads"]) == 0
    assert main(["rules", "add", "--match", "/[unclosed/", "--name", "broken"]) == 2
    capsys.readouterr()
    titles = [r["title"] for r in headlines_json(capsys)]
    assert len(titles) == 6 and not any("Sponsored" in t for t in titles)
    rows = headlines_json(capsys, "--hidden")
    assert [r["hidden"] for r in rows].count(True) == 1
    assert next(r for r in rows if r["hidden"])["title"].startswith("Sponsored")
    capsys.readouterr()
    assert main(["search", "mattress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["search", "mattress", "--json", "--hidden"]) == 0
    assert [r["hidden"] for r in json.loads(capsys.readouterr().out)] == [True]
    # a bad rule in the file: one line naming it; the others still apply
    config = tmp_path / "config.toml"
    config.write_text(config.read_text() + '\n[[rules]]\nmatch = "x"\nfield = "nope"\n')
    titles = [r["title"] for r in headlines_json(capsys)]
    assert len(titles) == 6
    assert main(["rules", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["error"] is None) for r in listed] == [("ads", True), (None, False)]
    assert "unknown field 'nope'" in listed[1]["error"]
    assert main(["rules", "test", "--match", "airspace"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 cached entries match") and STORY[2] in out
    assert main(["rules", "remove", "ads"]) == 0
    assert "sponsored" not in config.read_text().lower()
    assert len(headlines_json(capsys)) == 7
    assert main(["rules", "remove", "9"]) == 1  # not found: a runtime error


def test_hidden_entries_are_not_counted_as_unread(three_feeds):
    from tui.services.listing import rules_sql
    from tui.services.rules import parse_rules

    store = Context().store()
    rules, errors = parse_rules(
        [
            {"match": "sponsored"},
            {"match": "!cocoa", "action": "keep-only", "sources": ["*/f0.xml"]},
        ]
    )
    assert errors == []
    hidden = rules_sql(rules)
    counts = {
        r.url.rsplit("/", 1)[1]: (r.entries, r.unread) for r in sources_counted(store, hidden)
    }
    # f0: the ad is hidden, and keep-only "!cocoa" hides the cocoa entry: the story entry stays
    assert counts["f0.xml"] == (1, 1)
    assert counts["f1.xml"] == (2, 2)


def test_read_and_star_rules_act_on_arrival(server, capsys, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[[rules]]\nmatch = "cocoa"\naction = "read"\n\n[[rules]]\nmatch = "glacier"\naction = "star"\n'
    )
    url = server.add("/a.xml", rss("A", []))
    assert main(["add", url]) == 0
    items = feed_items(server, 0, STORY[0], OTHERS[0]) + feed_items(server, 1, STORY[1], OTHERS[1])
    server.add("/a.xml", rss("A", items))
    capsys.readouterr()
    assert main(["refresh", "--json", "--no-articles"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["marked_read_by_rules"] == 1 and report["starred_by_rules"] == 1
    rows = {r["title"]: r for r in headlines_json(capsys)}
    assert rows[OTHERS[0]]["read"] and not rows[STORY[0]]["read"]
    assert rows[OTHERS[1]]["starred"] and not rows[OTHERS[0]]["starred"]


def test_stories_grouped_counts_only_entries_that_joined_a_story(server, capsys):
    url = server.add("/a.xml", rss("A", []))
    assert main(["add", url]) == 0
    server.add("/a.xml", rss("A", feed_items(server, 0, OTHERS[0], OTHERS[1])))
    capsys.readouterr()
    assert main(["refresh", "--json", "--no-articles"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["new_entries"] == 2 and report["stories_grouped"] == 0

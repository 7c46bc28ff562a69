"""The front page: ranking (pure), then end to end from a loopback server through a real
refresh into the cache, `newsdesk brief` in every format, `--mark-read`, and `unread`."""

from __future__ import annotations

import json
import time
from html import escape
from html.parser import HTMLParser

import pytest
from feedgen import rss
from front_stories import STORY_A, STORY_B

from tui.cli.main import main
from tui.services.front import choose_leads, order, others_listed, rank
from tui.store.front import WindowEntry

NOW = time.time()


def w(id, source, story=None, age=0.0, read=False) -> WindowEntry:
    return WindowEntry(id, source, story, NOW - age, read)


def test_rank_orders_by_distinct_sources_then_recency():
    entries = [
        # story 1: three entries but two sources
        w(1, 1, 1, age=500),
        w(2, 1, 1, age=400),
        w(3, 2, 1, age=300),
        # story 10: three sources, older
        w(10, 3, 10, age=900),
        w(11, 4, 10, age=800),
        w(12, 5, 10, age=700),
        # alone, newest of all
        w(20, 6, age=10),
        # story 30: two sources, all read: not on the page
        w(30, 1, 30, age=5, read=True),
        w(31, 2, 30, age=5, read=True),
    ]
    ranked = rank(entries)
    assert [(s.key, s.sources) for s in ranked] == [(10, 3), (1, 2), (-20, 1)]  # -id: alone
    assert ranked[0].members == [12, 11, 10]  # newest first until a lead is chosen
    assert rank(entries, limit=2)[-1].key == 1
    # grouping off: every entry is its own story, newest first
    assert [s.key for s in rank(entries, stories=False)][:3] == [-20, -3, -2]
    # read during this visit: the story stays listed
    assert [s.key for s in rank(entries, keep={31})] == [10, 30, 1, -20]


def test_lead_is_the_entry_with_a_full_article_and_a_photo_not_the_newest():
    entries = [w(1, 1, 1, age=100), w(2, 2, 1, age=50), w(3, 3, 1, age=10), w(4, 4, 1, age=5)]
    flags = {1: (True, True), 2: (True, False), 3: (False, True)}
    ranked = rank(entries)
    choose_leads(ranked, flags)
    assert ranked[0].lead == 1 and ranked[0].members == [1, 4, 3, 2]
    for given, lead in (
        ({2: (True, False), 3: (False, True)}, 2),
        ({3: (False, True)}, 3),
        ({}, 4),
    ):
        ranked = rank(entries)
        choose_leads(ranked, given)
        assert ranked[0].lead == lead
    # the other entries a brief names: one per source first
    story = rank([w(1, 1, 1, age=1), w(2, 1, 1, age=2), w(3, 2, 1, age=3), w(4, 3, 1, age=4)])[0]
    assert others_listed(story) == [3, 4, 2]


HOSTILE = [
    "<script>alert(1)</script> Glacier loses a tenth of its ice",
    "[click](javascript:alert(1)) *Cocoa* prices fall <img src=x onerror=alert(2)>",
    "Sponsored: the best mattress of the year",
]


@pytest.fixture
def feeds(server):
    """Three feeds: story A in all three, story B in two, one hostile title alone in each."""
    urls = []
    for n in range(3):
        items = [
            {
                "title": STORY_A[n],
                "guid": f"a{n}",
                "date": NOW - 3000 + 60 * n,
                "link": server.url(f"/a/a{n}"),
                "summary": f"<p>{STORY_A[n]}.</p>",
                **(
                    {"image": server.url("/i.jpg"), "caption": "Jets over Minsk", "credit": "AP"}
                    if n == 0
                    else {}
                ),
            },
            {
                "title": escape(HOSTILE[n]),  # the feed's text is the title, tags and all
                "guid": f"h{n}",
                "date": NOW - 600 + 60 * n,
                "link": "javascript:alert(3)" if n == 1 else server.url(f"/a/h{n}"),
                "summary": "<p>Alone &lt;b&gt;here&lt;/b&gt;.</p>",
            },
        ]
        if n < 2:
            items.append(
                {
                    "title": STORY_B[n],
                    "guid": f"b{n}",
                    "date": NOW - 2000 + 60 * n,
                    "link": server.url(f"/a/b{n}"),
                    "summary": "<p>Metals.</p>",
                }
            )
        urls.append(server.add(f"/f{n}.xml", rss(f"Feed {n}", items)))
    for url in urls:
        assert main(["add", url]) == 0
    return urls


def brief(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["brief", *args]) == 0
    return capsys.readouterr().out


def test_the_store_counts_stories_as_the_pure_ranking_does(feeds, capsys):
    from tui.services.context import Context
    from tui.services.front import aggregate
    from tui.store.front import story_counts, story_entries

    store = Context().store()
    since, until = NOW - 86400, NOW + 60
    for stories in (True, False):
        counts = story_counts(store, since, until, None, stories, keep=[2])
        everything = story_entries(store, [c.key for c in counts], since, until, None)
        assert len(everything) == 8
        assert sorted(counts) == sorted(aggregate(everything, stories, keep={2}))
    assert sorted(c.sources for c in story_counts(store, since, until, None)) == [1, 1, 1, 2, 3]
    # with a limit, SQLite ranks as services.front.order does
    for limit in (1, 2, 4, 9):
        top = story_counts(store, since, until, None, limit=limit)
        assert top == order(story_counts(store, since, until, None), limit)


def test_brief_json_ranks_the_stories_most_sources_carry(feeds, capsys):
    page = json.loads(brief(capsys, "--format", "json"))
    stories = page["stories"]
    assert [s["sources"] for s in stories[:2]] == [3, 2]
    top = stories[0]
    assert top["title"] == STORY_A[0]  # the one with a photo leads, not the newest
    assert top["photo_caption"] == "Jets over Minsk" and top["photo_credit"] == "AP"
    assert {o["source"] for o in top["others"]} == {"Feed 1", "Feed 2"}
    assert top["others_count"] == 2
    assert stories[1]["title"] in STORY_B
    assert len(stories) == 5  # two stories and three entries alone
    assert next(s for s in stories if s["source"] == "Feed 1" and s["sources"] == 1)["link"] is None
    assert len(json.loads(brief(capsys, "--json", "--limit", "2"))["stories"]) == 2
    # the window: nothing is younger than a minute... except nothing; 1h holds only the alone ones
    recent = json.loads(brief(capsys, "--format", "json", "--since", "20m"))["stories"]
    assert {s["sources"] for s in recent} == {1} and len(recent) == 3


def test_hidden_entries_do_not_count_toward_a_story(feeds, capsys, tmp_path):
    (tmp_path / "config.toml").write_text('[[rules]]\nmatch = "belarus"\n')
    stories = json.loads(brief(capsys, "--format", "json"))["stories"]
    assert [s["sources"] for s in stories[:2]] == [2, 2]
    assert all("Belarus" not in o["title"] for s in stories for o in s["others"])


def test_brief_marks_read_only_when_asked(feeds, capsys):
    capsys.readouterr()
    assert main(["unread"]) == 0
    assert capsys.readouterr().out.strip() == "8"
    brief(capsys, "--limit", "1")
    assert main(["unread"]) == 0
    assert capsys.readouterr().out.strip() == "8"
    assert main(["brief", "--limit", "1", "--mark-read"]) == 0
    assert "marked 3 entries read" in capsys.readouterr().err
    assert main(["unread", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["unread"] == 5
    assert [s["unread"] for s in counts["sources"]] == [2, 2, 1]
    titles = [s["title"] for s in json.loads(brief(capsys, "--format", "json"))["stories"]]
    assert not any(t in STORY_A for t in titles)


def test_unread_before_any_cache_is_zero_and_makes_no_cache(capsys, data_dir):
    assert main(["unread"]) == 0
    assert capsys.readouterr().out == "0\n"
    assert not data_dir.exists()


def test_brief_text_shows_titles_literally_without_controls(feeds, capsys):
    out = brief(capsys)
    assert out.startswith("Front page: 5 stories of the last 24 h")
    assert "<script>alert(1)</script> Glacier" in out
    assert "+2: Feed 2, Feed 1" in out  # newest first
    assert "Photo: Jets over Minsk (AP)" in out
    assert "javascript:" not in out.replace("[click](javascript:alert(1))", "")
    assert "\x1b" not in out


def test_brief_markdown_renders_as_text_only(feeds, capsys):
    from markdown_it import MarkdownIt  # CommonMark, as the Markdown in mail and notes

    md = brief(capsys, "--format", "markdown")
    html = MarkdownIt("commonmark").render(md)
    assert "<script" not in html and "<img" not in html and "<em>Cocoa" not in html
    assert html.count("<em>") == 5  # only our own bylines
    assert 'href="javascript' not in html.lower()
    hrefs = [h for h in _tags(html, "a")]
    assert hrefs and all(h["href"].startswith("http://127.0.0.1") for h in hrefs)
    # what the titles say, literally, once the Markdown is read
    text = _text(html)
    for title in HOSTILE[:2]:
        assert title in text


def test_brief_html_is_escaped_and_self_contained(feeds, capsys, tmp_path):
    target = tmp_path / "brief.html"
    assert main(["brief", "--format", "html", "-o", str(target)]) == 0
    page = target.read_text()
    tags = _all_tags(page)
    assert {t for t, _ in tags} <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "article", "p", "a",
    }  # fmt: skip
    assert all(a["href"].startswith("http://127.0.0.1") for t, a in tags if t == "a")
    assert 'name="viewport"' in page and "default-src 'none'" in page
    text = _text(page)
    for title in HOSTILE[:2]:
        assert title in text


def test_brief_output_errors_are_one_line(feeds, capsys, tmp_path):
    assert main(["brief", "-o", str(tmp_path / "no" / "such" / "dir.txt")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: cannot write") and err.count("\n") == 1
    assert main(["brief", "--since", "soon"]) == 2
    assert main(["brief", "--limit", "0"]) == 2


# -- helpers ----------------------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _all_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    c = _Collect()
    c.feed(html)
    return c.tags


def _tags(html: str, name: str) -> list[dict[str, str]]:
    return [a for t, a in _all_tags(html) if t == name]


def _text(html: str) -> str:
    c = _Collect()
    c.convert_charrefs = True
    c.feed(html)
    return "".join(c.text)

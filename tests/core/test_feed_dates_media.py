"""Feed details a new user met (issue 22): dates in the feed's own language are read (items 24),
undated items keep their fetch time and say "no date", and one photo in several Media RSS sizes
is one figure (item 5). Both parsers (the fast lxml path and feedparser's) agree."""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.feeds import parse_fallback, parse_fast, parse_feed
from tui.feeds.common import parse_date

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "feeds"


def utc(*fields: int) -> float:
    return float(calendar.timegm((*fields, 0, 0, 0)))


LOCALIZED = [
    ("Seg, 24 Set 2018 19:42:40 -0300", utc(2018, 9, 24, 22, 42, 40)),  # Portuguese
    ("Qua, 03 Out 2018 08:00:00 -0300", utc(2018, 10, 3, 11, 0, 0)),
    ("lun., 24 sept. 2018 19:42:40 +0200", utc(2018, 9, 24, 17, 42, 40)),  # French
    ("mer., 7 févr. 2018 10:00:00 +0100", utc(2018, 2, 7, 9, 0, 0)),
    ("Mo, 24. Sep 2018 19:42:40 +0200", utc(2018, 9, 24, 17, 42, 40)),  # German
    ("Di, 13 Okt 2020 07:00:00 GMT", utc(2020, 10, 13, 7, 0, 0)),
    ("Do, 19 März 2020 12:00:00 +0100", utc(2020, 3, 19, 11, 0, 0)),
    ("lun, 24 dic 2018 19:42:40 +0100", utc(2018, 12, 24, 18, 42, 40)),  # Spanish
    ("24 de septiembre de 2018 19:42:40 +0000", utc(2018, 9, 24, 19, 42, 40)),
    ("mié, 02 ene 2019 10:00:00 -0500", utc(2019, 1, 2, 15, 0, 0)),
]


@pytest.mark.parametrize("text,want", LOCALIZED, ids=[t for t, _ in LOCALIZED])
def test_localized_dates_are_read(text, want):
    assert parse_date(text) == want


@pytest.mark.parametrize("text", ["Seg, 24 Foo 2018 19:42:40 -0300", "soon", "Set 2018"])
def test_what_names_no_month_or_day_is_still_no_date(text):
    assert parse_date(text) is None


def _item(title: str, guid: str, date: str | None) -> str:
    when = f"<pubDate>{date}</pubDate>" if date else ""
    return f"<item><title>{title}</title><guid>{guid}</guid>{when}</item>"


def test_a_localized_feed_sorts_by_its_dates_and_undated_items_say_no_date(server, capsys):
    items = _item("Velha", "a", "Seg, 24 Set 2018 19:42:40 -0300") + _item("Sem data", "b", None)
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>PT</title>{items}</channel></rss>'
    )
    url = server.add("/pt.xml", body)
    assert main(["add", url]) == 0
    capsys.readouterr()
    assert main(["headlines", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in rows] == ["Sem data", "Velha"]  # undated: its fetch time
    assert rows[1]["published"] == "2018-09-24T22:42:40Z"
    assert rows[0]["published"] is None
    assert main(["headlines"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "Sem data" in x)
    assert "no date" in line
    # the reader's article header says so too, with when it arrived
    from tui.models import Article
    from tui.services.context import Context
    from tui.ui.render import article_header

    store = Context().store()
    header = article_header(store.entry(rows[0]["id"]), Article()).plain
    assert "no date (arrived " in header, header
    assert "2018" in article_header(store.entry(rows[1]["id"]), Article()).plain


SIZES = """<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>G</title>
<item><title>One photo</title><guid>p1</guid><link>https://g.example/a</link>
<media:content width="140" url="https://i.g.example/img/abc/master/3000.jpg?w=140&amp;s=1">
  <media:credit scheme="urn:ebu">Photograph: A. Person</media:credit></media:content>
<media:content width="460" url="https://i.g.example/img/abc/master/3000.jpg?w=460&amp;s=2">
  <media:credit scheme="urn:ebu">Photograph: A. Person</media:credit></media:content>
</item>
<item><title>Grouped</title><guid>p2</guid><link>https://g.example/b</link>
<media:group>
  <media:content url="https://i.g.example/small.jpg" width="300"/>
  <media:content url="https://i.g.example/large.jpg" width="1200"/>
  <media:credit>Photo: B</media:credit>
</media:group>
</item>
<item><title>Two photos</title><guid>p3</guid><link>https://g.example/c</link>
<media:content url="https://i.g.example/one.jpg" width="460"/>
<media:content url="https://i.g.example/two.jpg" width="460"/>
</item>
</channel></rss>"""


@pytest.mark.parametrize("parse", [parse_fast, parse_fallback], ids=["fast", "feedparser"])
def test_one_figure_per_photo_the_widest_size(parse):
    feed = parse(SIZES.encode(), "https://g.example/rss")
    assert feed is not None
    media = {e.title: [m.url for m in e.media] for e in feed.entries}
    assert media["One photo"] == ["https://i.g.example/img/abc/master/3000.jpg?w=460&s=2"]
    assert media["Two photos"] == ["https://i.g.example/one.jpg", "https://i.g.example/two.jpg"]
    if parse is parse_fast:  # feedparser does not keep media:group together
        assert media["Grouped"] == ["https://i.g.example/large.jpg"]


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared corpus absent")
def test_the_guardian_feed_has_one_figure_per_item():
    data = (CORPUS / "rss-parser" / "guardian.rss").read_bytes()
    feed = parse_feed(data, "https://www.theguardian.com/world/rss")
    assert feed.entries and all(len(e.media) <= 1 for e in feed.entries)

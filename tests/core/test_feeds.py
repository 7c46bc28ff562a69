"""Feed parsing: fixtures with known answers, hostile input, and a differential test in which
the lxml fast path must agree with the feedparser fallback on every feed it accepts."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tui.feeds import FeedError, parse_fallback, parse_fast, parse_feed
from tui.feeds.common import parse_date
from tui.feeds.jsonfeed import looks_like_json

FIXTURES = Path(__file__).parents[1] / "fixtures" / "feeds"
CORPUS_FEEDS = (
    Path(os.environ["NEWSDESK_CORPUS"])
    if os.environ.get("NEWSDESK_CORPUS")
    else Path(__file__).resolve().parents[3] / "shared" / "corpus"
) / "feeds"
BASE = "https://feeds.example.com/"

# Where feedparser is known to be wrong and the fast path right, by file and field.
KNOWN_DIFFERENCES = {
    # feedparser resolves atom:id against the xml:base of a sibling <content> ("/t3_…").
    "reddit-home.rss": {"key"},
    # <link href=""> means "no link"; feedparser resolves it to the feed's own URL.
    "OneFootTsunami.atom": {"link"},
}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def corpus_files() -> list[Path]:
    if not CORPUS_FEEDS.is_dir():
        return []
    return sorted(
        p
        for p in CORPUS_FEEDS.rglob("*")
        if p.is_file() and "expected" not in p.parts and p.suffix not in (".csv", ".txt", ".md")
    )


def view(feed, skip: set[str] = frozenset()) -> list[dict]:
    """What the two paths must agree on, per entry."""
    fields = {
        "key": lambda e: e.key,
        "title": lambda e: e.title,
        "link": lambda e: e.link,
        "published": lambda e: e.published,
        "captions": lambda e: sorted({m.caption for m in e.media if m.caption}),
        "credits": lambda e: sorted({m.credit for m in e.media if m.credit}),
    }
    return [{k: f(e) for k, f in fields.items() if k not in skip} for e in feed.entries]


def assert_paths_agree(data: bytes, name: str) -> bool:
    """True when the fast path took the file and agrees with feedparser; False when it declined."""
    fast = parse_fast(data, BASE + name)
    if fast is None:
        return False
    slow = parse_fallback(data, BASE + name)
    skip = KNOWN_DIFFERENCES.get(name, set())
    assert len(fast.entries) == len(slow.entries), name
    for i, (a, b) in enumerate(zip(view(fast, skip), view(slow, skip), strict=False)):
        assert a == b, f"{name} entry {i}"
    assert fast.title == slow.title, name
    return True


# ---------------------------------------------------------------------------------------------
# Fixtures with known answers


def test_rss20_media_captions_credits_and_enclosures():
    feed = parse_feed(fixture("rss20_media.xml"), "https://gazette.example.org/rss")
    assert (feed.format, feed.title, feed.ttl, feed.warning) == (
        "rss20",
        "Harbour Town Gazette",
        30,
        None,
    )
    ferry, library, podcast, market = feed.entries
    assert ferry.key == "gazette-1001"
    assert ferry.title == "Ferry timetable changes & new winter routes"
    assert ferry.link == "https://gazette.example.org/news/ferry-timetable"  # resolved
    assert ferry.author == "Mira Okonkwo"
    assert ferry.published == 1772525700.0  # 2026-03-03 08:15 UTC
    assert ferry.summary_text == "The harbour authority has published a new timetable."
    assert "Winter routes" in ferry.content_html
    assert [(m.url, m.caption, m.credit) for m in ferry.media] == [
        (
            "https://img.gazette.example.org/ferry.jpg",
            "The morning ferry leaving the north pier.",
            "Photo: Jonas Reyes",
        ),
    ]
    # guid without isPermaLink="false" doubles as the link; EST is UTC-5.
    assert library.link == library.key == "https://gazette.example.org/news/library-reopens"
    assert library.published == 1772491200.0
    assert {m.caption for m in library.media} == {
        "Volunteers carrying books into the renovated hall."
    }
    assert {m.credit for m in library.media} == {"Gazette archive"}
    # a media:group is one photo in several renditions: one figure (issue 22, item 5)
    assert [m.url for m in library.media] == ["https://img.gazette.example.org/library-wide.jpg"]
    assert [(e.url, e.type, e.length) for e in podcast.enclosures] == [
        ("https://cdn.gazette.example.org/podcast/ep12.mp3", "audio/mpeg", 18234567),
        ("https://cdn.gazette.example.org/podcast/ep12.jpg", "image/jpeg", 52311),
    ]
    assert [m.url for m in podcast.media] == ["https://cdn.gazette.example.org/podcast/ep12.jpg"]
    assert market.published is None
    assert market.media[0].url == "https://img.gazette.example.org/market-thumb.jpg"
    assert (market.media[0].caption, market.media[0].credit) == (
        "Stalls line the square on Saturday morning.",
        "Ada Lindqvist / Gazette",
    )


def test_atom():
    feed = parse_feed(fixture("atom.xml"), "https://notes.example.net/atom.xml")
    assert (feed.format, feed.title, feed.link) == (
        "atom10",
        "Field Notes & Sketches",
        "https://notes.example.net/",
    )
    herons, moths = feed.entries
    assert herons.key == "tag:notes.example.net,2026:herons"
    assert herons.link == "https://notes.example.net/posts/herons"  # via xml:base
    assert herons.author == "Tomás Varga"
    assert herons.published == 1770658200.0  # 18:30+01:00
    assert herons.updated == 1770710400.0
    assert herons.summary_text == "Thirty-one herons <and> one very confused swan."
    assert "<em>thirty-one</em>" in herons.content_html
    assert herons.enclosures[0].url == "https://notes.example.net/media/herons-map.png"
    assert herons.media[0].url == "https://notes.example.net/media/heron-thumb.jpg"
    assert moths.title == "Winter moths, a short list"
    assert moths.published == moths.updated == 1769558400.0  # date only: midnight UTC
    assert "December moth" in moths.summary_text


def test_rss10():
    feed = parse_feed(fixture("rss10.rdf"), BASE + "rss10.rdf")
    assert feed.format == "rss10"
    comet, cancelled = feed.entries
    assert comet.key == "https://observatory.example.com/b/42"  # rdf:about
    assert comet.published == 1768472400.0
    assert comet.author == "R. Aldana"
    assert cancelled.summary_text == "Cloud cover forecast at 95%."


def test_json_feed():
    feed = parse_feed(fixture("jsonfeed.json"), "https://workshop.example.com/feed.json")
    assert (feed.format, feed.title) == ("json11", "Workshop Log")
    radio, lathe = feed.entries
    assert radio.author == "Lena Fischer, Kofi Mensah"
    assert radio.published == 1772352000.0
    assert radio.summary_text == "Capacitors, a dial lamp and patience."
    assert radio.media[0].url == "https://workshop.example.com/img/radio.jpg"
    assert (radio.enclosures[0].type, radio.enclosures[0].length) == ("audio/ogg", 912345)
    assert lathe.key == "76"
    assert lathe.link == "https://workshop.example.com/log/76"
    assert lathe.summary_text == "Short note: the lathe is fixed."
    assert lathe.media[0].url.endswith("lathe-banner.jpg")


def test_truncated_json_feed_is_an_error():
    with pytest.raises(FeedError, match="invalid JSON Feed"):
        parse_feed(fixture("jsonfeed.json")[:300], BASE + "feed.json")


def test_truncated_feed_recovers_entries_with_warning():
    feed = parse_feed(fixture("truncated.xml"), BASE + "truncated.xml")
    assert feed.warning and feed.warning.startswith("malformed feed, recovered")
    assert [e.title for e in feed.entries][:2] == ["Seed swap on Saturday", "Water taps back on"]


def test_latin1_with_declaration():
    data = fixture("latin1.xml")
    for feed in (parse_feed(data, BASE), parse_fallback(data, BASE)):
        assert feed.title == "Café du Pont à Genève"
        assert feed.entries[0].title == "Crème brûlée à la carte dès lundi"
        assert feed.entries[0].summary_text == "Préparée chaque matin, © la maison."
    assert parse_fast(data, BASE) is not None


def test_latin1_without_declaration_still_decodes():
    data = fixture("latin1.xml").replace(b' encoding="ISO-8859-1"', b"")
    feed = parse_feed(data, BASE)
    assert feed.entries[0].title == "Crème brûlée à la carte dès lundi"


def test_content_type_charset_is_respected():
    data = fixture("latin1.xml").replace(b' encoding="ISO-8859-1"', b"")
    feed = parse_feed(data, BASE, "application/rss+xml; charset=ISO-8859-1")
    assert (feed.entries[0].title, feed.warning) == ("Crème brûlée à la carte dès lundi", None)


def test_whitespace_and_bom_before_declaration_use_fast_path():
    data = b"\xef\xbb\xbf\n\n   " + fixture("rss10.rdf")
    assert parse_fast(data, BASE) is not None
    assert len(parse_feed(data, BASE).entries) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty body"),
        (b"   \n", "empty body"),
        (fixture("page.html"), "not a feed: got an HTML page"),
        (b"\x00\x01garbage\xff\xfe", "not a feed"),
        (b"<?xml version='1.0'?><note><to>x</to></note>", "not a feed"),
        (b'{"hello": "world"}', "not a feed"),
    ],
)
def test_not_a_feed(data, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(data, BASE)


def test_billion_laughs_is_not_expanded():
    start = time.perf_counter()
    feed = parse_feed(fixture("billion_laughs.xml"), BASE)
    assert time.perf_counter() - start < 2
    assert all(len(e.title) < 100 and len(e.summary_text) < 100 for e in feed.entries)
    assert parse_fast(fixture("billion_laughs.xml"), BASE) is None


def test_external_entity_is_not_read():
    feed = parse_feed(fixture("xxe.xml"), BASE)
    text = " ".join(e.title + e.summary_text + e.summary_html for e in feed.entries)
    assert "root:" not in text
    assert feed.entries and feed.entries[0].link == "https://innocent.example.com/1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 03 Mar 2026 08:15:00 +0000", 1772525700.0),
        ("Tue, 3 Mar 2026 03:15:00 EST", 1772525700.0),
        ("2026-03-03T08:15:00Z", 1772525700.0),
        ("2026-03-03T09:15:00.5+01:00", 1772525700.0),
        ("2026-03-03 08:15:00", 1772525700.0),
        ("0000-00-00T00:00:00Z", None),
        ("Mon, 01 Jan 0001 00:00:00 GMT", None),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# ---------------------------------------------------------------------------------------------
# Differential: fast path vs feedparser


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixture_paths_agree(name):
    data = fixture(name)
    if looks_like_json(data, None) or name.endswith(".html"):
        pytest.skip("not for feedparser")
    assert_paths_agree(data, name)


def test_differential_catches_a_disagreement(monkeypatch):
    """The comparison is not vacuous: a changed caption on one side makes it fail."""
    from tui.feeds import mediarss

    real = mediarss._media_objects

    def tampered(*args):
        out = real(*args)
        for m, _width in out:
            m.caption = (m.caption or "") + " (tampered)"
        return out

    monkeypatch.setattr(mediarss, "_media_objects", tampered)
    with pytest.raises(AssertionError):
        assert_paths_agree(fixture("rss20_media.xml"), "rss20_media.xml")


def test_corpus_differential():
    files = corpus_files()
    if not files:
        pytest.skip(f"corpus not found at {CORPUS_FEEDS}")
    fast = [
        p.name
        for p in files
        if not looks_like_json(p.read_bytes(), None) and assert_paths_agree(p.read_bytes(), p.name)
    ]
    # Most well-formed feeds must take the fast path, or the fast path is pointless.
    assert len(fast) >= 0.75 * len(files)


def test_corpus_never_raises_anything_but_feed_error():
    files = corpus_files()
    if not files:
        pytest.skip(f"corpus not found at {CORPUS_FEEDS}")
    parsed = errors = 0
    for path in files:
        try:
            feed = parse_feed(path.read_bytes(), BASE + path.name)
        except FeedError as exc:
            assert str(exc), path
            errors += 1
            continue
        parsed += 1
        assert feed.format, path
        for e in feed.entries:
            assert e.key and len(e.summary_text) <= 2000, path
    assert parsed > errors


def test_whitespace_before_declaration_is_not_reported_as_malformed():
    # <author><name> inside an RSS item sends the document to feedparser.
    data = (
        b'\n  \n<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><guid>a-1</guid><author><name>N</name></author></item>"
        b"</channel></rss>"
    )
    assert parse_fast(data.lstrip(), BASE) is None
    feed = parse_feed(data, BASE)
    assert ([e.key for e in feed.entries], feed.warning) == (["a-1"], None)


def test_bare_html_fragment_page():
    with pytest.raises(FeedError, match="got an HTML page"):
        parse_feed(b"<head><title>Document Moved</title></head><body>gone</body>", BASE)

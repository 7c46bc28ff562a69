"""The bundled demo (`newsdesk --demo`) and the starter feed list."""

from __future__ import annotations

import json
import socket
import time
import tomllib
from importlib.resources import files

import pytest

from tui.services.demo import NO_PAGE_ERROR, READ_SLUGS, STARRED_SLUG, load_feeds, prepare_demo
from tui.services.demo.build import DOMAIN, STORY_FILES, feed_xml, page_html
from tui.services.reader import cached_article
from tui.services.starter import STARTER_FEEDS, subscribe_starter
from tui.store import Store

# Text that only the page chrome carries: extraction must leave all of it behind.
CHROME = (
    "Read more:",
    "Related stories",
    "Get our newsletter",
    "Sign up for our newsletter",
    "never share your email",
    "Accept all cookies",
    "Share on Facebook",
    "All rights reserved",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("demo") / "cache.db")
    prepare_demo(store)
    yield store
    store.close()


def _articles(store: Store) -> dict[str, tuple]:
    """link -> (article, error) for every entry that has an article row."""
    rows = store.query("SELECT id, link FROM entries")
    return {r["link"]: store.article(r["id"]) for r in rows if store.article(r["id"]) is not None}


def _entry(store: Store, slug: str):
    rows = store.query("SELECT id FROM entries WHERE link LIKE ?", (f"%/{slug}",))
    assert len(rows) == 1, slug
    return store.entry(rows[0]["id"])


def test_data_files_ship_in_the_package():
    pkg = files("tui.services.demo")
    for name in ("feeds.toml", "page.html", *STORY_FILES):
        assert pkg.joinpath(name).is_file(), name
    feeds = tomllib.loads(pkg.joinpath("feeds.toml").read_text(encoding="utf-8"))["feed"]
    assert len(feeds) == len(STORY_FILES) == 4


def test_every_feed_has_six_to_ten_stories_with_captioned_images():
    for feed in load_feeds():
        assert 6 <= len(feed.stories) <= 10, feed.title
        for story in feed.stories:
            assert story.image_caption and story.image_credit, story.slug
            assert story.page == bool(story.body.strip()), story.slug


def test_sources_are_subscribed_with_folders(demo):
    sources = {r.url: r for r in demo.sources()}
    assert len(sources) == 4
    assert all(url.startswith(DOMAIN + "/") for url in sources)
    titles = {r.display_title: r.folder for r in sources.values()}
    assert titles["The Daily Ledger — World"] == "World"
    assert titles["Circuit — Technology"] == "Technology"
    assert all(r.last_status == "200" and r.entries >= 6 for r in sources.values())
    assert {r.warning for r in sources.values()} == {None}


def test_entries_are_dated_over_the_last_few_days(demo):
    now = time.time()
    times = [r[0] for r in demo.query("SELECT published FROM entries")]
    assert all(t is not None and now - 4 * 86400 < t <= now for t in times)
    assert min(now - t for t in times) < 3600  # something from the last hour shows as new


def test_feed_entries_carry_media_caption_and_credit(demo):
    minsk = _entry(demo, "minsk-parade-rehearsal")
    media = json.loads(minsk.media)
    assert media[0]["caption"] == "Mi-24 helicopters fly over Minsk during a rehearsal."
    assert media[0]["credit"] == "© Jane Doe for The Daily Ledger"
    atom = demo.source(f"{DOMAIN}/circuit/atom.xml")
    with_media = demo.query(
        "SELECT COUNT(*) FROM entries WHERE source_id = ? AND media LIKE '%credit%'", (atom.id,)
    )
    assert with_media[0][0] == 7


def test_articles_are_cached_for_every_story_with_a_page(demo):
    articles = _articles(demo)
    pages = [feed.link(s) for feed in load_feeds() for s in feed.stories if s.page]
    assert all(articles[link][0] is not None for link in pages)
    for link in pages:
        types = {b.type for b in articles[link][0].blocks}
        assert {"paragraph", "quote", "list", "figure"} <= types, link
    headed = [p for p in pages if any(b.type == "heading" for b in articles[p][0].blocks)]
    assert len(headed) == len(pages)


def test_figures_keep_caption_and_credit(demo):
    figures = [b for a, _ in _articles(demo).values() if a for b in a.blocks if b.type == "figure"]
    assert any(f.caption and f.credit for f in figures)
    minsk = demo.article(_entry(demo, "minsk-parade-rehearsal").id)[0]
    lead, body = [b for b in minsk.blocks if b.type == "figure"]
    assert (lead.caption, lead.credit) == (
        "Mi-24 helicopters fly over Minsk during a rehearsal.",
        "© Jane Doe for The Daily Ledger",
    )
    assert body.credit == "Photograph: Alexei Morozov/Reuters"
    assert "Reuters" not in body.caption


def test_appeals_and_related_stories_are_dropped(demo):
    titles = {feed.link(s): s.title for feed in load_feeds() for s in feed.stories}
    for link, (article, _) in _articles(demo).items():
        if article is None:
            continue
        text = article.body_text(figures=True)
        assert not [c for c in CHROME if c in text], link
        others = [t for other, t in titles.items() if other != link and t in text]
        assert not others, link


def test_pages_do_carry_the_chrome_that_extraction_drops():
    feed = load_feeds()[0]
    html = page_html(feed, feed.stories[0], time.time())
    assert all(c in html for c in CHROME)
    assert feed.stories[1].title in html  # the related-stories box


def test_story_without_page_falls_back_to_the_feed_text(demo):
    entry = _entry(demo, "baltic-ferry-evacuation")
    assert demo.article(entry.id) == (None, NO_PAGE_ERROR)
    view = cached_article(demo, entry.id)
    assert not view.full_text and not view.can_fetch
    assert "412 passengers" in view.article.body_text()
    assert view.article.blocks[0].credit == "© Finnish Border Guard"


def test_markup_in_titles_is_stored_literally(demo):
    entry = _entry(demo, "markup-in-titles")
    assert entry.title.startswith("[b]Markup[/b] in titles shows literally")
    assert "[red]nothing turned red[/red]" in entry.summary_text


def test_read_and_starred_states(demo):
    read = demo.query("SELECT link FROM entries WHERE read = 1")
    assert sorted(r[0].rsplit("/", 1)[1] for r in read) == sorted(READ_SLUGS)
    starred = demo.query("SELECT link FROM entries WHERE starred = 1")
    assert [r[0].rsplit("/", 1)[1] for r in starred] == [STARRED_SLUG]


def test_prepare_demo_makes_no_network_request(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the demo must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    store = Store(tmp_path / "cache.db")
    started = time.perf_counter()
    prepare_demo(store)
    assert time.perf_counter() - started < 10  # ~0.7 s in practice; generous for slow CI
    total = store.query("SELECT COUNT(*) FROM entries")[0][0]
    assert store.unread_total() == total - len(READ_SLUGS) and store.starred_total() == 1
    store.close()


def test_feeds_are_built_fresh_each_time():
    feed = load_feeds()[2]
    older, newer = feed_xml(feed, 1_000_000_000.0), feed_xml(feed, 1_100_000_000.0)
    assert older != newer and older.startswith(b"<?xml") and b"<feed" in older


# -- known extractor gaps on these pages (tui.extract is owned elsewhere) ----------------------


def test_lead_figure_after_standfirst_is_kept(demo):
    article = demo.article(_entry(demo, "fund-open-source").id)[0]
    assert any(b.credit == "© Mei Lin for Circuit" for b in article.blocks)


def test_no_body_text_lost_next_to_read_more_links(demo):
    for slug, lost in (
        ("fund-open-source", "It asks companies to take three steps"),
        ("cocoa-prices-fall", "Farmers want a fair share"),
    ):
        assert lost in demo.article(_entry(demo, slug).id)[0].body_text(), slug


# -- starter feeds ------------------------------------------------------------------------------


def test_starter_feeds_are_well_formed():
    urls = [url for _, url, _ in STARTER_FEEDS]
    assert len(set(urls)) == len(urls) >= 6
    assert all(url.startswith("https://") for url in urls)
    assert {folder for _, _, folder in STARTER_FEEDS} == {"World", "Business", "Technology"}
    assert (
        "NYT — World",
        "https://rss.nytimes.com/services/xml/rss/nyt/World.xml",
        "World",
    ) in STARTER_FEEDS


def test_subscribe_starter_adds_once(tmp_path):
    store = Store(tmp_path / "cache.db")
    store.add_source("https://feeds.bbci.co.uk/news/world/rss.xml")
    assert subscribe_starter(store) == len(STARTER_FEEDS) - 1
    assert subscribe_starter(store) == 0
    rows = {r.url: r for r in store.sources()}
    assert len(rows) == len(STARTER_FEEDS)
    ars = rows["https://feeds.arstechnica.com/arstechnica/index"]
    assert (ars.display_title, ars.folder) == ("Ars Technica", "Technology")
    store.close()

"""Bundled demo content: four fictional news feeds and their article pages, for `--demo`.

Core layer (no Textual, no network). `prepare_demo` fills a fresh cache exactly as a refresh
followed by article prefetching would, so the reader can show everything offline.
"""

from __future__ import annotations

import time

from tui.services.demo.build import DemoFeed, feed_xml, load_feeds, page_html
from tui.services.demo.pictures import keep_drawn
from tui.services.ingest import Fetched, ingest
from tui.services.pictures import picture_urls
from tui.store import Store
from tui.store.lookups import entry_ids_by_link

__all__ = ["prepare_demo", "load_feeds"]

# Entries given a state so that the demo shows read, unread and starred rows side by side.
READ_SLUGS = ("berlin-night-trains", "hardware-chains-cooperative")
STARRED_SLUG = "tokyo-earthquake-alert"
NO_PAGE_ERROR = "the demo has no page for this story"


def prepare_demo(store: Store) -> None:
    """Subscribe to the demo feeds in `store`, store their entries and the extracted articles."""
    from tui.extract import extract_article
    from tui.feeds import parse_feed
    from tui.services.arrival import group_new

    now = time.time()
    new: list[int] = []
    for feed in load_feeds():
        store.add_source(feed.url, None, feed.folder)
        parsed = parse_feed(feed_xml(feed, now), feed.url)
        new += ingest(store, feed.url, parsed, Fetched(status=200, fetched_at=now))
        ids = entry_ids_by_link(store, feed.url)
        for story in feed.stories:
            entry_id = ids.get(feed.link(story))
            if entry_id is None:
                continue
            if story.page:
                article = extract_article(page_html(feed, story, now), feed.link(story))
                store.save_article(entry_id, article, None if article else "no article body found")
                if article is not None:
                    keep_drawn(store, entry_id, picture_urls(article, 4))
            else:
                store.save_article(entry_id, None, NO_PAGE_ERROR)
        _set_states(store, feed, ids)
    group_new(store, new, now)  # one story once, as a refresh would group them


def _set_states(store: Store, feed: DemoFeed, ids: dict[str, int]) -> None:
    links = {s.slug: feed.link(s) for s in feed.stories}
    read = [ids[links[slug]] for slug in READ_SLUGS if links.get(slug) in ids]
    if read:
        store.set_read(read)
    if links.get(STARRED_SLUG) in ids:
        store.set_starred(ids[links[STARRED_SLUG]], True)

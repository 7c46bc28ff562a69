"""A short, curated list of well-known public news feeds to subscribe to on first run.

Core layer: no network here. Subscribing only records the sources; the next refresh fetches
them. AP is left out on purpose: it publishes no official RSS feed we can vouch for.
"""

from __future__ import annotations

from tui.store import Store

# (title, feed URL, folder)
STARTER_FEEDS: list[tuple[str, str, str]] = [
    ("NYT — World", "https://rss.nytimes.com/services/xml/rss/nyt/World.xml", "World"),
    ("BBC News — World", "https://feeds.bbci.co.uk/news/world/rss.xml", "World"),
    ("The Guardian — World", "https://www.theguardian.com/world/rss", "World"),
    ("NPR News", "https://feeds.npr.org/1001/rss.xml", "World"),
    ("The Kyiv Independent", "https://kyivindependent.com/news-archive/rss/", "World"),
    ("NYT — Business", "https://rss.nytimes.com/services/xml/rss/nyt/Business.xml", "Business"),
    ("BBC News — Business", "https://feeds.bbci.co.uk/news/business/rss.xml", "Business"),
    ("Ars Technica", "https://feeds.arstechnica.com/arstechnica/index", "Technology"),
    ("BBC News — Technology", "https://feeds.bbci.co.uk/news/technology/rss.xml", "Technology"),
]


def subscribe_starter(store: Store) -> int:
    """Add every starter feed not already subscribed; returns how many were new."""
    return sum(1 for title, url, folder in STARTER_FEEDS if store.add_source(url, title, folder))

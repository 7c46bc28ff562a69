"""Storing a fetched feed: the one step refresh, subscribe and the demo share.

A fetch's answer and the parsed feed become the source's typed columns and its entries, in one
transaction; the least time before the next automatic fetch is computed here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.models import ParsedFeed
from tui.store import Store

MAX_INTERVAL = 86400.0  # a server cannot park a source for more than a day with caching hints


@dataclass(frozen=True)
class Fetched:
    """What the server said about a feed body, besides the body itself."""

    status: int
    fetched_at: float
    etag: str | None = None
    last_modified: str | None = None
    server_interval: float = 0.0  # Cache-Control max-age / Expires, in seconds (0: none)


def min_interval(server_interval: float, ttl_minutes: int | None) -> float:
    """The least time between automatic fetches: the longest of the server's caching hints and
    the feed's own <ttl>, capped so a bad header cannot stop a source for good."""
    return max(0.0, min(max(server_interval, float((ttl_minutes or 0) * 60)), MAX_INTERVAL))


def ingest(store: Store, url: str, feed: ParsedFeed, fetched: Fetched) -> list[int]:
    """Store `feed` as the content of source `url`; returns the ids of entries new to the cache."""
    return store.store_feed(
        url,
        feed,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        last_status=str(fetched.status),
        last_error=None,
        last_fetched=fetched.fetched_at,
        retry_after=None,
        min_interval=min_interval(fetched.server_interval, feed.ttl),
    )


def parse_and_ingest(
    store: Store, url: str, data: bytes, base: str, content_type: str | None, fetched: Fetched
) -> tuple[list[int], str | None]:
    """Parse a feed body and store it: (new entry ids, the parser's warning). Raises FeedError."""
    from tui.feeds import parse_feed

    feed = parse_feed(data, base, content_type)
    return ingest(store, url, feed, fetched), feed.warning

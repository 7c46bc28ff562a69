"""Adding a source: check that the URL is a feed, or find the feed a web page advertises."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from tui.net.discover import discover_feeds, looks_like_html
from tui.net.http import FetchError, Response, fetch
from tui.services.arrival import settle
from tui.services.ingest import Fetched, ingest
from tui.settings.config import Config
from tui.store import Store
from tui.textclean import clean_line, url_is_clean


class SubscribeError(Exception):
    pass


@dataclass
class Added:
    url: str
    title: str | None
    discovered_from: str | None = None  # the page URL when the feed was autodiscovered
    new_entries: int = 0
    already: bool = False
    updated: dict[str, str] = field(default_factory=dict)  # already there: what was changed
    unchecked: bool = False  # added without a successful first fetch ("add anyway")
    note: str | None = None  # how the address was read ("no answer over https: using http")


def normalise_url(url: str) -> str:
    """Accept `example.com/feed` as https; refuse anything that is not an http(s) URL."""
    given = url.strip()
    url = given if "://" in given else "https://" + given
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and url_is_clean(url)
    except ValueError:
        ok = False
    if not ok:
        # quote what the user typed, not the https:// we may have put in front of it
        raise SubscribeError(f"not an http(s) URL: {clean_line(repr(given), 300)}")
    return url


def _check_answer(url: str, resp: Response) -> None:
    """fetch() hands back a 429 or 503 (for its Retry-After) rather than raising: say so, not
    "not a feed: empty body"."""
    if resp.retry_after is not None:
        raise SubscribeError(f"cannot fetch {url}: HTTP {resp.status} (busy: try again later)")


async def _update_existing(
    store: Store, added: Added, title: str | None, folder: str | None
) -> Added:
    """Subscribing again with --title or --folder changes them rather than dropping them."""
    changes = {k: v for k, v in (("title", title), ("folder", folder)) if v}
    if changes:
        columns = {"title_override" if k == "title" else k: v for k, v in changes.items()}
        await asyncio.to_thread(store.update_source, added.url, **columns)
        added.updated = changes
    return added


async def subscribe(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    url: str,
    title: str | None = None,
    folder: str | None = None,
) -> Added:
    """Fetch `url`; subscribe to it if it is a feed, else to the first feed its page links to."""
    from tui.feeds import FeedError, parse_feed

    given = url.strip()
    url = normalise_url(url)
    if await asyncio.to_thread(store.source, url) is not None:
        return await _update_existing(store, Added(url, title, already=True), title, folder)
    note = None
    try:
        resp = await fetch(client, url, max_bytes=config.max_feed_bytes, deadline=config.deadline)
    except FetchError as exc:
        if "://" in given or not str(exc).startswith("TLS error"):
            raise SubscribeError(f"cannot fetch {url}: {exc}") from None
        # typed without a scheme, and the server does not speak TLS on 443 (a plain-HTTP
        # server answers the handshake with WRONG_VERSION_NUMBER): try http, and say so
        url, note = "http://" + given, f"no TLS answer over https ({exc}): using http"
        if await asyncio.to_thread(store.source, url) is not None:
            added = Added(url, title, already=True, note=note)
            return await _update_existing(store, added, title, folder)
        try:
            resp = await fetch(
                client, url, max_bytes=config.max_feed_bytes, deadline=config.deadline
            )
        except FetchError as exc2:
            raise SubscribeError(
                f"cannot fetch https://{given} ({exc}) nor {url} ({exc2})"
            ) from None
    _check_answer(url, resp)
    page = None
    if looks_like_html(resp.content, resp.content_type):
        feeds = await asyncio.to_thread(discover_feeds, resp.content, resp.url)
        if not feeds:
            raise SubscribeError(f"{url} is a web page that links to no feed")
        page, url = url, feeds[0]
        if await asyncio.to_thread(store.source, url) is not None:
            added = Added(url, title, discovered_from=page, already=True)
            return await _update_existing(store, added, title, folder)
        try:
            resp = await fetch(
                client, url, max_bytes=config.max_feed_bytes, deadline=config.deadline
            )
        except FetchError as exc:
            raise SubscribeError(f"cannot fetch the feed {url}: {exc}") from None
        _check_answer(url, resp)
    try:
        feed = await asyncio.to_thread(parse_feed, resp.content, resp.url, resp.content_type)
    except FeedError as exc:
        raise SubscribeError(f"{url} is not a feed: {exc}") from None
    url = resp.moved_to or url
    # parsing and SQLite run in threads: the reader's add dialog calls this on its event loop
    await asyncio.to_thread(store.add_source, url, title, folder)
    fetched = Fetched(
        status=resp.status,
        fetched_at=time.time(),
        etag=resp.etag,
        last_modified=resp.last_modified,
        server_interval=resp.server_interval(),
    )
    new = await asyncio.to_thread(ingest, store, url, feed, fetched)
    await asyncio.to_thread(store.index_pending)
    await asyncio.to_thread(settle, store, config, new)  # rules and stories, as a refresh does
    title = title or feed.title
    return Added(url, title, discovered_from=page, new_entries=len(new), note=note)


async def check_feed(client: httpx.AsyncClient, config: Config, url: str) -> str:
    """The check `add` makes, for a source's new address: the feed URL it leads to (a web
    page's advertised feed, or where it redirected for good); SubscribeError says why not."""
    from tui.feeds import FeedError, parse_feed

    url = normalise_url(url)
    most, deadline = config.max_feed_bytes, config.deadline
    try:
        resp = await fetch(client, url, max_bytes=most, deadline=deadline)
        _check_answer(url, resp)
        if looks_like_html(resp.content, resp.content_type):
            feeds = await asyncio.to_thread(discover_feeds, resp.content, resp.url)
            if not feeds:
                raise SubscribeError(f"{url} is a web page that links to no feed")
            url = feeds[0]
            resp = await fetch(client, url, max_bytes=most, deadline=deadline)
            _check_answer(url, resp)
    except FetchError as exc:
        raise SubscribeError(f"cannot fetch {url}: {exc}") from None
    try:
        await asyncio.to_thread(parse_feed, resp.content, resp.url, resp.content_type)
    except FeedError as exc:
        raise SubscribeError(f"{url} is not a feed: {exc}") from None
    return resp.moved_to or url

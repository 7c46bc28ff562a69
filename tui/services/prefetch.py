"""Full-article prefetch: fetch the pages of new entries, extract them, keep them for offline.

Concurrent but bounded (globally and per host); extraction runs off the event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from urllib.parse import urlsplit

import httpx

from tui.models import Article, Media
from tui.net.guard import PrivateAddressGuard
from tui.net.http import FetchError, Response, fetch
from tui.services.background import to_background
from tui.services.pictures import fetch_pictures
from tui.settings.config import Config
from tui.store import EntryRow, Store
from tui.textclean import clean_line, safe_url

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


async def fetch_page(
    client: httpx.AsyncClient, config: Config, url: str, source_url: str | None
) -> Response:
    """A page a feed links to, guarded: no private or local address unless it is the source's
    own host and port, on any redirect hop. Raises FetchError, also for an empty or non-200
    answer."""
    resp = await fetch(
        client,
        url,
        max_bytes=config.max_page_bytes,
        deadline=config.deadline,
        accept=PAGE_ACCEPT,
        guard=PrivateAddressGuard(source_url),
    )
    if resp.status != 200 or not resp.content:
        raise FetchError(f"HTTP {resp.status}")
    return resp


def home_url(row: EntryRow) -> str | None:
    """The host a source's links may reach even on a private address: the feed's own, when the
    user subscribed to it. A feed an aggregator listed (a synced source) came from the server,
    not the user, so its address earns its links nothing."""
    return None if row.source_account else row.source_url


async def fetch_and_extract(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    entry_id: int,
    link: str,
    gate: AbstractAsyncContextManager[object] | None = None,
    source_url: str | None = None,
    media: list[Media] | None = None,
) -> bool:
    """Fetch one article page and store the extracted article (or why there is none).

    The link comes from a remote feed, so it may not reach a private or local address unless
    that is the source's own host and port (`source_url`), on any redirect hop; credentials in
    it are dropped. `media`: the entry's feed pictures, when the caller has read its entry."""
    from tui.services.extract_pool import extract_in_worker

    url = safe_url(link)
    if url is None:
        await to_background(store.save_article, entry_id, None, "link is not http(s)")
        return False
    try:
        async with gate or _NullGate():
            resp = await fetch_page(client, config, url, source_url)
        article, error = await extract_in_worker(resp.content, resp.url)
    except OutOfTime:
        return False  # never tried: the next run tries it, with no backoff
    except FetchError as exc:
        article, error = None, str(exc)
    if article is not None:
        article = await to_background(_with_feed_media, store, entry_id, article, media)
    await to_background(
        store.save_article, entry_id, article, clean_line(error, 300) if error else None
    )
    return article is not None


async def prefetch_articles(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    entry_ids: list[int],
    progress: Callable[[int, int], None] | None = None,
    until: float | None = None,
) -> int:
    """Prefetch the articles of these entries (skipping sources with prefetch off); returns ok
    count. Pages not started by `until` (time.monotonic) are left for the next run."""
    rows = await to_background(store.entries_without_article, entry_ids)
    rows = [r for r in rows if config.source_setting(r.source_url or "", "prefetch", True)]
    total = asyncio.Semaphore(config.prefetch_concurrency)
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(config.per_host))
    done = 0

    async def one(row: EntryRow) -> bool:
        nonlocal done
        link = row.link or ""  # never empty here: only entries with a link are listed
        host = urlsplit(link).hostname or ""
        try:
            if until is not None and time.monotonic() > until:
                return False
            kept = await fetch_and_extract(
                store,
                client,
                config,
                row.id,
                link,
                gate=_Gates(hosts[host], total, until),
                source_url=home_url(row),
            )
            if kept:  # its pictures, through the same per-host and total gates
                await fetch_pictures(
                    store,
                    client,
                    config,
                    row.id,
                    row.source_url,
                    gate=lambda url: _Gates(hosts[urlsplit(url).hostname or ""], total, until),
                )
            return kept
        except Exception:  # one page never stops the others
            return False
        finally:
            done += 1
            if progress:
                progress(done, len(rows))

    results = await asyncio.gather(*(one(r) for r in rows))
    return sum(results)


def _with_feed_media(
    store: Store, entry_id: int, article: Article, media: list[Media] | None
) -> Article:
    """The feed's Media RSS caption/credit for the lead image, when the page lacks it."""
    from tui.extract import apply_feed_media

    if media is None:
        entry = store.entry(entry_id)
        media = entry.pictures if entry else []
    known = {b.caption for b in article.blocks if b.type == "figure" and b.caption}
    if any(m.caption and m.caption in known for m in media):
        return article  # the page already shows that caption
    return apply_feed_media(article, media)


class OutOfTime(FetchError):
    """The run's budget ran out before the page was requested: no attempt to count."""


class _NullGate:
    async def __aenter__(self) -> _NullGate:
        return self

    async def __aexit__(self, *exc: object) -> bool:
        return False


class _Gates:
    """Hold the per-host semaphore, then the global one (so a slow host holds no global slot)."""

    def __init__(
        self, host: asyncio.Semaphore, total: asyncio.Semaphore, until: float | None = None
    ) -> None:
        self.host, self.total, self.until = host, total, until

    async def __aenter__(self) -> _Gates:
        await self.host.acquire()
        try:
            await self.total.acquire()
        except BaseException:
            self.host.release()
            raise
        if self.until is not None and time.monotonic() > self.until:
            await self.__aexit__(None, None, None)  # the run's budget ran out while queued
            raise OutOfTime("not fetched: the run's time budget ran out")
        return self

    async def __aexit__(self, *exc: object) -> bool:
        self.total.release()
        self.host.release()
        return False

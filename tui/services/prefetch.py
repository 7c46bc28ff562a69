"""Full-article prefetch: fetch the pages of new entries, extract them, keep them for offline.

Concurrent but bounded (globally and per host); extraction runs off the event loop.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit

from tui.net.discover import not_html
from tui.net.http import FetchError, fetch
from tui.textclean import clean_line, safe_url

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

# (pages done, pages in all, pages that gave no article): for the CLI's bar and the reader
PrefetchProgress = Callable[[int, int, int], None]


async def fetch_and_extract(store, client, config, entry_id: int, link: str, gate=None) -> bool:
    """Fetch one article page and store the extracted article (or why there is none)."""
    from tui.services.extract_pool import extract_in_worker

    url = safe_url(link)
    if url is None:
        await asyncio.to_thread(store.save_article, entry_id, None, "link is not http(s)")
        return False
    try:
        async with gate or _NullGate():
            resp = await fetch(
                client,
                url,
                max_bytes=config.max_page_bytes,
                deadline=config.deadline,
                accept=PAGE_ACCEPT,
            )
        if resp.status != 200 or not resp.content:
            raise FetchError(f"HTTP {resp.status}")
        kind = not_html(resp.content, resp.content_type)
        if kind is not None:
            raise FetchError(f"not an HTML page (got {kind})")
        article, error = await extract_in_worker(resp.content, resp.url)
    except FetchError as exc:
        article, error = None, str(exc)
    if article is not None:
        article = await asyncio.to_thread(_with_feed_media, store, entry_id, article)
    await asyncio.to_thread(
        store.save_article, entry_id, article, clean_line(error, 300) if error else None
    )
    return article is not None


async def prefetch_articles(
    store, client, config, entry_ids: list[int], progress: PrefetchProgress | None = None
) -> int:
    """Prefetch the articles of these entries (skipping sources with prefetch off); returns ok
    count. `progress(done, total, failed)` is called once with 0 done, then after each page."""
    rows = await asyncio.to_thread(store.entries_without_article, entry_ids)
    rows = [r for r in rows if config.source_setting(r["source_url"], "prefetch", True)]
    total = asyncio.Semaphore(config.prefetch_concurrency)
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(config.per_host))
    done = failed = 0
    if progress and rows:
        progress(0, len(rows), 0)

    async def one(row) -> bool:
        nonlocal done, failed
        ok = False
        host = urlsplit(row["link"]).hostname or ""
        try:
            ok = await fetch_and_extract(
                store, client, config, row["id"], row["link"], gate=_Gates(hosts[host], total)
            )
        except Exception:  # one page never stops the others
            ok = False
        finally:
            done += 1
            failed += not ok
            if progress:
                progress(done, len(rows), failed)
        return ok

    results = await asyncio.gather(*(one(r) for r in rows))
    return sum(results)


def _with_feed_media(store, entry_id: int, article):
    """The feed's Media RSS caption/credit for the lead image, when the page lacks it."""
    import json

    from tui.extract import apply_feed_media
    from tui.models import Media

    entry = store.entry(entry_id)
    media = [Media(**m) for m in json.loads(entry["media"] or "[]")] if entry else []
    known = {b.caption for b in article.blocks if b.type == "figure" and b.caption}
    if any(m.caption and m.caption in known for m in media):
        return article  # the page already shows that caption
    return apply_feed_media(article, media)


class _NullGate:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


class _Gates:
    """Hold the per-host semaphore, then the global one (so a slow host holds no global slot)."""

    def __init__(self, host: asyncio.Semaphore, total: asyncio.Semaphore) -> None:
        self.host, self.total = host, total

    async def __aenter__(self):
        await self.host.acquire()
        try:
            await self.total.acquire()
        except BaseException:
            self.host.release()
            raise
        return self

    async def __aexit__(self, *exc):
        self.total.release()
        self.host.release()
        return False

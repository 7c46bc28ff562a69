"""Full-article prefetch: fetch the pages of new entries, extract them, keep them for offline.

Concurrent but bounded (globally and per host); extraction runs off the event loop.
"""

from __future__ import annotations

import asyncio
from contextlib import nullcontext

from tui.net.hosts import HostGates
from tui.net.http import FetchError, fetch
from tui.services.background import to_background
from tui.textclean import clean_line, safe_url

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


async def fetch_and_extract(
    store, client, config, entry_id: int, link: str, gates: HostGates | None = None
) -> bool:
    """Fetch one article page and store the extracted article (or why there is none)."""
    from tui.services.extract_pool import extract_in_worker

    url = safe_url(link)
    if url is None:
        await to_background(store.save_article, entry_id, None, "link is not http(s)")
        return False
    try:
        async with gates.slot(url) if gates else nullcontext():
            resp = await fetch(
                client,
                url,
                max_bytes=config.max_page_bytes,
                deadline=config.deadline,
                accept=PAGE_ACCEPT,
            )
        if gates:
            gates.learned(resp.url, resp.http_version)
        if resp.status != 200 or not resp.content:
            raise FetchError(f"HTTP {resp.status}")
        article, error = await extract_in_worker(resp.content, resp.url)
    except FetchError as exc:
        article, error = None, str(exc)
    if article is not None:
        article = await to_background(_with_feed_media, store, entry_id, article)
    await to_background(
        store.save_article, entry_id, article, clean_line(error, 300) if error else None
    )
    return article is not None


async def prefetch_articles(store, client, config, entry_ids: list[int], progress=None) -> int:
    """Prefetch the articles of these entries (skipping sources with prefetch off); returns ok count."""
    rows = await to_background(store.entries_without_article, entry_ids)
    rows = [r for r in rows if config.source_setting(r["source_url"], "prefetch", True)]
    gates = HostGates(config.per_host, config.prefetch_concurrency)
    done = 0

    async def one(row) -> bool:
        nonlocal done
        try:
            return await fetch_and_extract(
                store, client, config, row["id"], row["link"], gates=gates
            )
        except Exception:  # one page never stops the others
            return False
        finally:
            done += 1
            if progress:
                progress(done, len(rows))

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

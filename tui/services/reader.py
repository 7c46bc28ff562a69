"""What the article pane shows for an entry: the cached full article, or the feed's own text.

Core layer (no Textual). The UI calls `cached_article` in a thread worker; when it says the full
text is missing it calls `fetch_article` in an async worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.models import Article, Block
from tui.settings.config import Config
from tui.store import EntryRow, Store
from tui.textclean import clean_line

if TYPE_CHECKING:  # httpx is imported when the network is first needed
    import httpx


@dataclass
class ReaderArticle:
    """An article ready to render, a one-line notice about where it came from, and whether
    fetching the full text is still worth trying."""

    article: Article
    notice: str | None = None
    full_text: bool = False
    can_fetch: bool = False


def _photo_key(url: str | None) -> str | None:
    return url.split("?", 1)[0].split("#", 1)[0] if url else None


def feed_article(entry: EntryRow) -> Article:
    """The entry's own content (or summary) as blocks, plus its Media RSS figures."""
    from tui.extract import html_to_blocks

    base = entry.link
    html = entry.content_html or entry.summary_html or ""
    try:
        blocks = html_to_blocks(html, base) if html else []
    except Exception:  # a broken fragment still shows as plain text
        blocks = []
    if not blocks and entry.summary_text:
        blocks = [Block("paragraph", text=p) for p in entry.summary_text.split("\n\n") if p]
    # one figure per photo: sizes of one image differ only in the query (`?w=140`, `?w=460`)
    shown = {_photo_key(b.src) for b in blocks if b.type == "figure"}
    for m in entry.pictures:
        if (m.caption or m.credit) and _photo_key(m.url) not in shown:
            shown.add(_photo_key(m.url))
            blocks.insert(
                0,
                Block(
                    "figure",
                    caption=clean_line(m.caption, 2000) or None,
                    credit=clean_line(m.credit, 300) or None,
                    src=m.url,
                ),
            )
    return Article(
        url=entry.link,
        title=entry.title,
        byline=entry.author,
        site=entry.source_title,
        blocks=blocks,
    )


def cached_article(
    store: Store, entry_id: int, entry: EntryRow | None = None
) -> ReaderArticle | None:
    """Blocking (SQLite): the best article we have for this entry without the network.
    `entry` saves a query when the caller has just read the entry's row."""
    entry = entry if entry is not None else store.entry(entry_id)
    if entry is None:
        return None
    tried = store.article(entry_id)
    if tried is not None and tried[0] is not None and tried[0].blocks:
        article = tried[0]
        article.title = article.title or entry.title
        return ReaderArticle(article, notice=article.notice, full_text=True)
    article = feed_article(entry)
    if not entry.link:
        return ReaderArticle(article, "No link: showing the feed's text.")
    if tried is not None:
        reason = clean_line(tried[1] or "no article body found", 200)
        # the reason may hold parentheses of its own ("not an HTML page (got image/png)")
        return ReaderArticle(article, f"Full text unavailable: {reason}. Showing the feed's text.")
    return ReaderArticle(
        article, "Full text not fetched yet: showing the feed's text.", can_fetch=True
    )


async def fetch_article(
    store: Store, client: httpx.AsyncClient, config: Config, entry: EntryRow | int
) -> ReaderArticle | None:
    """Fetch and extract the full article now (the user opened it), store it, return the view.
    Given the entry's row (the reader read it to open the entry), it is not read again."""
    import asyncio

    from tui.services.prefetch import fetch_and_extract, home_url

    if isinstance(entry, int):
        found = await asyncio.to_thread(store.entry, entry)
        if found is None:
            return None
        entry = found
    if not entry.link:
        return None
    link, media = entry.link, entry.pictures
    await fetch_and_extract(
        store, client, config, entry.id, link, source_url=home_url(entry), media=media
    )
    return await asyncio.to_thread(cached_article, store, entry.id, entry)


async def fetch_link_view(
    client: httpx.AsyncClient, config: Config, url: str, source_url: str | None
) -> ReaderArticle:
    """A story linked from a page of teasers, read in place: fetched and extracted now, never
    stored (it is no entry of any feed). A page that gives nothing says why."""
    from tui.extract.readable import not_html
    from tui.net.http import FetchError
    from tui.services.extract_pool import extract_in_worker
    from tui.services.prefetch import fetch_page
    from tui.textclean import safe_url

    article: Article | None = None
    error: str | None = "link is not http(s)"
    link = safe_url(url)
    if link is not None:
        try:
            # a link from a remote page: guarded like a prefetch for the entry's source
            resp = await fetch_page(client, config, link, source_url)
            error = not_html(resp.content, resp.content_type)
            if error is None:
                article, error = await extract_in_worker(resp.content, resp.url, readable=True)
        except FetchError as exc:
            error = str(exc)
    if article is None:
        reason = clean_line(error or "no article body found", 200)
        return ReaderArticle(Article(url=link or url), f"Cannot read this story: {reason}.")
    return ReaderArticle(article, notice=article.notice, full_text=True)

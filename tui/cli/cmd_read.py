"""`newsdesk read URL|FILE`: the reader view of one page, as text or structured JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
from pathlib import Path

from tui.cli.output import Failure
from tui.models import Article
from tui.services.context import Context
from tui.textclean import clean_line

Extracted = tuple[Article | None, str | None]
"""The article, or None and why not."""


def setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="URL|FILE", help="an http(s) URL or a local HTML file")
    p.add_argument("--url", help="the original address of FILE, for resolving its links")
    p.add_argument("--json", action="store_true", help="print the structured article")
    p.add_argument("--width", type=int, default=0, help="wrap text at N columns")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from tui.extract.readable import not_html

    path = Path(args.target)
    if path.is_file():
        html, url = path.read_bytes(), args.url
        reason = not_html(html)
        if reason:
            print(f"newsdesk: {path}: {reason}", file=sys.stderr)
            return 1
        article, error = asyncio.run(_extract(html, url))
    elif args.target.lower().startswith(("http://", "https://")):
        article, error = asyncio.run(_fetch_extract(ctx, args.target))
        url = args.target
    else:
        raise Failure(f"{args.target}: no such file, and not an http(s) URL")
    if article is None:
        article = _from_cache(ctx, url)
        if article is None:
            print(f"newsdesk: {clean_line(error, 2000)}", file=sys.stderr)
            return 1
        print(f"newsdesk: {clean_line(error, 2000)}; showing the feed's text", file=sys.stderr)
    return _print(article, args)


def _print(article: Article, args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(article.to_json(), indent=2, ensure_ascii=True))
        return 0
    from tui.extract import article_to_text

    width = args.width or min(shutil.get_terminal_size((80, 24)).columns, 100)
    sys.stdout.write(article_to_text(article, width))
    return 0


async def _extract(html: bytes, url: str | None) -> Extracted:
    from tui.services.extract_pool import close, extract_in_worker

    try:
        return await extract_in_worker(html, url, readable=True)
    finally:
        close()  # waits for the pool's thread: nothing left to trip over the exit


async def _fetch_extract(ctx: Context, url: str) -> Extracted:
    from tui.net.http import FetchError, fetch, make_client
    from tui.services.prefetch import PAGE_ACCEPT

    cfg = ctx.config()
    async with make_client(timeout=cfg.timeout) as client:
        try:
            resp = await fetch(
                client, url, max_bytes=cfg.max_page_bytes, deadline=cfg.deadline, accept=PAGE_ACCEPT
            )
        except FetchError as exc:
            return None, f"cannot fetch {url}: {exc}"
    if resp.status != 200:
        return None, f"cannot fetch {url}: HTTP {resp.status}"
    from tui.extract.readable import not_html

    reason = not_html(resp.content, resp.content_type)
    if reason:
        return None, f"{url}: {reason}"
    return await _extract(resp.content, resp.url)


def _from_cache(ctx: Context, url: str | None) -> Article | None:
    """When the page gives no body, the feed's own text for that link, if it is cached."""
    if not url or not ctx.db_exists():
        return None
    from tui.services.reader import feed_article

    entry = ctx.store().entry_by_link(url)
    return feed_article(entry) if entry is not None else None


COMMANDS = {
    "read": (setup, run, "print the reader view of a page (URL or HTML file)"),
}

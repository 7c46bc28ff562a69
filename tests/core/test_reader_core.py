"""Full articles: prefetched during refresh, kept for offline, with a fallback that never empties."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from feedgen import rss

from tui.cli.main import main
from tui.services.context import Context
from tui.services.reader import cached_article, fetch_article

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
NOW = time.time()


def setup_feed(server, capsys, tmp_path=None):
    page = server.add(
        "/story.html",
        (PAGES / "news_figures.html").read_bytes(),
        content_type="text/html; charset=utf-8",
    )
    paywall = server.add(
        "/paywall.html", (PAGES / "paywall.html").read_bytes(), content_type="text/html"
    )
    items = [
        {
            "title": "Lighthouse",
            "guid": "s1",
            "link": page,
            "date": NOW - 60,
            "summary": "Short summary of the lighthouse.",
            "image": "http://img/lead.jpg",
            "caption": "Feed caption for the lead.",
            "credit": "Feed Credit/Agency",
        },
        {
            "title": "Locked",
            "guid": "s2",
            "link": paywall,
            "date": NOW - 120,
            "summary": "The paywalled story's summary.",
        },
        {
            "title": "Gone",
            "guid": "s3",
            "link": server.url("/missing.html"),
            "date": NOW - 180,
            "summary": "A summary for a page that 404s.",
        },
    ]
    url = server.add("/feed.xml", rss("Coast", items))
    if tmp_path is None:
        assert main(["add", url]) == 0
    else:  # subscribe without fetching: the refresh brings the entries
        (tmp_path / "urls").write_text(url + "\n")
        assert main(["import", str(tmp_path / "urls")]) == 0
    capsys.readouterr()
    return url


def entry_id(ctx, key):
    return ctx.store().query("SELECT id FROM entries WHERE key = ?", (key,))[0][0]


def test_refresh_prefetches_and_offline_reads_full_article(server, capsys, tmp_path):
    setup_feed(server, capsys, tmp_path)
    assert main(["refresh", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["new_entries"] == 3
    server.stop()  # offline from here on
    ctx = Context()
    view = cached_article(ctx.store(), entry_id(ctx, "s1"))
    assert view.full_text and view.notice is None
    figures = [b for b in view.article.blocks if b.type == "figure"]
    assert any(f.credit == "Photograph: Ines Okafor/Coastal Ledger" for f in figures)
    text = view.article.body_text()
    assert "Gull Point" in text
    # paywall: no body, so the feed text with a one-line notice, never empty
    locked = cached_article(ctx.store(), entry_id(ctx, "s2"))
    assert not locked.full_text and "unavailable" in locked.notice
    assert "paywalled story's summary" in locked.article.body_text()
    gone = cached_article(ctx.store(), entry_id(ctx, "s3"))
    assert "HTTP 404" in gone.notice and gone.article.blocks
    ctx.close()


def test_no_articles_flag_and_fetch_on_open(server, capsys):
    setup_feed(server, capsys)
    ctx = Context()
    sid = entry_id(ctx, "s1")
    before = cached_article(ctx.store(), sid)
    assert before.can_fetch and "not fetched yet" in before.notice
    # the feed's own text meanwhile, with the Media RSS caption and credit
    lead = before.article.blocks[0]
    assert (lead.type, lead.caption, lead.credit) == (
        "figure",
        "Feed caption for the lead.",
        "Feed Credit/Agency",
    )

    async def open_it():
        from tui.net.http import make_client

        async with make_client() as client:
            return await fetch_article(ctx.store(), client, ctx.config(), sid)

    after = asyncio.run(open_it())
    assert after.full_text and "Gull Point" in after.article.body_text()
    ctx.close()

"""Offline reading has every article (issue 20, hole 1): whatever stored an entry (add, import,
a sync, a refresh answered 304 or interrupted), a later refresh attempts its page; a failed page
is tried again after a backoff; a page the run's budget never reached is no failure."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time

from feedgen import rss
from hostile.harness import record

from tui.cli.main import main
from tui.net.http import make_client
from tui.services.context import Context
from tui.services.prefetch import prefetch_articles

OLD = time.time() - 40 * 86400  # older than the week the backlog used to look back


def article_feed(server, n: int, when: float = OLD, path: str = "/feed.xml") -> str:
    items = []
    for i in range(n):
        link = server.add(
            f"/a{i}.html",
            f"<html><body><article><h1>Story {i}</h1>"
            + "".join(f"<p>Paragraph {j} of story {i}, long enough to keep.</p>" for j in range(6))
            + "</article></body></html>",
            content_type="text/html; charset=utf-8",
        )
        items.append({"title": f"Story {i}", "guid": f"g{i}", "link": link, "date": when - i})
    return server.add(path, rss("Archive", items))


def kept(ctx: Context) -> int:
    return ctx.store().query("SELECT COUNT(*) FROM articles WHERE body IS NOT NULL")[0][0]


def test_refresh_answered_304_fetches_every_old_entry_add_stored(server, capsys):
    """Before: `add` stored 40 entries dated 40 days back, the next refresh got a 304 and
    prefetched none of them (the backlog looked back one week)."""
    started = time.monotonic()
    url = article_feed(server, 40)
    assert main(["add", url]) == 0
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["not_modified"] == 1
    got = kept(Context())
    record("backlog: 40 old entries after add + 304", seconds=time.monotonic() - started)
    assert (data["articles"], got) == (40, 40)


def test_failed_page_is_tried_again_after_its_backoff_not_before(server, capsys):
    url = article_feed(server, 2, when=time.time())
    server.routes["/a1.html"].status = 500
    assert main(["add", url]) == 0
    assert main(["refresh", "--json"]) == 0
    assert kept(Context()) == 1
    server.routes["/a1.html"].status = 200
    assert main(["refresh", "--json"]) == 0  # within the hour: not asked again
    assert server.paths_requested().count("/a1.html") == 1
    store = Context().store()
    with store.transaction() as db:  # the first failure's hour has passed
        db.execute("UPDATE articles SET fetched = fetched - 3700 WHERE body IS NULL")
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 1
    assert kept(Context()) == 2 and server.paths_requested().count("/a1.html") == 2


def test_second_failure_waits_twice_as_long(server):
    url = article_feed(server, 1, when=time.time())
    server.routes["/a0.html"].status = 500
    assert main(["add", url]) == 0
    store = Context().store()
    for _attempt in (1, 2):
        assert main(["refresh"]) == 0
        with store.transaction() as db:
            db.execute("UPDATE articles SET fetched = fetched - 3700")
    # two failures: the next try waits two hours, so 3700 s later it is not due yet
    assert server.paths_requested().count("/a0.html") == 2
    assert main(["refresh"]) == 0
    assert server.paths_requested().count("/a0.html") == 2
    assert store.query("SELECT attempts FROM articles")[0][0] == 2


def test_pages_the_budget_never_reached_are_not_failures(server):
    """Pages queued behind a slow one when the run's time runs out are left untried, not
    failed: the next run fetches them at once (before, they waited out a failure)."""
    url = article_feed(server, 4, when=time.time())
    slow = server.routes["/a0.html"]

    def late(handler) -> None:
        time.sleep(1.0)
        handler._send(200, slow.body, "text/html; charset=utf-8")

    slow.handler = late
    assert main(["add", url]) == 0
    ctx = Context()
    store = ctx.store()
    cfg = dataclasses.replace(ctx.config(), prefetch_concurrency=1)  # the config is frozen
    ids = [r[0] for r in store.query("SELECT id FROM entries ORDER BY sort_time")]

    async def go() -> int:
        async with make_client() as client:
            return await prefetch_articles(store, client, cfg, ids, until=time.monotonic() + 0.5)

    asyncio.run(go())
    assert store.query("SELECT COUNT(*) FROM articles WHERE body IS NULL")[0][0] == 0
    assert main(["refresh"]) == 0
    assert kept(Context()) == 4

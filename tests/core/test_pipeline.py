"""One refresh pipeline for the CLI and the reader: ingest, refresh, prefetch (with the backlog
earlier runs missed), prune; maintenance never fails a refresh."""

from __future__ import annotations

import asyncio
import json
import time

from feedgen import rss

from tui.cli.main import main
from tui.net.http import make_client
from tui.services.context import Context
from tui.services.ingest import Fetched, ingest, min_interval
from tui.services.pipeline import run_refresh
from tui.services.session import Session
from tui.store import StoreError

NOW = time.time()


def page_feed(server, n: int = 3, title: str = "Coast") -> str:
    items = []
    for i in range(n):
        link = server.add(
            f"/p{i}.html",
            f"<html><body><article><h1>Story {i}</h1>"
            + "".join(f"<p>Paragraph {j} of story {i}, long enough to keep.</p>" for j in range(6))
            + "</article></body></html>",
            content_type="text/html; charset=utf-8",
        )
        items.append({"title": f"Story {i}", "guid": f"g{i}", "link": link, "date": NOW - 60 * i})
    return server.add("/feed.xml", rss(title, items))


def articles(ctx: Context) -> int:
    return ctx.store().query("SELECT COUNT(*) FROM articles WHERE body IS NOT NULL")[0][0]


def test_min_interval_is_the_longest_hint_capped():
    assert min_interval(0, None) == 0
    assert min_interval(120, 1) == 120
    assert min_interval(30, 5) == 300  # <ttl> in minutes
    assert min_interval(10**9, None) == 86400


def test_ingest_stores_typed_columns(server):
    from tui.feeds import parse_feed

    url = page_feed(server, 2)
    ctx = Context()
    store = ctx.store()
    store.add_source(url)
    feed = parse_feed(server.routes["/feed.xml"].body, url)
    ids = ingest(store, url, feed, Fetched(status=200, fetched_at=NOW, etag='"x"'))
    assert len(ids) == 2
    row = store.source(url)
    assert (row.last_status, row.etag, row.last_fetched) == ("200", '"x"', NOW)
    assert ingest(store, url, feed, Fetched(status=200, fetched_at=NOW)) == []  # nothing new


def test_refresh_after_add_prefetches_what_add_stored(server, capsys):
    """`add` stores entries without pages; the next refresh gets a 304 and must still fetch
    them (before, nothing was ever prefetched for those entries)."""
    url = page_feed(server, 3)
    assert main(["add", url]) == 0
    ctx = Context()
    assert articles(ctx) == 0
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["not_modified"] == 1 and data["new_entries"] == 0
    assert data["articles"] == 3 and articles(Context()) == 3
    assert main(["refresh", "--json"]) == 0  # nothing left to fetch: no page requested again
    assert json.loads(capsys.readouterr().out)["articles"] == 0
    assert server.paths_requested().count("/p0.html") == 1


def test_refresh_one_source_by_id_reads_no_counts(server, monkeypatch):
    url = page_feed(server, 2)
    other = server.add("/other.xml", rss("Other", [{"title": "o", "guid": "o1"}]))
    assert main(["add", url]) == 0 and main(["add", other]) == 0
    ctx = Context()
    store, cfg = ctx.store(), ctx.config()
    source_id = store.source(url).id
    server.requests.clear()

    def no_counts():
        raise AssertionError("a one-source refresh must not count every source's entries")

    monkeypatch.setattr(store, "sources", no_counts)

    async def go():
        async with make_client() as client:
            return await run_refresh(
                Session(store, cfg, client), source_ids=[source_id], prefetch=False
            )

    outcome = asyncio.run(go())
    assert [r.url for r in outcome.summary.results] == [url]
    assert server.paths_requested() == ["/feed.xml"]


def test_maintenance_failure_does_not_fail_the_refresh(server, monkeypatch, capsys):
    url = page_feed(server, 1)
    assert main(["add", url]) == 0
    capsys.readouterr()

    def disk_full(*_a, **_k):
        raise StoreError("cache x: disk is full (database or disk is full)")

    monkeypatch.setattr("tui.store.retention.prune", disk_full)
    assert main(["refresh", "--json", "--no-articles"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"] == 1 and "disk is full" in data["warning"]

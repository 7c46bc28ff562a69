"""Refresh: fetch every source concurrently (bounded globally and per host), parse, store.

A failing source records its error and never stops the others. Parsing and SQLite run in
threads so the event loop keeps the network busy meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from tui.net.hosts import HostGates
from tui.net.http import FetchError, fetch
from tui.services.background import to_background
from tui.services.ingest import Fetched, min_interval
from tui.services.slow_hosts import SlowHosts
from tui.settings.config import Config
from tui.store import SourceRow, Store
from tui.textclean import clean_line

Progress = Callable[["SourceResult", int, int], None]


@dataclass
class SourceResult:
    url: str
    status: str  # "ok", "not_modified", "failed", "skipped"
    new_ids: list[int] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None


@dataclass
class RefreshSummary:
    results: list[SourceResult] = field(default_factory=list)
    seconds: float = 0.0
    not_due: int = 0  # sources `due_only` left out
    next_due: float | None = None  # when the first of those falls due (epoch seconds)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def new_ids(self) -> list[int]:
        return [i for r in self.results for i in r.new_ids]

    def to_json(self) -> dict[str, Any]:
        return {
            "sources": len(self.results),
            "ok": self.count("ok"),
            "not_modified": self.count("not_modified"),
            "failed": self.count("failed"),
            "skipped": self.count("skipped"),
            "new_entries": len(self.new_ids),
            "errors": [
                {"source": clean_line(r.url, 8192), "error": r.error}
                for r in self.results
                if r.error is not None
            ],
            "seconds": round(self.seconds, 3),
            "not_due": self.not_due,
        }


class Refresher:
    """One refresh run over a set of sources."""

    def __init__(self, store: Store, client: httpx.AsyncClient, config: Config) -> None:
        self.store = store
        self.client = client
        self.config = config
        self._unchanged: list[tuple[float, float, str]] = []  # 304s: (fetched, interval, url)
        self._gates = HostGates(config.per_host, config.concurrency)
        self._slow = SlowHosts({})

    async def run(
        self,
        source_ids: list[int] | None = None,
        progress: Progress | None = None,
        due_only: bool = False,
    ) -> RefreshSummary:
        """Refresh these sources (all by default). `due_only` skips those fetched too recently
        for the config's interval or the server's own caching hints (automatic refreshes)."""
        start = time.monotonic()
        rows = await to_background(self.store.refresh_rows, source_ids)
        summary = RefreshSummary()
        if due_only:
            waiting = [r for r in rows if not self.is_due(r)]
            rows = [r for r in rows if self.is_due(r)]
            summary.not_due = len(waiting)
            summary.next_due = min((self.due_at(r) for r in waiting), default=None)
        from tui.services import parse_pool

        if len(rows) >= parse_pool.MIN_FEEDS:  # its start-up overlaps the first round trips
            parse_pool.start()
        self._slow = await to_background(SlowHosts.load, self.store)
        total = len(rows)

        async def one(row: SourceRow) -> None:
            result = await self.refresh_source(row)
            summary.results.append(result)
            if progress:
                progress(result, len(summary.results), total)

        tasks = [asyncio.create_task(one(r)) for r in rows]
        if tasks:
            _done, late = await asyncio.wait(tasks, timeout=self.config.refresh_budget)
            await _cancel(late)
        reached = {r.url for r in summary.results}
        budget = f"not reached: the run's {self.config.refresh_budget:g} s budget ran out"
        summary.results += [
            SourceResult(r.url, "skipped", error=budget) for r in rows if r.url not in reached
        ]
        await to_background(self._slow.save, self.store)
        if self._unchanged:
            await to_background(self.store.mark_not_modified, self._unchanged)
            self._unchanged = []
        if any(r.new_ids for r in summary.results):
            await to_background(self.store.index_pending)
        summary.seconds = time.monotonic() - start
        return summary

    def is_due(self, row: SourceRow, now: float | None = None) -> bool:
        return (now or time.time()) >= self.due_at(row)

    def due_at(self, row: SourceRow) -> float:
        return due_at(self.config, row)

    async def refresh_source(self, row: SourceRow) -> SourceResult:
        url = row.url
        now = time.time()
        wait = retry_after(row)
        if wait and wait > now:
            until = wait_until(wait, now)
            return SourceResult(url, "skipped", error=f"server asked us to wait until {until}")
        try:
            return await self._fetch_and_store(row)
        except FetchError as exc:
            return await self._fail(url, str(exc))
        except Exception as exc:  # a bug or an unforeseen input must not stop other sources
            return await self._fail(url, f"{type(exc).__name__}: {exc}")

    async def _fetch_and_store(self, row: SourceRow) -> SourceResult:
        url = row.url
        host = urlsplit(url).hostname or ""
        settings = self.config.settings_for(url)
        async with self._gates.slot(url):  # per host, then global; wider over HTTP/2
            try:
                resp = await fetch(
                    self.client,
                    url,
                    etag=row.etag,
                    last_modified=row.last_modified,
                    max_bytes=self.config.max_feed_bytes,
                    deadline=self._slow.deadline(host, self.config.deadline),
                    extra_headers=_source_headers(settings),
                    origin_headers=self.config.headers_for(url),  # never sent across origins
                )
            except FetchError as exc:
                if str(exc).startswith("timed out"):
                    self._slow.timed_out(host)
                raise
        self._slow.answered(host)
        self._gates.learned(resp.url, resp.http_version)
        now = time.time()
        if resp.retry_after is not None:
            await to_background(
                self.store.update_source,
                url,
                retry_after=resp.retry_after,
                last_status=str(resp.status),
                last_error=f"HTTP {resp.status}: asked to retry later",
                last_fetched=now,
            )
            return SourceResult(url, "failed", error=f"HTTP {resp.status}: asked to retry later")
        if resp.moved_to and resp.moved_to != url:
            await to_background(self.store.move_source, url, resp.moved_to)
            # its [sources."old URL"] settings keep applying at the new address (this run's
            # config; the next load reads the move from the cache)
            moved = {**self.config.moved, resp.moved_to: self.config.moved.get(url, url)}
            self.config = replace(self.config, moved=moved)
            url = resp.moved_to
        if resp.status == 304:
            # written together at the end of the run: one transaction, not one per feed
            self._unchanged.append((now, min_interval(resp.server_interval(), row.ttl), url))
            return SourceResult(url, "not_modified")
        if not resp.content.strip():
            raise FetchError("empty body")
        # Imported only when there is a body to parse: an all-304 refresh never pays for lxml,
        # and the first requests are not held up behind the import.
        from tui.feeds import FeedError
        from tui.services import parse_pool

        fetched = Fetched(
            status=resp.status,
            fetched_at=now,
            etag=resp.etag,
            last_modified=resp.last_modified,
            server_interval=resp.server_interval(),
        )
        try:
            new_ids, warning = await parse_pool.parse_and_store(
                self.store, url, resp.content, resp.url, resp.content_type, fetched
            )
        except FeedError as exc:
            raise FetchError(str(exc)) from None
        return SourceResult(url, "ok", new_ids=new_ids, warning=warning)

    async def _fail(self, url: str, error: str) -> SourceResult:
        error = clean_line(error, 300)
        try:
            await to_background(
                self.store.update_source,
                url,
                last_status="error",
                last_error=error,
                last_fetched=time.time(),
            )
        except Exception as exc:  # the cache itself failing is reported, not raised per source
            error = f"{error} (and could not record it: {exc})"
        return SourceResult(url, "failed", error=error)


def due_at(config: Config, row: SourceRow) -> float:
    """When a source next falls due (0: never fetched, so now)."""
    if not row.last_fetched:
        return 0.0
    wait = max(config.interval(row.url), row.min_interval or 0.0)
    return float(row.last_fetched + wait)


def retry_after(row: SourceRow) -> float | None:
    """When the server said to come back, at most a week after it said so (a date stored
    before Retry-After was capped, such as the year 9999, counts as that week)."""
    from tui.net.http import MAX_RETRY_AFTER

    if not row.retry_after:
        return None
    return float(min(row.retry_after, (row.last_fetched or time.time()) + MAX_RETRY_AFTER))


def wait_until(when: float, now: float) -> str:
    """`14:05` today, `2026-12-04 14:05` another day."""
    today = time.localtime(now)[:3] == time.localtime(when)[:3]
    return time.strftime("%H:%M" if today else "%Y-%m-%d %H:%M", time.localtime(when))


async def _cancel(tasks: set[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


def _source_headers(settings: dict[str, Any]) -> dict[str, str] | None:
    """Headers for every hop: only the User-Agent (the configured `headers` may be secrets,
    and go to their own origin only)."""
    if settings.get("user_agent"):
        return {"User-Agent": str(settings["user_agent"])}
    return None

"""Sync with aggregator accounts: push queued changes, pull feeds and entries, reconcile state.

One account's sync, in order:
1. push: the queue (tui.store.queue) in batches, each acknowledged only once the server said OK;
2. feeds and folders become sources (the config's [sources."URL"] folder wins);
3. entries since the cursor, page by page, one transaction per page (memory stays flat);
4. reconcile: the server's unread and starred ids against the cache. Entries whose state
   differs only here are asked for by id: those the server still has take its state, those it
   deleted are let go (read here, a star kept; tui.store.synced.let_go). Unread or starred
   entries the pull missed are fetched, pruned ones included.
A change still queued always wins over the server's state (the store checks it in the same
statement). Any failure stops that account with one line; what was stored stays stored, and
what was not acknowledged stays queued.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from tui.feeds.common import RawEntry, build_entry
from tui.settings.accounts import Account, PasswordError
from tui.settings.config import Config
from tui.store import Store, StoreError, queue, synced
from tui.sync.model import Remote, RemoteEntry, SyncError, converted
from tui.textclean import clean_line

PUSH_PAGE = 1000  # queued changes read from the cache at a time
CHECK_BATCH = 200  # ids per articles() call during reconcile
# GReader's `ot` is a time, and servers differ on which time (crawl or publication): pull an
# hour back from the last sync, and let reconcile fetch unread entries that still slip by.
GREADER_OVERLAP = 3600

Progress = Callable[[str, str], object]  # (account name, what it is doing)

_T = TypeVar("_T")


@dataclass
class AccountResult:
    name: str
    type: str
    pulled: int = 0  # entries new to the cache, or whose state the server changed
    pushed: int = 0  # queued changes the server took
    pending: int = 0  # changes still queued after the run
    error: str | None = None
    new_ids: list[int] = field(default_factory=list)  # for article prefetch
    requests: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "pulled": self.pulled,
                "pushed": self.pushed, "pending": self.pending, "error": self.error}  # fmt: skip


def make_remote(http: httpx.AsyncClient, account: Account, password: str, deadline: float) -> Any:
    if account.type == "ttrss":
        from tui.sync.ttrss import TtrssClient

        return TtrssClient(http, account.url, account.user, password, deadline=deadline)
    if account.type == "miniflux":
        from tui.sync.miniflux import MinifluxClient

        return MinifluxClient(http, account.url, account.user, password, deadline=deadline)
    from tui.sync.greader import GReaderClient

    return GReaderClient(http, account.url, account.user, password, deadline=deadline)


async def sync_accounts(
    store: Store,
    http: httpx.AsyncClient,
    config: Config,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[AccountResult]:
    """Sync these accounts (all by default) one after another, all within the config's
    refresh_budget (a refresh waits for them); never raises for a server."""
    accounts = [a for n, a in config.accounts.items() if names is None or n in names]
    until = time.monotonic() + config.refresh_budget
    results = []
    for account in accounts:
        results.append(await sync_account(store, http, account, config, progress, until))
    return results


async def sync_account(
    store: Store,
    http: httpx.AsyncClient,
    account: Account,
    config: Config,
    progress: Progress | None = None,
    until: float | None = None,
) -> AccountResult:
    result = AccountResult(account.name, account.type)
    remote = None
    left = config.refresh_budget if until is None else until - time.monotonic()
    try:
        try:
            async with asyncio.timeout(max(0.0, left)):
                if account.is_peer:
                    await _sync_peer(store, account, result, progress)
                else:
                    password = await asyncio.to_thread(account.password)
                    remote = make_remote(http, account, password, config.deadline)
                    await Run(store, remote, account, config, result, progress).run()
        except TimeoutError:
            made = remote.requests if remote is not None else 0
            raise SyncError(
                f"stopped: out of time (refresh_budget, {config.refresh_budget:g} s) after "
                f"{made} requests; what came is kept"
            ) from None
    except (SyncError, PasswordError, StoreError, OSError) as exc:
        result.error = clean_line(str(exc), 300)
    except Exception as exc:  # a bug or an input nobody foresaw: one line, the others go on
        result.error = clean_line(f"{type(exc).__name__}: {exc}", 300)
    if remote is not None:
        result.requests = remote.requests
    try:
        await asyncio.to_thread(synced.record_sync, store, account.name, error=result.error)
        if result.new_ids:
            await asyncio.to_thread(store.index_pending)
        result.pending = await asyncio.to_thread(queue.pending_count, store, account.name)
    except StoreError as exc:
        result.error = result.error or clean_line(str(exc), 300)
    return result


async def _sync_peer(
    store: Store, account: Account, result: AccountResult, progress: Progress | None
) -> None:
    """Other machines running newsdesk, through a shared folder or over SSH."""
    from pathlib import Path

    from tui.sync import peers

    if progress is not None:
        progress(account.name, "exchanging marks")
    if account.type == "ssh":
        pulled, pushed, refused = await peers.sync_ssh(store, account)
    else:
        folder = Path(account.path).expanduser()
        pulled, pushed, refused = await asyncio.to_thread(
            peers.sync_folder, store, folder, account.name
        )
    result.pulled, result.pushed, result.error = pulled, pushed, refused or None


class Run:
    """One account's sync; see the module docstring for its steps."""

    def __init__(
        self, store: Store, remote: Remote, account: Account, config: Config,
        result: AccountResult, progress: Progress | None,
    ) -> None:  # fmt: skip
        self.store, self.remote, self.account = store, remote, account
        self.name = account.name
        self.config, self.result, self.progress = config, result, progress
        self.skipped = 0  # entries whose feed the server had not listed yet

    def _say(self, what: str) -> None:
        if self.progress is not None:
            self.progress(self.name, what)

    async def _db(self, fn: Callable[..., _T], *args: Any) -> _T:
        return await asyncio.to_thread(fn, self.store, self.name, *args)

    async def run(self) -> None:
        self._say("logging in")
        await self.remote.login()
        await self.push()
        await self.pull_sources()
        started = time.time()
        top = await self.pull_entries()
        await self.reconcile()
        if self.skipped:  # entries of a feed listed only after our feed list: again next time
            new_cursor = None
        elif self.account.type in ("ttrss", "miniflux"):  # ids only grow: the highest seen
            new_cursor = str(top) if top else None
        else:
            new_cursor = str(int(started) - GREADER_OVERLAP)
        await asyncio.to_thread(synced.record_sync, self.store, self.name, cursor=new_cursor)

    async def push(self) -> None:
        await self.push_feed_reads()
        after = 0
        while rows := await self._db(queue.pending, after, PUSH_PAGE):
            after = rows[-1].id
            groups: dict[tuple[str, int], list[Any]] = {}
            for r in rows:
                groups.setdefault((r.kind, r.value), []).append(r)
            for (kind, value), group in groups.items():
                self._say(f"sending {len(group)} changes")
                ids = [r.remote_id for r in group]
                if kind == "read":
                    await self.remote.set_read(ids, bool(value))
                else:
                    await self.remote.set_starred(ids, bool(value))
                await asyncio.to_thread(queue.ack, self.store, [r.id for r in group])
                self.result.pushed += len(group)

    async def push_feed_reads(self) -> None:
        """Whole sources marked read: one call each where the server bounds it by time (the
        entry reads it covers go with it), else just the entry reads, sent as usual."""
        for marker in await self._db(queue.feed_reads):
            done = [marker.id]
            if self.remote.feed_read_by_time:
                self._say("marking a source read")
                await self.remote.mark_feed_read(marker.remote_id, before=marker.at)
                done += await self._db(queue.covered_reads, marker.remote_id, marker.at)
            await asyncio.to_thread(queue.ack, self.store, done)
            self.result.pushed += len(done) - 1

    async def pull_sources(self) -> None:
        self._say("reading feeds")
        folders = {c.id: c.title for c in await self.remote.categories()}
        feeds = []
        for f in await self.remote.feeds():
            mine = self.config.source_setting(f.url, "folder") if f.url else None
            folder = str(mine) if mine else folders.get(f.category_id or "")
            feeds.append(
                synced.SyncedSource(f.id, clean_line(f.title, 300), f.url, f.site_url, folder)
            )
        await self._db(synced.save_sources, feeds)

    async def pull_entries(self) -> int:
        """Entries since the cursor; returns the highest numeric id seen (tt-rss's cursor)."""
        since = await self._db(synced.cursor)
        top = int(since) if since and since.isdecimal() else 0
        async for page in self.remote.entries(since=since, fresh=self._fresh):
            top = max([top, *(int(e.id) for e in page if e.id.isdecimal())])
            await self._save(page)
            self._say(f"{self.result.pulled} entries")
        return top

    async def _fresh(self, ids: list[str]) -> list[str]:
        return await self._db(synced.unknown_ids, ids)

    async def _save(self, page: list[RemoteEntry]) -> None:
        items = converted(page, _synced)  # an entry the cleaning chokes on is left out alone
        saved = await self._db(synced.save_entries, items)
        self.result.new_ids += saved.new_ids
        self.skipped += saved.skipped
        self.result.pulled += len(saved.new_ids) + saved.changed

    async def reconcile(self) -> None:
        self._say("comparing read state")
        unread = await self.remote.unread_ids()
        starred = await self.remote.starred_ids()
        todo = await self._db(synced.plan, unread, starred)
        del unread, starred
        self.result.pulled += await self._db(synced.set_state, "read", todo.to_unread, False)
        self.result.pulled += await self._db(synced.set_state, "star", todo.to_star, True)
        ask = todo.check + todo.missing
        gone = set(todo.check)
        for start in range(0, len(ask), CHECK_BATCH):
            page = await self.remote.articles(ask[start : start + CHECK_BATCH])
            gone.difference_update(e.id for e in page)
            if page:
                await self._save(page)
        if gone:  # asked for by id and not there: the server deleted them
            await self._db(synced.let_go, sorted(gone))


def _synced(e: RemoteEntry) -> synced.SyncedEntry:
    """A server's entry as the cache stores a feed's: the same cleaning, its id as the key."""
    raw = RawEntry(
        id=e.id,
        title=e.title,
        link=e.link or None,
        author=e.author or None,
        published=e.published,
        content_html=e.content,
        base=e.link or None,
    )
    return synced.SyncedEntry(e.feed_id, build_entry(raw), e.read, e.starred)

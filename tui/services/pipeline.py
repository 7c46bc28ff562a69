"""One refresh, the same for the CLI and the reader: sync aggregator accounts while fetching
and storing the feeds, index them, prefetch full articles (new entries first, then any the
last runs missed), then prune.

Each step is its own await, so a caller can report the refresh before the prefetch finishes,
and nothing here can cancel a previous run's prefetch: a run owns all of its steps.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from tui.services.arrival import Arrival, settle
from tui.services.background import to_background
from tui.services.notify import Notice, notice_for, run_command
from tui.services.refresh import Refresher, RefreshSummary
from tui.services.runlock import RefreshRunning, refresh_lock
from tui.services.session import QuietRefresh, RefreshEvents, Session
from tui.settings.config import Config
from tui.store import Store, StoreError

if TYPE_CHECKING:  # the sync engine is imported only when there are accounts
    from tui.sync.engine import AccountResult

# Pages a run may try for entries earlier runs missed, besides its own new entries (the run's
# time budget stops it sooner; the next run goes on from the newest left).
BACKLOG_PAGES = 2000

__all__ = ["RefreshOutcome", "RefreshRunning", "run_refresh"]


@dataclass
class RefreshOutcome:
    summary: RefreshSummary
    prefetched: int = 0  # pages extracted and kept
    prefetch_total: int = 0  # pages tried
    pruned: int = 0
    maintenance_error: str | None = None  # pruning or VACUUM failed; the refresh still counts
    arrival: Arrival = field(default_factory=Arrival)  # rules applied, stories grouped
    arrival_error: str | None = None
    accounts: list[AccountResult] = field(default_factory=list)  # aggregator syncs
    # notify: what to announce (the caller writes it to its terminal when notify = "terminal"),
    # and one line when the notify command or notify_match failed
    notice: Notice | None = None
    notify_error: str | None = None


async def run_refresh(
    session: Session,
    *,
    source_ids: list[int] | None = None,
    due_only: bool = False,
    prefetch: bool = True,
    sync: bool = True,
    events: RefreshEvents | None = None,
) -> RefreshOutcome:
    """Refresh these sources (all by default); see the module's docstring for the steps. The
    session's config is read once, at the start. Raises RefreshRunning when another process
    is refreshing the same cache."""
    store, client, config = session.store, session.client, session.config
    events = events or QuietRefresh()
    with refresh_lock(store.path.parent):
        # Aggregator accounts sync alongside the feeds (a slow server holds up neither); a
        # refresh of chosen sources leaves them alone.
        syncing = (
            asyncio.create_task(_sync(store, client, config, events))
            if config.accounts and source_ids is None and sync
            else None
        )
        try:
            return await _run(
                store, client, config, source_ids, due_only, prefetch, events, syncing
            )
        except BaseException:
            if syncing is not None:
                syncing.cancel()
            raise


async def _run(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    source_ids: list[int] | None,
    due_only: bool,
    prefetch: bool,
    events: RefreshEvents,
    syncing: asyncio.Task[list[AccountResult]] | None = None,
) -> RefreshOutcome:
    # the budget covers feeds and articles together; a page started in time may finish late
    until = time.monotonic() + config.refresh_budget
    refresher = Refresher(store, client, config)
    summary = await refresher.run(
        source_ids=source_ids,
        progress=lambda _r, done, total: events.progressed(done, total, "refreshing"),
        due_only=due_only,
    )
    config = refresher.config  # with the moves this run followed: their settings go along
    outcome = RefreshOutcome(summary)
    # rules and stories for the new entries, in a thread (aggregator syncs go on meanwhile);
    # the caller hears of the refresh once they are stored: one list reload, already grouped
    outcome.arrival, outcome.arrival_error = await to_background(
        _settle, store, config, summary.new_ids
    )
    events.stored(summary)
    new_ids = summary.new_ids
    if syncing is not None:
        outcome.accounts = await syncing
        synced = [i for a in outcome.accounts for i in a.new_ids]
        if synced:  # rules and stories for what the aggregators brought too
            more, error = await to_background(_settle, store, config, synced)
            outcome.arrival.add(more)
            outcome.arrival_error = outcome.arrival_error or error
        new_ids += synced
    outcome.notice, outcome.notify_error = await to_background(_notice, store, config, new_ids)
    hook = None
    if outcome.notice is not None and config.notify == "command":
        # runs while articles are fetched; bounded by notify_timeout
        # its own thread (not the store's two): a command that hangs holds up no write
        hook = asyncio.ensure_future(
            asyncio.to_thread(
                run_command,
                config.notify_command,
                outcome.notice.summary_bytes(),
                config.notify_timeout,
            )
        )
    if prefetch and config.prefetch:
        ids = await to_background(_prefetch_candidates, store, new_ids)
        outcome.prefetch_total = len(ids)
        if ids:
            from tui.services.prefetch import prefetch_articles

            outcome.prefetched = await prefetch_articles(
                store,
                client,
                config,
                ids,
                progress=lambda done, total: events.progressed(done, total, "articles"),
                until=until,
            )
    outcome.pruned, outcome.maintenance_error = await to_background(_maintain, store, config)
    if hook is not None:
        outcome.notify_error = await hook
    return outcome


async def _sync(
    store: Store, client: httpx.AsyncClient, config: Config, events: RefreshEvents
) -> list[AccountResult]:
    from tui.services.runlock import SyncRunning, sync_lock
    from tui.sync.engine import AccountResult, sync_accounts

    try:
        with sync_lock(store.path.parent):  # a `newsdesk sync` may be running meanwhile
            results = await sync_accounts(store, client, config, progress=events.sync_progressed)
    except SyncRunning as exc:
        results = [
            AccountResult(a.name, a.type, error=f"not synced: {exc}")
            for a in config.accounts.values()
        ]
    events.synced(results)
    return results


def _settle(store: Store, config: Config, new_ids: list[int]) -> tuple[Arrival, str | None]:
    """Arrival rules and story grouping; failing, they never fail the refresh."""
    try:
        return settle(store, config, new_ids), None
    except (StoreError, OSError) as exc:
        return Arrival(), f"stories and rules skipped: {exc}"


def _notice(store: Store, config: Config, new_ids: list[int]) -> tuple[Notice | None, str | None]:
    """What to announce; failing, it never fails the refresh."""
    try:
        return notice_for(store, config, new_ids)
    except (StoreError, OSError) as exc:
        return None, f"notification skipped: {exc}"


def _prefetch_candidates(store: Store, new_ids: list[int]) -> list[int]:
    """This run's new entries, then the newest whose article is due (never tried, or failed
    longer ago than its backoff)."""
    backlog = store.entries_missing_article(BACKLOG_PAGES + len(new_ids))
    seen = set(new_ids)
    return [*new_ids, *[i for i in backlog if i not in seen][:BACKLOG_PAGES]]


def _maintain(store: Store, config: Config) -> tuple[int, str | None]:
    """Retention after a refresh; its failure (a full disk, say) never fails the refresh."""
    from tui.store.retention import maintain

    try:
        return maintain(store, config), None
    except (StoreError, OSError) as exc:
        return 0, f"maintenance skipped: {exc}"


def stop_workers() -> None:
    """After an interrupt: kill the parse and extraction workers, so the process exits at once
    (a worker in the middle of a long extraction would otherwise be waited for)."""
    from tui.services import extract_pool, parse_pool

    parse_pool.shutdown(kill=True)
    extract_pool.shutdown()

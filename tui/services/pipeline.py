"""One refresh, the same for the CLI and the reader: fetch and store the feeds, index them,
prefetch full articles (new entries first, then any the last runs missed), then prune.

Each step is its own await, so a caller can report the refresh before the prefetch finishes,
and nothing here can cancel a previous run's prefetch: a run owns all of its steps.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from tui.services.background import to_background
from tui.services.refresh import Progress, Refresher, RefreshSummary
from tui.settings.config import Config
from tui.store import Store, StoreError

# Entries older than this are not worth fetching pages for after the fact.
BACKLOG_DAYS = 7
# Pages a run fetches for entries earlier runs missed, besides its own new entries.
BACKLOG_PAGES = 200

PrefetchProgress = Callable[[int, int], None]
OnStored = Callable[[RefreshSummary], Awaitable[None] | object]


@dataclass
class RefreshOutcome:
    summary: RefreshSummary
    prefetched: int = 0  # pages extracted and kept
    prefetch_total: int = 0  # pages tried
    pruned: int = 0
    maintenance_error: str | None = None  # pruning or VACUUM failed; the refresh still counts


async def run_refresh(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    *,
    source_ids: list[int] | None = None,
    due_only: bool = False,
    prefetch: bool = True,
    progress: Progress | None = None,
    prefetch_progress: PrefetchProgress | None = None,
    on_stored: OnStored | None = None,
) -> RefreshOutcome:
    """Refresh these sources (all by default); see the module's docstring for the steps."""
    summary = await Refresher(store, client, config).run(
        source_ids=source_ids, progress=progress, due_only=due_only
    )
    outcome = RefreshOutcome(summary)
    if on_stored is not None:
        result = on_stored(summary)
        if inspect.isawaitable(result):
            await result
    if prefetch and config.prefetch:
        ids = await to_background(_prefetch_candidates, store, summary.new_ids)
        outcome.prefetch_total = len(ids)
        if ids:
            from tui.services.prefetch import prefetch_articles

            outcome.prefetched = await prefetch_articles(
                store, client, config, ids, progress=prefetch_progress
            )
    outcome.pruned, outcome.maintenance_error = await to_background(_maintain, store, config)
    return outcome


def _prefetch_candidates(store: Store, new_ids: list[int]) -> list[int]:
    """This run's new entries, then the newest that earlier runs never reached."""
    since = time.time() - BACKLOG_DAYS * 86400
    backlog = store.entries_missing_article(since, BACKLOG_PAGES + len(new_ids))
    seen = set(new_ids)
    return [*new_ids, *[i for i in backlog if i not in seen][:BACKLOG_PAGES]]


def _maintain(store: Store, config: Config) -> tuple[int, str | None]:
    """Retention after a refresh; its failure (a full disk, say) never fails the refresh."""
    from tui.store.retention import maintain

    try:
        return maintain(store, config), None
    except (StoreError, OSError) as exc:
        return 0, f"maintenance skipped: {exc}"

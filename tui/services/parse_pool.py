"""Feed parsing and storing on the second core: a refresh of many feeds parses and stores them
in a worker process while this process keeps the network busy. A few feeds are handled in a
thread instead, as starting a worker would cost more than it saves."""

from __future__ import annotations

import asyncio
import atexit
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tui.services.background import to_background
from tui.services.ingest import Fetched, parse_and_ingest
from tui.services.procpool import OnDemandPool
from tui.store import Store

MIN_FEEDS = 12  # below this, parse and store in a thread
# Measured on 2 cores, 200 feeds: 2 workers 2.2-2.6 s, 1 worker 2.5-2.7 s, a thread 2.6-2.8 s.
WORKERS = min(2, os.cpu_count() or 1)

_pool: OnDemandPool | None = None  # made on the first refresh that needs it


def _warm_up() -> None:
    try:
        os.nice(5)  # the reader's own process (and its frames) come first
    except OSError:
        pass
    import tui.feeds  # noqa: F401  (lxml and the parsers, once per worker)


def start() -> None:
    """Start the workers now, so their imports overlap the first network waits; they exit
    after procpool.IDLE_SECONDS without work."""
    global _pool
    if os.environ.get("NEWSDESK_PARSE_POOL") == "0":  # for A/B benchmarks
        return
    if _pool is None:
        _pool = OnDemandPool(WORKERS, initializer=_warm_up)
        atexit.register(shutdown)
    _pool.submit(int)  # spawns the workers (again, if they had gone idle and exited)


def shutdown(kill: bool = False) -> None:
    """Let the workers finish and exit; with `kill` (an interrupted run), stop them now."""
    if _pool is not None:
        if kill:
            _pool.kill()
        else:
            _pool.shutdown()


_worker_stores: dict[str, Store] = {}


def _in_worker(
    db_path: str, url: str, data: bytes, base: str, content_type: str | None, fetched: Fetched
) -> tuple[list[int], str | None]:
    """In the worker process: its own connection to the cache (WAL lets both write)."""
    store = _worker_stores.get(db_path)
    if store is None:
        store = _worker_stores[db_path] = Store(Path(db_path))
    return parse_and_ingest(store, url, data, base, content_type, fetched)


async def parse_and_store(
    store: Store, url: str, data: bytes, base: str, content_type: str | None, fetched: Fetched
) -> tuple[list[int], str | None]:
    """Parse and store off the event loop: in the worker process when one runs (this process
    then only talks to the network), else in a thread."""
    pool = _pool
    if pool is not None:
        try:
            return await asyncio.wrap_future(
                pool.submit(_in_worker, str(store.path), url, data, base, content_type, fetched)
            )
        except BrokenProcessPool:
            pool.kill()
    return await to_background(parse_and_ingest, store, url, data, base, content_type, fetched)

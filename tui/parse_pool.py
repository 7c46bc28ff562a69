"""Feed parsing on the second core: a refresh of many feeds parses them in a worker process
while this process keeps the network and SQLite busy. A few feeds parse in a thread instead,
as starting a worker would cost more than it saves."""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tui.models import ParsedFeed

MIN_FEEDS = 12  # below this, parse in a thread

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _warm_up() -> None:
    import tui.feeds  # noqa: F401  (lxml and the parsers, once per worker)


def start() -> None:
    """Start the worker now, so its imports overlap the first network waits."""
    global _pool
    if os.environ.get("NEWSDESK_PARSE_POOL") == "0":  # for A/B benchmarks
        return
    with _lock:
        if _pool is None:
            from tui.procpool import new_pool

            _pool = new_pool(1, initializer=_warm_up)
            _pool.submit(int)  # spawns the worker
            atexit.register(shutdown)


def shutdown() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _parse(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    from tui.feeds import parse_feed

    return parse_feed(data, url, content_type)


async def parse(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """parse_feed off the event loop: in the worker process when one runs, else a thread."""
    pool = _pool
    if pool is not None:
        try:
            return await asyncio.get_running_loop().run_in_executor(
                pool, _parse, data, url, content_type)
        except BrokenProcessPool:
            shutdown()
    return await asyncio.to_thread(_parse, data, url, content_type)

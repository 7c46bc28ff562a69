"""Run article extraction in a worker process that can be stopped.

Extraction is CPU-bound and some pages make it run away (deep nesting, pathological markup).
A worker process keeps it off the UI's GIL and lets a deadline kill it; the pool is rebuilt
after a kill. The worker imports trafilatura once and reuses it.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tui.models import Article
from tui.services.procpool import OnDemandPool

DEADLINE = float(os.environ.get("NEWSDESK_EXTRACT_DEADLINE", "30"))
# One worker per core (measured here on 2 cores: 2 workers 39 pages/s, 1 worker 27, a thread in
# the refresh process 18); the workers run niced so the reader keeps its frame rate meanwhile.
WORKERS = int(os.environ.get("NEWSDESK_EXTRACT_WORKERS", str(min(2, os.cpu_count() or 1))))

_lock = threading.Lock()
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)
_running: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, set[asyncio.Future[Article | None]]
] = weakref.WeakKeyDictionary()


def _get_pool() -> ProcessPoolExecutor:
    """The running pool (started if need be), for benchmarks that warm it up front."""
    return _pool.executor()


def _warm_up() -> None:
    try:
        os.nice(10)  # background work: the reader's own process comes first
    except OSError:
        pass
    import trafilatura  # noqa: F401  (pay the import once per worker)


# Started by the first extraction, gone after procpool.IDLE_SECONDS without one.
_pool = OnDemandPool(WORKERS, initializer=_warm_up)


# How many times the pool was killed: a job whose pool broke after another job's kill was
# collateral damage (it was running beside the runaway), not a crash of its own page.
_kills = 0


def _kill_pool() -> None:
    """Stop a runaway extraction: terminate the workers, start afresh next time."""
    global _kills
    _kills += 1
    _pool.kill()


def shutdown() -> None:
    """Stop the workers now (an interrupted run: a page in extraction is not waited for)."""
    _kill_pool()


def close() -> None:
    """Stop the workers and wait for them and the pool's manager thread to end (a CLI command
    calls this before it exits: a pool merely killed leaves that thread to trip over the
    interpreter's exit with an "Exception ignored in: <module 'threading'>" traceback)."""
    _pool.close()


def _extract(html: bytes, url: str | None, readable: bool = False) -> Article | None:
    from tui.extract import extract_article

    return extract_article(html, url, readable=readable)


async def extract_in_worker(
    html: bytes, url: str | None, deadline: float = DEADLINE, readable: bool = False
) -> tuple[Article | None, str | None]:
    """(article, None) or (None, reason). Never raises for a bad page. `readable`: a page
    without an article gives its readable text (see `extract_article`)."""
    for _attempt in range(2):
        kills = _kills
        try:
            return _checked(await _run(html, url, deadline, readable))
        except TimeoutError:
            _kill_pool()
            return None, f"extraction took longer than {deadline:g} s"
        except BrokenProcessPool:
            if _kills != kills:
                continue  # another page's runaway was killed while this one ran: try again
            _kill_pool()
            return None, "extraction worker crashed"
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            # our queued job was cancelled because another page's runaway killed the pool
        except Exception as exc:
            return None, f"extraction failed: {type(exc).__name__}"
    return None, "extraction was interrupted"


def _slot() -> asyncio.Semaphore:
    """Two jobs per worker in the pool (per event loop): one running, one queued, so a worker
    never waits for the next page to be sent (measured: 49 pages/s against 43 with one)."""
    loop = asyncio.get_running_loop()
    with _lock:
        slot = _slots.get(loop)
        if slot is None:
            slot = _slots[loop] = asyncio.Semaphore(WORKERS * 2)
            _running[loop] = set()
        return slot


async def _run(html: bytes, url: str | None, deadline: float, readable: bool) -> Article | None:
    async with _slot():
        loop = asyncio.get_running_loop()
        running = _running[loop]
        ahead = [job for job in running if not job.done()]
        job = asyncio.wrap_future(_pool.submit(_extract, html, url, readable))
        running.add(job)
        job.add_done_callback(running.discard)
        if len(ahead) >= WORKERS:
            # Queued behind busy workers: the deadline times this page's own extraction, so
            # it starts when a worker frees up (at the latest when a runaway ahead is killed).
            await asyncio.wait(ahead, return_when=asyncio.FIRST_COMPLETED)
        return await asyncio.wait_for(job, deadline)


NO_BODY = "no article body found: the page may be paywalled or built by scripts"


def _checked(article: Article | None) -> tuple[Article | None, str | None]:
    if article is None or not article.blocks:
        return None, NO_BODY
    return article, None

"""Worker process pools that start on demand, exit when idle, and die with the reader.

Safe to start from the reader as well as the CLI (forkserver: never fork a process that runs
UI threads). A pool with no work for IDLE_SECONDS shuts down, and when no pool is left the
forkserver and resource tracker processes stop too, so an idle reader is one process. Every
worker watches the process that started it (a pidfd, else polling) and exits the moment that
process is gone, even when it was killed with SIGKILL and could clean nothing up.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

# Seconds without work before a pool's workers exit (a refresh and its prefetch keep them busy;
# the next one, minutes later, pays ~0.3 s to start them again).
IDLE_SECONDS = float(os.environ.get("NEWSDESK_POOL_IDLE", "20"))

_pools: set[OnDemandPool] = set()  # pools with live workers
_pools_lock = threading.Lock()


class OnDemandPool:
    """A ProcessPoolExecutor made when work arrives and shut down after IDLE_SECONDS idle."""

    def __init__(self, workers: int, initializer: Callable[[], None] | None = None) -> None:
        self.workers = workers
        self.initializer = initializer
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._busy = 0
        self._last_done = 0.0
        self._timer: threading.Timer | None = None

    def executor(self) -> ProcessPoolExecutor:
        """The running pool, started if need be."""
        with self._lock:
            if self._pool is None:
                self._pool = new_pool(self.workers, self.initializer)
                with _pools_lock:
                    _pools.add(self)
            return self._pool

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        pool = self.executor()
        with self._lock:
            self._busy += 1
        try:
            future = pool.submit(fn, *args)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self._busy -= 1
            self._last_done = time.monotonic()
            if self._busy == 0 and self._pool is not None and self._timer is None:
                self._arm(IDLE_SECONDS)

    def _arm(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._reap)
        self._timer.daemon = True
        self._timer.start()

    def _reap(self) -> None:
        with self._lock:
            self._timer = None
            if self._busy or self._pool is None:
                return
            idle_for = time.monotonic() - self._last_done
            if idle_for < IDLE_SECONDS:  # work came and went meanwhile: wait again
                self._arm(IDLE_SECONDS - idle_for)
                return
            pool, self._pool = self._pool, None
        pool.shutdown(wait=True)
        _forget(self)

    def _take(self) -> ProcessPoolExecutor | None:
        with self._lock:
            pool, self._pool = self._pool, None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        return pool

    def kill(self) -> None:
        """Stop now, running jobs included (a runaway extraction); the next job starts afresh."""
        pool = self._take()
        if pool is None:
            return
        kill_workers(pool)
        _forget(self, stop_helpers=False)

    def close(self) -> None:
        """Stop and wait for the workers and the pool's manager thread (before a CLI exits)."""
        pool = self._take()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            _forget(self)

    def shutdown(self) -> None:
        """Stop without waiting for queued jobs (at exit, or when the caller is done)."""
        pool = self._take()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            _forget(self, stop_helpers=False)


def _forget(pool: OnDemandPool, stop_helpers: bool = True) -> None:
    """The pool has no workers left; the last one gone stops the forkserver and tracker."""
    with _pools_lock:
        _pools.discard(pool)
        if _pools or not stop_helpers:
            return
        _stop_helpers()


def _stop_helpers() -> None:
    from multiprocessing import forkserver, resource_tracker

    try:
        forkserver._forkserver._stop()  # type: ignore[attr-defined]
        resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ChildProcessError):
        pass  # not there on this Python: they stay, as before


def new_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("forkserver")
    with _real_stderr():
        _start_helpers()
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(os.getpid(), initializer),
        )


def _worker_init(parent: int, initializer: Callable[[], None] | None) -> None:
    """Ctrl-C reaches the whole process group: the parent stops the run and kills its workers,
    so a worker ignores it (no KeyboardInterrupt traceback from each of them)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="watch-parent", daemon=True).start()
    if initializer is not None:
        initializer()


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: its workers are killed, whatever they are doing."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _exit_with(parent: int) -> None:
    """In a worker: wait for the reader (or CLI) process to end, then end too. The worker's
    own parent is the forkserver, so PR_SET_PDEATHSIG would not see the reader die."""
    try:
        fd = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): poll instead
        while _alive(parent):
            time.sleep(0.5)
        os._exit(0)
    select.select([fd], [], [])  # readable when the process has exited
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _real_stderr() -> Iterator[None]:
    """multiprocessing hands its helper processes sys.stderr's file descriptor; under Textual
    sys.stderr is a capture object without one, which fails with "bad value(s) in fds_to_keep"."""
    saved = sys.stderr
    sys.stderr = sys.__stderr__ or saved
    try:
        yield
    finally:
        sys.stderr = saved


def _start_helpers() -> None:
    from multiprocessing import forkserver, resource_tracker

    resource_tracker.ensure_running()
    forkserver.ensure_running()

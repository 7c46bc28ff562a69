"""Worker process pools that are safe to start from the reader as well as the CLI."""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def new_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    # forkserver: never fork a process that runs UI threads
    ctx = multiprocessing.get_context("forkserver")
    with _real_stderr():
        _start_helpers()
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(initializer,),
        )


def _worker_init(then: Callable[[], None] | None) -> None:
    """Ctrl-C reaches the whole process group: the parent stops the run and kills its workers,
    so a worker ignores it (no KeyboardInterrupt traceback from each of them)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if then is not None:
        then()


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: its workers are killed, whatever they are doing."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


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

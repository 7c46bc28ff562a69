"""Worker process pools that are safe to start from the reader as well as the CLI."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def new_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    # forkserver: never fork a process that runs UI threads
    ctx = multiprocessing.get_context("forkserver")
    with _real_stderr():
        _start_helpers()
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=initializer)


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

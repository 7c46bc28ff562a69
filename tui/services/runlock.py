"""One refresh at a time per cache: a second `newsdesk refresh` (an overlapping cron run, or the
reader's `R` while cron refreshes) says a refresh is running instead of piling up.

An advisory lock (flock) on a file beside the cache: the kernel drops it when its holder exits,
so a killed refresh never leaves a stale lock behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no cross-process lock, runs may overlap as before
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "refresh.lock"


class RefreshRunning(Exception):
    """Another process is refreshing this cache."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"a refresh of this cache is already running{who}")


@contextmanager
def refresh_lock(data_dir: Path) -> Iterator[None]:
    """Hold the cache's refresh lock for the block, or raise RefreshRunning at once."""
    if fcntl is None:
        yield
        return
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefreshRunning(_holder(fd)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None

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
SYNC_LOCK_NAME = "sync.lock"


class RefreshRunning(Exception):
    """Another process is refreshing this cache."""

    what = "a refresh"

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"{self.what} of this cache is already running{who}")


class SyncRunning(RefreshRunning):
    """Another process (or this one) is syncing this cache's accounts."""

    what = "a sync"


@contextmanager
def refresh_lock(data_dir: Path) -> Iterator[None]:
    """Hold the cache's refresh lock for the block, or raise RefreshRunning at once."""
    with _run_lock(data_dir / LOCK_NAME, RefreshRunning):
        yield


@contextmanager
def sync_lock(data_dir: Path) -> Iterator[None]:
    """One sync of a cache's accounts at a time (the `sync` command and a refresh's sync): two
    at once would compare the server's state from before the other's pushes and turn marks
    back. Raises SyncRunning at once when held."""
    with _run_lock(data_dir / SYNC_LOCK_NAME, SyncRunning):
        yield


@contextmanager
def _run_lock(path: Path, busy: type[RefreshRunning]) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    fd = open_lock_file(path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy(_holder(fd)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def open_lock_file(path: Path) -> int:
    """Open (or create, private) a lock file beside the cache, never through a symlink: in a
    directory others can write, a symlink planted there would make us truncate its target."""
    from tui.settings.paths import SymlinkRefused, open_no_follow
    from tui.store import StoreError

    try:
        return open_no_follow(path, os.O_RDWR | os.O_CREAT)
    except SymlinkRefused as exc:
        raise StoreError(str(exc)) from None


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None

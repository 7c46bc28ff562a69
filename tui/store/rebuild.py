"""Rebuilding a damaged cache so that no moment of it can lose what the damaged one holds.

1. The damaged file (and its -wal/-shm) gets a second name, `newsdesk.db.damaged-STAMP` (a hard
   link: instant, no copy), and a marker file says so.
2. What can be read is copied into a new file, `newsdesk.db.rebuild`, while `newsdesk.db` stays
   the damaged original.
3. Only when the new file is complete is it renamed `.rebuilt`, then over `newsdesk.db` (atomic).

Killed anywhere (kill -9, power cut), the next open finds the marker: before step 3 it starts the
copy over from the damaged file; after it, it finishes the swap. A lock file keeps two processes
from rebuilding at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.store.errors import StoreError
from tui.store.recovery import salvage

SIDES = ("-wal", "-shm")


def _name(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def pending(path: Path) -> bool:
    """An earlier rebuild was interrupted: the next open must finish or redo it."""
    return _name(path, ".rebuild.json").exists() or _name(path, ".rebuilt").exists()


def rebuild(path: Path, open_new: Callable[[Path], Any], inode: int | None = None) -> str | None:
    """Rebuild the damaged cache at `path` (`open_new(p)` opens a fresh Store there); returns
    the report, or None when another process rebuilt it meanwhile (`inode`: the file's inode
    when it was found damaged)."""
    with _locked(path):
        if not pending(path) and inode is not None and _inode(path) != inode:
            return None  # replaced by another process's rebuild while we waited for the lock
        marker = _marker(path)
        if _name(path, ".rebuilt").exists():
            _swap(path)
            return f"finished rebuilding the damaged cache (kept as {marker['damaged']})"
        if marker and _inode(path) != marker.get("inode"):
            _name(path, ".rebuild.json").unlink(missing_ok=True)  # swapped; the marker was left
            return None
        if not marker:
            marker = _keep_damaged(path)
        damaged = path.with_name(marker["damaged"])
        new = _name(path, ".rebuild")
        _remove_with_sides(new)  # an interrupted copy starts over
        store = open_new(new)
        try:
            report = salvage(damaged, store)
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store.db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            store.close()
        _fsync(new)
        os.replace(new, _name(path, ".rebuilt"))
        _swap(path)
        return report


def _keep_damaged(path: Path) -> dict[str, Any]:
    """Give the damaged file and its -wal/-shm a second name and write the marker."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = _name(path, f".damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = _name(path, f".damaged-{stamp}-{n}")
    for suffix in ("", *SIDES):
        if _name(path, suffix).exists():
            _link_or_copy(_name(path, suffix), _name(target, suffix))
    marker = {"damaged": target.name, "inode": _inode(path)}
    tmp = _name(path, ".rebuild.json.tmp")
    tmp.write_text(json.dumps(marker), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, _name(path, ".rebuild.json"))
    _fsync_dir(path.parent)
    return marker


def _swap(path: Path) -> None:
    """The complete new file takes the damaged one's name. Its -wal/-shm go first (they stay
    under the damaged copy's name): a WAL left beside the new file would be replayed into it."""
    for suffix in SIDES:
        _name(path, suffix).unlink(missing_ok=True)
    os.replace(_name(path, ".rebuilt"), path)
    _fsync_dir(path.parent)
    _name(path, ".rebuild.json").unlink(missing_ok=True)


def _marker(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_name(path, ".rebuild.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("damaged"), str) else {}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    from tui.settings.paths import SymlinkRefused, open_no_follow

    try:
        fd = open_no_follow(_name(path, ".rebuild.lock"), os.O_RDWR | os.O_CREAT)
    except SymlinkRefused as exc:
        raise StoreError(str(exc)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links: a streamed copy
        shutil.copyfile(src, dst)
        dst.chmod(0o600)


def _remove_with_sides(path: Path) -> None:
    for suffix in ("", *SIDES, "-journal"):
        _name(path, suffix).unlink(missing_ok=True)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    try:
        _fsync(directory)
    except OSError:
        pass

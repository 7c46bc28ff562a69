"""Opening the cache file when it cannot be written, and what the opener checks first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store.schema import check_tables_are_ours


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL cache on read-only media has no -shm to share, so
    `immutable` (nothing can change it there) is the second try."""
    last: sqlite3.Error | None = None
    for flags in ("mode=ro", "immutable=1"):
        db = sqlite3.connect(
            f"file:{path}?{flags}",
            uri=True,
            timeout=30.0,
            check_same_thread=False,
            isolation_level=None,
        )
        try:
            db.row_factory = sqlite3.Row
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            check_tables_are_ours(db, path)
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            last = exc
        except BaseException:
            db.close()
            raise
    assert last is not None
    raise last


def inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def rebuild_pending(path: Path) -> bool:
    from tui.store.rebuild import pending

    return pending(path)

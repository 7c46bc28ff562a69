"""Has another process changed the cache? SQLite's `PRAGMA data_version` changes on this
connection whenever another connection commits (a cron `newsdesk refresh`, a second reader),
and never for this connection's own writes: a cheap question the reader asks every few seconds.
"""

from __future__ import annotations

from tui.store.base import Database


def data_version(db: Database) -> int:
    return int(db.query("PRAGMA data_version")[0][0])


def newest_entry_id(db: Database) -> int:
    return int(db.query("SELECT COALESCE(MAX(id), 0) FROM entries")[0][0])


def entries_after(db: Database, entry_id: int) -> int:
    """How many entries arrived after `entry_id` (ids only grow)."""
    return int(db.query("SELECT COUNT(*) FROM entries WHERE id > ?", (entry_id,))[0][0])

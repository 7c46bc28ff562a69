"""The durable queue of local changes to synced entries, waiting for their server.

A change to a synced entry (read, unread, star, unstar, mark all read) is queued by the Store
method that makes it, in the same transaction, so a crash can lose neither one without the
other. One row per entry and kind: a newer change replaces the older (a read cancels a queued
unread) and gets a new id, so acknowledging the ids a push sent never drops a change made
while that push was on the wire.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any, NamedTuple

from tui.store.base import Database

KINDS = {"read": "read", "star": "starred"}  # queue kind -> entries column
CHUNK = 500  # ids per IN (...), well under SQLite's parameter limit


def enqueue(
    db: sqlite3.Connection, kind: str, value: bool, where: str, params: Sequence[Any] = ()
) -> int:
    """Queue `kind` = `value` for the synced entries matching `where` (over `entries e`) whose
    state differs from it. Call before the UPDATE that makes the change, in its transaction."""
    column = KINDS[kind]
    return db.execute(
        "INSERT OR REPLACE INTO sync_queue (account, remote_id, kind, value, at) "
        f"SELECT e.account, e.remote_id, ?, ?, ? FROM entries e "
        f"WHERE e.account IS NOT NULL AND e.{column} != ? AND ({where})",
        (kind, int(value), time.time(), int(value), *params),
    ).rowcount


def enqueue_ids(db: sqlite3.Connection, kind: str, value: bool, entry_ids: Sequence[int]) -> None:
    for start in range(0, len(entry_ids), CHUNK):
        chunk = list(entry_ids[start : start + CHUNK])
        enqueue(db, kind, value, f"e.id IN ({','.join('?' * len(chunk))})", chunk)


class Pending(NamedTuple):
    """A change queued for an account's server: mark an entry read/unread or (un)starred."""

    id: int
    remote_id: str
    kind: str  # "read" or "starred"
    value: int


def pending(store: Database, account: str, after: int = 0, limit: int = 1000) -> list[Pending]:
    """Queued changes of `account` with id > `after`, oldest first."""
    rows = store.query(
        "SELECT id, remote_id, kind, value FROM sync_queue WHERE account = ? AND id > ? "
        "ORDER BY id LIMIT ?",
        (account, after, limit),
    )
    return [Pending(*r) for r in rows]


def ack(store: Database, ids: Sequence[int]) -> None:
    """The server took these changes: forget them (rows replaced since have new ids)."""
    with store.transaction() as db:
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            db.execute(f"DELETE FROM sync_queue WHERE id IN ({','.join('?' * len(chunk))})", chunk)


def pending_count(store: Database, account: str | None = None) -> int:
    if account is None:
        return int(store.query("SELECT COUNT(*) FROM sync_queue")[0][0])
    return int(store.query("SELECT COUNT(*) FROM sync_queue WHERE account = ?", (account,))[0][0])

"""The durable queue of local changes to synced entries, waiting for their server.

A change to a synced entry (read, unread, star, unstar, mark all read) is queued by the Store
method that makes it, in the same transaction, so a crash can lose neither one without the
other. One row per entry and kind: a newer change replaces the older (a read cancels a queued
unread) and gets a new id, so acknowledging the ids a push sent never drops a change made
while that push was on the wire.

Marking a whole synced source read also queues a `feed` row (remote_id: the source's id on the
server, at: when) once the source has no unread entry left: a server that can mark a feed read
up to a time (Google Reader's mark-all-as-read) gets that one call instead of every id, and the
entry rows it covers are acknowledged with it. The per-entry rows stay the truth for servers
without that call and for the "a queued change wins" checks.
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


def mark_entries(db: sqlite3.Connection, where: str, params: Sequence[Any], read: bool) -> int:
    """Set `read` on the entries matching `where` (over `entries e`), queueing the change for
    synced ones (and a `feed` row for each synced source this leaves with nothing unread)."""
    touched = touched_sources(db, where, params) if read else []
    enqueue(db, "read", read, where, params)
    n = db.execute(
        f"UPDATE entries SET read = ? WHERE id IN "
        f"(SELECT e.id FROM entries e WHERE ({where}) AND e.read != ?)",
        (int(read), *params, int(read)),
    ).rowcount
    enqueue_feed_reads(db, touched)
    return n


def touched_sources(db: sqlite3.Connection, where: str, params: Sequence[Any] = ()) -> list[int]:
    """Synced sources with an unread entry matching `where`: call before marking them read."""
    return [r[0] for r in db.execute(
        f"SELECT DISTINCT e.source_id FROM entries e "
        f"WHERE e.account IS NOT NULL AND e.read = 0 AND ({where})", params
    )]  # fmt: skip


def enqueue_feed_reads(db: sqlite3.Connection, source_ids: Sequence[int]) -> None:
    """After marking entries read: a `feed` row for each of these synced sources left with no
    unread entry (one mark-all call can then stand for its entry rows)."""
    for start in range(0, len(source_ids), CHUNK):
        chunk = list(source_ids[start : start + CHUNK])
        db.execute(
            "INSERT OR REPLACE INTO sync_queue (account, remote_id, kind, value, at) "
            "SELECT s.account, s.remote_id, 'feed', 1, ? FROM sources s "
            "JOIN source_counts c ON c.source_id = s.id WHERE s.account IS NOT NULL "
            f"AND c.unread = 0 AND s.id IN ({','.join('?' * len(chunk))})",
            (time.time(), *chunk),
        )


class FeedRead(NamedTuple):
    """A queued whole-source read: the queue row, the source's remote id, when it was made."""

    id: int
    remote_id: str
    at: float


def feed_reads(store: Database, account: str) -> list[FeedRead]:
    """Queued whole-source reads, oldest first."""
    rows = store.query(
        "SELECT id, remote_id, at FROM sync_queue WHERE account = ? AND kind = 'feed' ORDER BY id",
        (account,),
    )
    return [FeedRead(*r) for r in rows]


def covered_reads(store: Database, account: str, feed_remote_id: str, at: float) -> list[int]:
    """Queued reads of that source's entries made no later than `at` (a feed read covers them)."""
    return [r[0] for r in store.query(
        "SELECT q.id FROM sync_queue q JOIN entries e ON e.account = q.account "
        "AND e.remote_id = q.remote_id JOIN sources s ON s.id = e.source_id "
        "WHERE q.account = ? AND q.kind = 'read' AND q.value = 1 AND q.at <= ? "
        "AND s.account = q.account AND s.remote_id = ?",
        (account, at, feed_remote_id),
    )]  # fmt: skip


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
        "AND kind != 'feed' ORDER BY id LIMIT ?",
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
    """Entry changes waiting (a `feed` row only stands for some of them)."""
    if account is None:
        return int(store.query("SELECT COUNT(*) FROM sync_queue WHERE kind != 'feed'")[0][0])
    return int(store.query(
        "SELECT COUNT(*) FROM sync_queue WHERE account = ? AND kind != 'feed'", (account,)
    )[0][0])  # fmt: skip

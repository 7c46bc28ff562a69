"""Registers for keeping machines in step with no server (tui/sync/peers.py holds the files).

Each register says: on feed URL, entry `key` (a subscription: key ''), `kind` (read, star, sub)
is `value`, written at `stamp` by `machine`. Merging keeps the highest (stamp, value, machine)
per register, an order every machine agrees on, so they all converge whatever order files
arrive in. Stamps are hybrid logical clock values (milliseconds): the schema's triggers stamp a
local change max(clock + 1, wall time), and a merge raises the clock to every stamp it saw, so
a change made after syncing in another machine's change always stamps higher, however far
behind this machine's clock is.

A machine's first peer sync writes a baseline: everything read, starred or subscribed here, at
stamp 0, so joining machines get the union, and any real change wins over it.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.store.db import Store

KINDS = ("read", "star", "sub")
Register = tuple[str, str, str, int, int, str]  # url, key, kind, value, stamp, machine
# A register of an entry the cache no longer holds is dropped this long after it was written
# (retention's tombstones keep such entries from coming back meanwhile).
FORGET_AFTER_MS = 400 * 86400 * 1000


@dataclass
class Merged:
    taken: int = 0  # registers that won over what was here
    entries: int = 0  # entries whose read or starred state changed
    subscribed: int = 0
    unsubscribed: int = 0


def now_ms() -> int:
    return int(time.time() * 1000)


def clock(store: Store) -> tuple[str, int]:
    """This machine's id and clock; the first call starts logging and writes the baseline."""
    rows = store.query("SELECT machine, stamp FROM peer_clock")
    if rows:
        return rows[0][0], rows[0][1]
    machine = secrets.token_hex(8)
    with store.transaction() as db:
        db.execute("INSERT INTO peer_clock (id, machine, stamp) VALUES (1, ?, ?)", (machine, 0))
        db.execute(
            "INSERT OR IGNORE INTO peer_marks (url, key, kind, value, stamp, machine) "
            "SELECT COALESCE(s.first_url, s.url), e.key, 'read', 1, 0, ? FROM entries e "
            "JOIN sources s ON s.id = e.source_id WHERE e.account IS NULL AND e.read = 1 "
            "UNION ALL SELECT COALESCE(s.first_url, s.url), e.key, 'star', 1, 0, ? "
            "FROM entries e JOIN sources s ON s.id = e.source_id "
            "WHERE e.account IS NULL AND e.starred = 1 "
            "UNION ALL SELECT COALESCE(first_url, url), '', 'sub', 1, 0, ? FROM sources "
            "WHERE account IS NULL",
            (machine, machine, machine),
        )
    return machine, 0


def mine(store: Store, machine: str) -> list[Register]:
    """The registers this machine wrote that still win (the others were superseded)."""
    return [tuple(r) for r in store.query(
        "SELECT url, key, kind, value, stamp, machine FROM peer_marks WHERE machine = ? "
        "ORDER BY url, key, kind", (machine,)
    )]  # fmt: skip


def merge(store: Store, registers: list[Register]) -> Merged:
    """Take every register that beats ours, put every register's value on the entries and
    sources here (so entries fetched since the last merge get the state other machines gave
    them), and raise the clock past every stamp seen: one transaction."""
    out = Merged()
    with store.transaction() as db:
        db.execute("UPDATE peer_clock SET merging = 1")
        db.execute(
            "CREATE TEMP TABLE incoming (url TEXT, key TEXT, kind TEXT, value INTEGER, "
            "stamp INTEGER, machine TEXT, PRIMARY KEY (url, key, kind)) WITHOUT ROWID"
        )
        # the best of each register among the files first, then against ours
        db.executemany(
            "INSERT INTO temp.incoming VALUES (?,?,?,?,?,?) ON CONFLICT DO UPDATE SET "
            "value = excluded.value, stamp = excluded.stamp, machine = excluded.machine "
            "WHERE (excluded.stamp, excluded.value, excluded.machine) > (stamp, value, machine)",
            registers,
        )
        db.execute(
            "DELETE FROM temp.incoming WHERE EXISTS (SELECT 1 FROM peer_marks p "
            "WHERE p.url = incoming.url AND p.key = incoming.key AND p.kind = incoming.kind "
            "AND (p.stamp, p.value, p.machine) >= (incoming.stamp, incoming.value, incoming.machine))"
        )
        out.taken = db.execute(
            "INSERT OR REPLACE INTO peer_marks SELECT * FROM temp.incoming"
        ).rowcount
        top = db.execute("SELECT MAX(stamp) FROM temp.incoming").fetchone()[0]
        db.execute("UPDATE peer_clock SET stamp = MAX(stamp, ?)", (top or 0,))
        db.execute("DROP TABLE temp.incoming")
        _apply(db, out)
        db.execute("UPDATE peer_clock SET merging = 0")
    return out


_MATCH = (
    "SELECT e.id, p.value FROM peer_marks p JOIN sources s ON COALESCE(s.first_url, s.url) = "
    "p.url AND s.account IS NULL JOIN entries e ON e.source_id = s.id AND e.key = p.key "
    "WHERE p.kind = ? AND e.{col} != p.value"
)


def _apply(db: sqlite3.Connection, out: Merged) -> None:
    for kind, col in (("read", "read"), ("star", "starred")):
        changed = db.execute(_MATCH.format(col=col), (kind,)).fetchall()
        db.executemany(f"UPDATE entries SET {col} = ? WHERE id = ?", [(v, i) for i, v in changed])
        out.entries += len(changed)
    subs = db.execute(
        "SELECT p.url, p.value, s.id FROM peer_marks p LEFT JOIN sources s "
        "ON COALESCE(s.first_url, s.url) = p.url WHERE p.kind = 'sub' "
        "AND (p.value = 1) = (s.id IS NULL) AND (s.id IS NULL OR s.account IS NULL)"
    ).fetchall()
    for url, value, sid in subs:
        if value:
            db.execute(
                "INSERT OR IGNORE INTO sources (url, added) VALUES (?, ?)", (url, time.time())
            )
            out.subscribed += 1
        else:
            db.execute("DELETE FROM sources WHERE id = ?", (sid,))
            out.unsubscribed += 1


def forget_old(store: Store, now: int | None = None) -> int:
    """Drop registers of entries the cache no longer holds, written over FORGET_AFTER_MS ago:
    the folder's size stays bounded however many years of marks pass."""
    cutoff = (now or now_ms()) - FORGET_AFTER_MS
    with store.transaction() as db:
        return db.execute(
            "DELETE FROM peer_marks WHERE kind != 'sub' AND stamp < ? AND NOT EXISTS ("
            "SELECT 1 FROM sources s JOIN entries e ON e.source_id = s.id "
            "WHERE COALESCE(s.first_url, s.url) = peer_marks.url AND e.key = peer_marks.key)",
            (cutoff,),
        ).rowcount

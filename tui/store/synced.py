"""Storing what an aggregator account holds: its feeds as sources, its entries, their state.

The sync engine (tui.sync.engine) calls these from a thread, one transaction per call. Server
state never overwrites a change still queued for that server (tui.store.queue): the check is
in the same statement as the write, so a mark made while a sync runs always wins. The server's
state reaches the cache even for an entry retention pruned here (it comes back when the server
has it unread or starred); an entry the server deleted stops counting as unread here and is
no longer asked about (`let_go`), a star on it kept as a local one.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.models import ParsedEntry
from tui.store.queue import pending_count
from tui.store.upsert import UPSERT_ENTRY, by_keys, entry_params

if TYPE_CHECKING:
    from tui.store.db import Store

_NOT_QUEUED = (
    "NOT EXISTS (SELECT 1 FROM sync_queue q WHERE q.account = entries.account "
    "AND q.remote_id = entries.remote_id AND q.kind = ?)"
)


@dataclass(frozen=True, slots=True)
class SyncedSource:
    remote_id: str
    title: str
    url: str
    site_url: str
    folder: str | None


@dataclass(frozen=True, slots=True)
class SyncedEntry:
    feed_id: str  # the source's remote id
    entry: ParsedEntry  # its key is the entry's remote id
    read: bool
    starred: bool


@dataclass
class SavedPage:
    new_ids: list[int] = field(default_factory=list)
    changed: int = 0  # existing entries whose read/starred state the server changed
    skipped: int = 0  # entries of a feed the account does not list (yet)


@dataclass
class Plan:
    """What a reconcile does after comparing the server's unread and starred ids to ours."""

    to_unread: list[str] = field(default_factory=list)  # unread there, read here
    to_star: list[str] = field(default_factory=list)  # starred there, not here
    check: list[str] = field(default_factory=list)  # unread/starred here only: read or gone?
    missing: list[str] = field(default_factory=list)  # unread/starred there, unknown here


def save_sources(store: Store, account: str, feeds: list[SyncedSource]) -> None:
    """Create or update the account's sources; those the server stopped listing get a warning
    (and keep their entries)."""
    now = time.time()
    with store.transaction() as db:
        known = {
            r[0]: r[1]
            for r in db.execute("SELECT remote_id, id FROM sources WHERE account = ?", (account,))
        }
        for f in feeds:
            if f.remote_id in known:
                db.execute(
                    "UPDATE sources SET title = ?, site_link = ?, folder = ?, warning = NULL, "
                    "last_status = 'sync', last_error = NULL, last_fetched = ? WHERE id = ?",
                    (f.title, f.site_url or None, f.folder, now, known[f.remote_id]),
                )
                continue
            db.execute(
                "INSERT INTO sources (url, title, site_link, folder, added, account, remote_id, "
                "last_status, last_fetched) VALUES (?,?,?,?,?,?,?, 'sync', ?)",
                (_free_url(db, account, f), f.title, f.site_url or None, f.folder, now, account,
                 f.remote_id, now),
            )  # fmt: skip
        listed = {f.remote_id for f in feeds}
        db.executemany(
            "UPDATE sources SET warning = ? WHERE account = ? AND remote_id = ?",
            [(f"no longer subscribed on {account}", account, r) for r in known if r not in listed],
        )


def _free_url(db: sqlite3.Connection, account: str, feed: SyncedSource) -> str:
    """The feed's own URL (so [sources."URL"] settings apply), unless another source has it."""
    base = feed.url or f"sync:{account}/{feed.remote_id}"
    for url in (base, f"{base}#{account}", f"{base}#{account}-{feed.remote_id}"):
        if db.execute("SELECT 1 FROM sources WHERE url = ?", (url,)).fetchone() is None:
            return url
    raise ValueError(f"no free URL for {base}")  # the last form holds a unique key


def save_entries(store: Store, account: str, items: list[SyncedEntry]) -> SavedPage:
    """One page from the server in one transaction: new entries with the server's state,
    known ones with their text and (unless a change is queued) their state updated."""
    now = time.time()
    out = SavedPage()
    with store.transaction() as db:
        sources = {
            r[0]: r[1]
            for r in db.execute("SELECT remote_id, id FROM sources WHERE account = ?", (account,))
        }
        groups: dict[int, list[SyncedEntry]] = defaultdict(list)
        for item in items:
            sid = sources.get(item.feed_id)
            if sid is None:
                out.skipped += 1
            else:
                groups[sid].append(item)
        for sid, group in groups.items():
            _save_group(db, account, sid, group, now, out)
    return out


def _save_group(
    db: sqlite3.Connection, account: str, sid: int, group: list[SyncedEntry], now: float,
    out: SavedPage,
) -> None:  # fmt: skip
    keys = list(dict.fromkeys(i.entry.key for i in group))
    known = set(by_keys(db, "key", sid, keys))
    gone = set(by_keys(db, "key", sid, keys, table="pruned"))
    # Pruned here but unread or starred there: the server's state wins, the entry comes back.
    back = [i.entry.key for i in group if i.entry.key in gone and (not i.read or i.starred)]
    db.executemany("DELETE FROM pruned WHERE source_id = ? AND key = ?", [(sid, k) for k in back])
    gone.difference_update(back)
    group = [i for i in group if i.entry.key not in gone]
    db.executemany(UPSERT_ENTRY, [entry_params(sid, i.entry, now) for i in group])
    fresh = [i for i in group if i.entry.key not in known]
    db.executemany(
        "UPDATE entries SET account = ?, remote_id = key, read = ?, starred = ? "
        "WHERE source_id = ? AND key = ?",
        [(account, int(i.read), int(i.starred), sid, i.entry.key) for i in fresh],
    )
    out.new_ids += by_keys(db, "id", sid, [i.entry.key for i in fresh])
    old = [i for i in group if i.entry.key in known]
    out.changed += apply_state(db, account, "read", [(i.entry.key, i.read) for i in old])
    out.changed += apply_state(db, account, "star", [(i.entry.key, i.starred) for i in old])


def apply_state(
    db: sqlite3.Connection, account: str, kind: str, states: Iterable[tuple[str, bool]]
) -> int:
    """Set the server's read (kind "read") or starred ("star") state on these entries, except
    where a local change of that kind is queued. Returns how many changed."""
    column = "read" if kind == "read" else "starred"
    return db.executemany(
        f"UPDATE entries SET {column} = ? WHERE account = ? AND remote_id = ? "
        f"AND {column} != ? AND {_NOT_QUEUED}",
        [(int(v), account, rid, int(v), kind) for rid, v in states],
    ).rowcount


def set_state(store: Store, account: str, kind: str, ids: list[str], value: bool) -> int:
    with store.transaction() as db:
        return apply_state(db, account, kind, ((rid, value) for rid in ids))


def plan(store: Store, account: str, unread: set[str], starred: set[str]) -> Plan:
    """Compare the server's unread and starred id sets with the cache (see Plan)."""
    rows = store.query(
        "SELECT e.remote_id, e.read, e.starred, "
        "EXISTS (SELECT 1 FROM sync_queue q WHERE q.account = e.account "
        "        AND q.remote_id = e.remote_id AND q.kind = 'read'), "
        "EXISTS (SELECT 1 FROM sync_queue q WHERE q.account = e.account "
        "        AND q.remote_id = e.remote_id AND q.kind = 'star') "
        "FROM entries e WHERE e.account = ?",
        (account,),
    )
    out = Plan()
    known: set[str] = set()
    check: set[str] = set()
    for rid, read, star, read_queued, star_queued in rows:
        known.add(rid)
        if not read_queued:
            if rid in unread and read:
                out.to_unread.append(rid)
            elif rid not in unread and not read:
                check.add(rid)
        if not star_queued:
            if rid in starred and not star:
                out.to_star.append(rid)
            elif rid not in starred and star:
                check.add(rid)
    out.check = sorted(check)
    # Pruned ones too: unread or starred on the server, they come back (save_entries).
    out.missing = sorted((unread | starred) - known)
    return out


def unknown_ids(store: Store, account: str, ids: list[str]) -> list[str]:
    """Those of `ids` the cache holds neither as an entry nor as a pruned one (the pull asks
    only for these; reconcile brings state changes of the rest)."""
    held: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        held.update(r[0] for r in store.query(
            f"SELECT remote_id FROM entries WHERE account = ? AND remote_id IN ({marks}) "
            f"UNION SELECT p.key FROM pruned p JOIN sources s ON s.id = p.source_id "
            f"WHERE s.account = ? AND p.key IN ({marks})",
            (account, *chunk, account, *chunk),
        ))  # fmt: skip
    return [i for i in ids if i not in held]


def let_go(store: Store, account: str, ids: list[str]) -> int:
    """Entries the server deleted: read here (its unread counts are ours again), no longer the
    account's (never asked about again, marks on them stay local), a star kept. A change still
    queued for one is dropped: the server cannot take it."""
    with store.transaction() as db:
        n = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            n += db.execute(
                f"UPDATE entries SET read = 1, account = NULL, remote_id = NULL "
                f"WHERE account = ? AND remote_id IN ({marks})",
                (account, *chunk),
            ).rowcount
            db.execute(
                f"DELETE FROM sync_queue WHERE account = ? AND kind != 'feed' "
                f"AND remote_id IN ({marks})",
                (account, *chunk),
            )
    return n


def cursor(store: Store, account: str) -> str | None:
    rows = store.query("SELECT cursor FROM sync_state WHERE account = ?", (account,))
    return rows[0][0] if rows else None


def record_sync(
    store: Store, account: str, *, cursor: str | None = None, error: str | None = None
) -> None:
    """After a sync: the new cursor (kept as it was when None) and the error, if any."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO sync_state (account, cursor, last_sync, last_error) VALUES (?,?,?,?) "
            "ON CONFLICT (account) DO UPDATE SET cursor = COALESCE(excluded.cursor, cursor), "
            "last_sync = excluded.last_sync, last_error = excluded.last_error",
            (account, cursor, time.time(), error),
        )


def account_summary(store: Store, account: str) -> dict[str, object]:
    """For `account list`: sources, entries, unsent changes, last sync and its error."""
    sources, entries = store.query(
        "SELECT COUNT(DISTINCT s.id), COUNT(e.id) FROM sources s "
        "LEFT JOIN entries e ON e.source_id = s.id WHERE s.account = ?",
        (account,),
    )[0]
    pending = pending_count(store, account)
    state = store.query(
        "SELECT last_sync, last_error FROM sync_state WHERE account = ?", (account,)
    )
    last, error = (state[0][0], state[0][1]) if state else (None, None)
    return {"sources": sources, "entries": entries, "pending": pending, "last_sync": last,
            "last_error": error}  # fmt: skip


def forget_account(store: Store, account: str) -> tuple[int, int]:
    """Drop an account's sources (and their entries), queue and cursor: (sources, changes)."""
    with store.transaction() as db:
        dropped = db.execute("DELETE FROM sync_queue WHERE account = ?", (account,)).rowcount
        db.execute("DELETE FROM sync_state WHERE account = ?", (account,))
        n = db.execute("DELETE FROM sources WHERE account = ?", (account,)).rowcount
    return n, dropped

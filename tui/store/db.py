"""The SQLite cache: sources, entries with read/starred state, and extracted articles.

One database file, WAL mode so the reader and a refresh can share it, every write in a
transaction, schema versioned with `PRAGMA user_version`. Safe to use from several threads:
one connection guarded by a lock.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.models import ParsedFeed
from tui.store.articles import ArticleQueries
from tui.store.connect import inode, open_read_only, rebuild_pending
from tui.store.errors import StoreError, describe_db_error, is_corruption, is_read_only_error
from tui.store.kept_counts import SOURCES_WITH_COUNTS, count_sql
from tui.store.listing import (
    DEFAULT_ORDER,
    Listing,
    members_where,
    order_of,
    position_by_rank,
)
from tui.store.queue import enqueue_ids, mark_entries
from tui.store.records import EntryRow, SourceRow
from tui.store.rulematch import install_functions
from tui.store.schema import ENTRY_COLUMNS, check_tables_are_ours, migrate
from tui.store.upsert import UPSERT_ENTRY, by_keys, entry_params, index_pending
from tui.store.views import SqlParams, View


class Store(ArticleQueries):
    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.read_only_reason: str | None = None  # set when writing turned out impossible
        self.recovered: str | None = None  # what recovery did, when the cache was damaged
        self._lock = threading.RLock()
        found = inode(path)  # to tell later whether another process replaced the file
        try:
            if not readonly and rebuild_pending(path):
                self._recover()  # a rebuild was interrupted: finish it, or start it over
            else:
                self._open()
        except sqlite3.DatabaseError as exc:
            if readonly or not is_corruption(exc):
                raise StoreError(describe_db_error(path, exc)) from exc
            self._recover(found)
        except OSError as exc:
            raise StoreError(describe_db_error(path, exc)) from exc

    def _open(self) -> None:
        if not self.readonly:
            from tui.settings.paths import SymlinkRefused, create_private_file, ensure_private_dir

            try:
                ensure_private_dir(self.path.parent)
                create_private_file(self.path)
            except SymlinkRefused as exc:
                raise StoreError(str(exc)) from None
            except OSError as exc:
                if not (self.path.exists() and is_read_only_error(exc)):
                    raise
                return self._open_read_only(str(exc))
        self.db = sqlite3.connect(
            str(self.path), timeout=30.0, check_same_thread=False, isolation_level=None
        )
        self._inode = inode(self.path)  # a rebuild elsewhere swaps another file in: _follow_swap
        self.db.row_factory = sqlite3.Row
        install_functions(self.db)
        try:
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            check_tables_are_ours(self.db, self.path)  # before anything is written to it
            if not self.readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                migrate(self.db, self.path)  # at open (or reopen, lock held)
        except sqlite3.OperationalError as exc:
            self.db.close()
            if self.readonly or not is_read_only_error(exc):
                raise
            self._open_read_only(str(exc))
        except (sqlite3.Error, StoreError):
            self.db.close()
            raise

    def _open_read_only(self, why: str) -> None:
        """Writing is impossible (a read-only mount): the headlines and the reader still work."""
        self.readonly, self.read_only_reason = True, why
        self.db = open_read_only(self.path)
        install_functions(self.db)

    def _recover(self, found: int | None = None) -> None:
        """Rebuild from what the damaged file holds, swapped in when complete (store.rebuild)."""
        from tui.store.rebuild import rebuild

        try:
            self.recovered = rebuild(self.path, Store, found)
            self._open()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(describe_db_error(self.path, exc)) from exc

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: take the write lock up front so concurrent writers queue, not fail."""
        with self._lock:
            if self.db.in_transaction:  # nested: part of the caller's transaction
                yield self.db
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
                if self._follow_swap():  # no write may go to the file swapped out
                    self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(describe_db_error(self.path, exc)) from exc
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException as exc:
                if self.db.in_transaction:  # SQLite may have rolled back already (disk full)
                    self.db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(describe_db_error(self.path, exc)) from exc
                raise

    def query(self, sql: str, params: SqlParams | list[int] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                if not self.db.in_transaction:
                    self._follow_swap()
                return self.db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(describe_db_error(self.path, exc)) from exc

    def _follow_swap(self) -> bool:
        """Another process swapped a rebuilt cache in at our path (`check`): reopen there, so
        no read or write goes to the old file, now .damaged-*. True when it reopened."""
        now = inode(self.path)
        if now is None or now == getattr(self, "_inode", now) or self.readonly:
            return False
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()
        self._open()
        return True

    def integrity_ok(self) -> bool:
        try:
            return bool(self.query("PRAGMA integrity_check(1)")[0][0] == "ok")
        except StoreError:
            return False

    def repair(self) -> str | None:
        """Full check; a damaged cache is moved aside and rebuilt. Returns what was done."""
        if self.integrity_ok():
            return None
        with self._lock:
            found = inode(self.path)
            self.db.close()
            self._recover(found)
        return self.recovered

    # -- sources --------------------------------------------------------------------------

    def add_source(self, url: str, title: str | None = None, folder: str | None = None) -> bool:
        """Subscribe; False when the URL is already there."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO sources (url, title_override, folder, added) VALUES (?,?,?,?)",
                (url, title, folder, time.time()),
            )
            return cur.rowcount == 1

    def remove_source(self, url: str) -> bool:
        with self.transaction() as db:
            return db.execute("DELETE FROM sources WHERE url = ?", (url,)).rowcount == 1

    def sources(self) -> list[SourceRow]:
        """Every source with its entry and unread counts, by folder then title."""
        return [SourceRow.from_row(r) for r in self.query(SOURCES_WITH_COUNTS)]

    def refresh_rows(self, source_ids: list[int] | None = None) -> list[SourceRow]:
        """The sources a refresh fetches (all, or these ids): their rows only, no counts."""
        if source_ids is None:
            rows = self.query("SELECT * FROM sources WHERE account IS NULL ORDER BY id")
        else:
            marks = ",".join("?" * len(source_ids))  # synced sources come from their account
            sql = f"SELECT * FROM sources WHERE id IN ({marks}) AND account IS NULL"
            rows = self.query(sql, source_ids)
        return [SourceRow.from_row(r) for r in rows]

    def source(self, url: str) -> SourceRow | None:
        rows = self.query("SELECT * FROM sources WHERE url = ?", (url,))
        return SourceRow.from_row(rows[0]) if rows else None

    def source_by_id(self, source_id: int) -> SourceRow | None:
        rows = self.query("SELECT * FROM sources WHERE id = ?", (source_id,))
        return SourceRow.from_row(rows[0]) if rows else None

    def update_source(self, url: str, **fields: Any) -> None:
        if not fields:
            return
        cols = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as db:
            db.execute(f"UPDATE sources SET {cols} WHERE url = ?", (*fields.values(), url))

    def index_pending(self) -> int:
        """Add entries stored since the last call to the search index; returns how many."""
        with self.transaction() as db:
            return index_pending(db)

    def mark_not_modified(self, rows: list[tuple[float, float, str]]) -> None:
        """Record a batch of 304 answers: (fetched at, server's minimum interval, url)."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE sources SET last_status = '304', last_error = NULL, retry_after = NULL, "
                "last_fetched = ?, min_interval = ? WHERE url = ?",
                rows,
            )

    def move_source(self, old_url: str, new_url: str) -> None:
        """A permanent redirect: keep the source (and its entries) under the new address."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM sources WHERE url = ?", (new_url,)).fetchone():
                return
            db.execute(
                "UPDATE sources SET url = ?, first_url = COALESCE(first_url, url) WHERE url = ?",
                (new_url, old_url),
            )

    def moved_sources(self) -> dict[str, str]:
        """Sources a permanent redirect moved: current URL -> the URL first subscribed."""
        try:
            rows = self.query("SELECT url, first_url FROM sources WHERE first_url IS NOT NULL")
        except StoreError:  # a read-only cache of an older schema has no such column
            return {}
        return {r[0]: r[1] for r in rows}

    def unread_total(self) -> int:
        return self.count(View("unread"))

    def starred_total(self) -> int:
        return self.count(View("starred"))

    # -- storing a fetched feed -----------------------------------------------------------

    def store_feed(self, url: str, feed: ParsedFeed, **source_fields: Any) -> list[int]:
        """Upsert a parsed feed's entries in one transaction; returns the ids of new entries.

        Re-delivered entries update their text but never their read/starred state.
        """
        now = time.time()
        keys = list(dict.fromkeys(e.key for e in feed.entries))
        with self.transaction() as db:
            row = db.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()
            if row is None:
                return []
            source_id = row[0]
            known = set(by_keys(db, "key", source_id, keys))
            # entries pruned by retention stay gone even while the feed still lists them
            gone = set(by_keys(db, "key", source_id, keys, table="pruned"))
            db.executemany(
                UPSERT_ENTRY,
                [entry_params(source_id, e, now) for e in feed.entries if e.key not in gone],
            )
            fields = {
                "title": feed.title,
                "site_link": feed.link,
                "ttl": feed.ttl,
                "warning": feed.warning,
                **source_fields,
            }
            cols = ", ".join(f"{k} = ?" for k in fields)
            db.execute(f"UPDATE sources SET {cols} WHERE id = ?", (*fields.values(), source_id))
            new_keys = [k for k in keys if k not in known and k not in gone]
            return by_keys(db, "id", source_id, new_keys)

    # -- entries --------------------------------------------------------------------------

    def count(self, view: View | Listing) -> int:
        kept = count_sql(view)  # kept up to date by triggers: no scan of the entries
        if kept is not None:
            return int(self.query(*kept)[0][0])
        where, params = view.where()
        return int(self.query(f"SELECT COUNT(*) FROM entries e WHERE {where}", params)[0][0])

    def page(self, view: View | Listing, offset: int, limit: int) -> list[EntryRow]:
        """Rows `offset`..`offset+limit` of a view, newest first: the lazy list's data source."""
        where, params = view.where()
        sql = (
            f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN sources s ON s.id = e.source_id "
            f"WHERE {where} ORDER BY {order_of(view)} LIMIT ? OFFSET ?"
        )
        return [EntryRow.from_row(r) for r in self.query(sql, (*params, limit, offset))]

    def position_of(self, view: View | Listing, entry_id: int) -> int | None:
        """Index of an entry within a view (to keep the selection when rows arrive above it)."""
        where, params = view.where()
        if order_of(view) != DEFAULT_ORDER:  # an expanded story: rows out of time order
            return position_by_rank(self.query, view, entry_id)
        row = self.query("SELECT sort_time FROM entries WHERE id = ?", (entry_id,))
        if not row:
            return None
        t = row[0][0]
        n = self.query(
            f"SELECT COUNT(*) FROM entries e WHERE ({where}) AND "
            "(e.sort_time > ? OR (e.sort_time = ? AND e.id > ?))",
            (*params, t, t, entry_id),
        )
        return int(n[0][0])

    def entry_by_link(self, link: str) -> EntryRow | None:
        rows = self.query("SELECT id FROM entries WHERE link = ? LIMIT 1", (link,))
        return self.entry(int(rows[0][0])) if rows else None

    def source_entry_count(self, source_id: int) -> int:
        return int(
            self.query("SELECT COUNT(*) FROM entries WHERE source_id = ?", (source_id,))[0][0]
        )

    def entry(self, entry_id: int) -> EntryRow | None:
        rows = self.query(
            "SELECT e.*, COALESCE(s.title_override, s.title, s.url) AS source_title, "
            "s.url AS source_url, s.account AS source_account FROM entries e "
            "JOIN sources s ON s.id = e.source_id WHERE e.id = ?",
            (entry_id,),
        )
        return EntryRow.from_row(rows[0]) if rows else None

    def set_read(self, entry_ids: list[int], read: bool = True) -> None:
        with self.transaction() as db:
            enqueue_ids(db, "read", read, entry_ids)  # synced entries: for their server
            db.executemany(
                "UPDATE entries SET read = ? WHERE id = ?", [(int(read), i) for i in entry_ids]
            )

    def set_starred(self, entry_id: int, starred: bool) -> None:
        with self.transaction() as db:
            enqueue_ids(db, "star", starred, [entry_id])
            db.execute("UPDATE entries SET starred = ? WHERE id = ?", (int(starred), entry_id))

    def mark_view_read(self, view: View | Listing, max_id: int | None = None) -> int:
        """Mark the view's unread entries read (every member of a story, not just its row);
        with `max_id`, only those up to that id (the newest the list has shown), never entries
        stored since."""
        where, params = members_where(view)
        if max_id is not None:
            where, params = f"({where}) AND e.id <= ?", (*params, max_id)
        with self.transaction() as db:
            return mark_entries(db, where, params, True)

    def mark_read_where(
        self, source_id: int | None = None, before: float | None = None, read: bool = True
    ) -> int:
        """Mark entries read (or unread): of one source or all, optionally only older ones."""
        conds: list[str] = ["read != ?"]
        params: list[object] = [int(read)]
        if source_id is not None:
            conds.append("source_id = ?")
            params.append(source_id)
        if before is not None:
            conds.append("sort_time < ?")
            params.append(before)
        with self.transaction() as db:
            return mark_entries(db, " AND ".join(conds), params, read)

    def next_unread(
        self, view: View | Listing, after_position: int, forward: bool = True
    ) -> int | None:
        """Position of the next (or previous) unread entry in a view."""
        where, params = view.where()
        op, order = (">", "ASC") if forward else ("<", "DESC")
        sql = (
            f"SELECT pos FROM (SELECT e.read, ROW_NUMBER() OVER "
            f"(ORDER BY {order_of(view)}) - 1 AS pos FROM entries e WHERE {where}) "
            f"WHERE pos {op} ? AND read = 0 ORDER BY pos {order} LIMIT 1"
        )
        found = self.query(sql, (*params, after_position))
        return int(found[0][0]) if found else None

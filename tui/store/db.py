"""The SQLite cache: sources, entries with read/starred state, and extracted articles.

One database file, WAL mode so the reader and a refresh can share it, every write in a
transaction, schema versioned with `PRAGMA user_version`. Safe to use from several threads:
one connection guarded by a lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.models import Article, ParsedFeed
from tui.store.counts import SOURCES_WITH_COUNTS, count_sql
from tui.store.errors import StoreError, describe_db_error, is_corruption
from tui.store.schema import ENTRY_COLUMNS, MIGRATIONS
from tui.store.upsert import UPSERT_ENTRY, by_keys, entry_params, index_pending
from tui.store.views import View


class Store:
    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.recovered: str | None = None  # what recovery did, when the cache was damaged
        self._lock = threading.RLock()
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if readonly or not is_corruption(exc):
                raise StoreError(describe_db_error(path, exc)) from exc
            self._recover()
        except OSError as exc:
            raise StoreError(describe_db_error(path, exc)) from exc

    def _open(self) -> None:
        if not self.readonly:
            from tui.settings.paths import ensure_private_dir

            ensure_private_dir(self.path.parent)
        self.db = sqlite3.connect(
            str(self.path), timeout=30.0, check_same_thread=False, isolation_level=None
        )
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if not self.readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except sqlite3.Error:
            self.db.close()
            raise

    def _recover(self) -> None:
        """Move the damaged file aside, start afresh, and carry over whatever can be read."""
        from tui.store.recovery import move_aside, salvage

        try:
            damaged = move_aside(self.path)
            self._open()
            self.recovered = salvage(damaged, self)
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

    def query(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self.db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(describe_db_error(self.path, exc)) from exc

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > max(MIGRATIONS):
            raise StoreError(
                f"cache {self.path} was written by a newer newsdesk "
                f"(schema {version}); upgrade newsdesk to read it"
            )
        for target in sorted(MIGRATIONS):
            if target > version:
                # executescript commits whatever is pending, so the script is its own transaction.
                script = MIGRATIONS[target] + f"PRAGMA user_version = {target};"
                with self._lock:
                    try:
                        self.db.executescript("BEGIN IMMEDIATE;" + script + "COMMIT;")
                    except sqlite3.Error:
                        if self.db.in_transaction:
                            self.db.execute("ROLLBACK")
                        raise

    def integrity_ok(self) -> bool:
        try:
            return self.query("PRAGMA integrity_check(1)")[0][0] == "ok"
        except StoreError:
            return False

    def repair(self) -> str | None:
        """Full check; a damaged cache is moved aside and rebuilt. Returns what was done."""
        if self.integrity_ok():
            return None
        with self._lock:
            self.db.close()
            self._recover()
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

    def sources(self) -> list[sqlite3.Row]:
        """Every source with its entry and unread counts, by folder then title."""
        return self.query(SOURCES_WITH_COUNTS)

    def refresh_rows(self, source_ids: list[int] | None = None) -> list[sqlite3.Row]:
        """The sources a refresh fetches (all, or these ids): their rows only, no counts."""
        if source_ids is None:
            return self.query("SELECT * FROM sources ORDER BY id")
        marks = ",".join("?" * len(source_ids))
        return self.query(f"SELECT * FROM sources WHERE id IN ({marks})", source_ids)

    def source(self, url: str) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM sources WHERE url = ?", (url,))
        return rows[0] if rows else None

    def source_by_id(self, source_id: int) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM sources WHERE id = ?", (source_id,))
        return rows[0] if rows else None

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
            db.execute("UPDATE sources SET url = ? WHERE url = ?", (new_url, old_url))

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

    def count(self, view: View) -> int:
        kept = count_sql(view)  # kept up to date by triggers: no scan of the entries
        if kept is not None:
            return self.query(*kept)[0][0]
        where, params = view.where()
        return self.query(f"SELECT COUNT(*) FROM entries e WHERE {where}", params)[0][0]

    def page(self, view: View, offset: int, limit: int) -> list[sqlite3.Row]:
        """Rows `offset`..`offset+limit` of a view, newest first: the lazy list's data source."""
        where, params = view.where()
        return self.query(
            f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN sources s ON s.id = e.source_id "
            f"WHERE {where} ORDER BY e.sort_time DESC, e.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )

    def position_of(self, view: View, entry_id: int) -> int | None:
        """Index of an entry within a view (to keep the selection when rows arrive above it)."""
        where, params = view.where()
        row = self.query("SELECT sort_time FROM entries WHERE id = ?", (entry_id,))
        if not row:
            return None
        t = row[0][0]
        n = self.query(
            f"SELECT COUNT(*) FROM entries e WHERE ({where}) AND "
            "(e.sort_time > ? OR (e.sort_time = ? AND e.id > ?))",
            (*params, t, t, entry_id),
        )
        return n[0][0]

    def entry(self, entry_id: int) -> sqlite3.Row | None:
        rows = self.query(
            "SELECT e.*, COALESCE(s.title_override, s.title, s.url) AS source_title, "
            "s.url AS source_url FROM entries e JOIN sources s ON s.id = e.source_id "
            "WHERE e.id = ?",
            (entry_id,),
        )
        return rows[0] if rows else None

    def set_read(self, entry_ids: list[int], read: bool = True) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE entries SET read = ? WHERE id = ?", [(int(read), i) for i in entry_ids]
            )

    def set_starred(self, entry_id: int, starred: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE entries SET starred = ? WHERE id = ?", (int(starred), entry_id))

    def mark_view_read(self, view: View) -> int:
        where, params = view.where()
        with self.transaction() as db:
            return db.execute(
                f"UPDATE entries SET read = 1 WHERE id IN "
                f"(SELECT e.id FROM entries e WHERE ({where}) AND e.read = 0)",
                params,
            ).rowcount

    def mark_read_where(
        self, source_id: int | None = None, before: float | None = None, read: bool = True
    ) -> int:
        """Mark entries read (or unread): of one source or all, optionally only older ones."""
        conds, params = ["read != ?"], [int(read)]
        if source_id is not None:
            conds.append("source_id = ?")
            params.append(source_id)
        if before is not None:
            conds.append("sort_time < ?")
            params.append(before)
        with self.transaction() as db:
            sql = f"UPDATE entries SET read = ? WHERE {' AND '.join(conds)}"
            return db.execute(sql, (int(read), *params)).rowcount

    def next_unread(self, view: View, after_position: int, forward: bool = True) -> int | None:
        """Position of the next (or previous) unread entry in a view."""
        where, params = view.where()
        op, order = (">", "ASC") if forward else ("<", "DESC")
        sql = (
            f"SELECT pos FROM (SELECT e.read, ROW_NUMBER() OVER "
            f"(ORDER BY e.sort_time DESC, e.id DESC) - 1 AS pos FROM entries e WHERE {where}) "
            f"WHERE pos {op} ? AND read = 0 ORDER BY pos {order} LIMIT 1"
        )
        found = self.query(sql, (*params, after_position))
        return found[0][0] if found else None

    # -- articles -------------------------------------------------------------------------

    def save_article(
        self, entry_id: int, article: Article | None, error: str | None = None
    ) -> None:
        body = json.dumps(article.to_json()) if article else None
        status = "ok" if article else "failed"
        with self.transaction() as db:
            index_pending(db)  # the article text goes into the entry's search row
            db.execute(
                "INSERT OR REPLACE INTO articles (entry_id, status, fetched, error, body) "
                "VALUES (?,?,?,?,?)",
                (entry_id, status, time.time(), error, body),
            )
            if article is not None:
                db.execute(
                    "UPDATE entry_fts SET article = ? WHERE rowid = ?",
                    (article.body_text(figures=True), entry_id),
                )

    def article(self, entry_id: int) -> tuple[Article | None, str | None] | None:
        """(article, error) if extraction was tried for this entry, else None."""
        rows = self.query("SELECT body, error FROM articles WHERE entry_id = ?", (entry_id,))
        if not rows:
            return None
        body, error = rows[0]
        return (Article.from_json(json.loads(body)) if body else None, error)

    def entries_without_article(self, entry_ids: list[int]) -> list[sqlite3.Row]:
        if not entry_ids:
            return []
        marks = ",".join("?" * len(entry_ids))
        return self.query(
            f"SELECT e.id, e.link, s.url AS source_url FROM entries e "
            f"JOIN sources s ON s.id = e.source_id "
            f"WHERE e.id IN ({marks}) AND e.link IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.entry_id = e.id)",
            entry_ids,
        )

    def entries_missing_article(self, since: float, limit: int) -> list[int]:
        """The newest entries since `since` with a link and no article yet (a refresh that was
        interrupted, or a source added before prefetch could run), newest first."""
        rows = self.query(
            "SELECT e.id FROM entries e WHERE e.sort_time >= ? AND e.link IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.entry_id = e.id) "
            "ORDER BY e.sort_time DESC, e.id DESC LIMIT ?",
            (since, limit),
        )
        return [r[0] for r in rows]

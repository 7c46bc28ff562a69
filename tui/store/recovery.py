"""A damaged cache is moved aside and rebuilt; whatever can still be read is carried over.

Sources come back as subscriptions (and are refetched by the next refresh); entries that can be
read keep their read/starred state. Nothing is deleted: the damaged file stays beside the new one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the Store imports this module when it recovers
    from tui.store.db import Store

_SOURCE_COLS = ("url", "title", "title_override", "site_link", "folder")
_ENTRY_COLS = (
    "key",
    "title",
    "link",
    "author",
    "published",
    "updated",
    "sort_time",
    "summary_html",
    "content_html",
    "summary_text",
    "media",
    "enclosures",
    "first_seen",
    "read",
    "starred",
)


def move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def salvage(damaged: Path, store: Store) -> str:
    """Copy readable sources and entries from the damaged file; returns a one-line report."""
    readable = _readable_copy(damaged)
    if readable is None:
        return f"cache was damaged; moved to {damaged.name}, nothing could be read from it"
    old = sqlite3.connect(f"file:{readable}?mode=ro", uri=True)
    old.row_factory = sqlite3.Row
    try:
        ids = _copy_sources(old, store)
        sources = len(ids)
        entries = _copy_entries(old, store, ids)
    finally:
        old.close()
        if readable != damaged:
            readable.unlink(missing_ok=True)
    return (
        f"cache was damaged; moved to {damaged.name} and rebuilt with {sources} sources and "
        f"{entries} entries that could be read"
    )


def _readable_copy(damaged: Path) -> Path | None:
    """The damaged file if SQLite reads its schema, else a copy padded back to the size its
    header declares (a truncated file), else None (garbage)."""
    if _schema_readable(damaged):
        return damaged
    try:
        with damaged.open("rb") as f:
            head = f.read(100)
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        return None
    page_size = int.from_bytes(head[16:18], "big") or 65536
    pages = int.from_bytes(head[28:32], "big")
    padded = damaged.with_name(damaged.name + ".padded")
    try:
        data = damaged.read_bytes()
        padded.write_bytes(data + b"\0" * max(0, page_size * pages - len(data)))
    except OSError:
        return None
    if _schema_readable(padded):
        return padded
    padded.unlink(missing_ok=True)
    return None


def _schema_readable(path: Path) -> bool:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            db.execute("SELECT COUNT(*) FROM sources").fetchone()
            return True
        finally:
            db.close()
    except sqlite3.Error:
        return False


def _rows(db: sqlite3.Connection, sql: str) -> Iterator[sqlite3.Row]:
    """Rows until the first unreadable page: a damaged table still yields its good start."""
    try:
        cur = db.execute(sql)
        while True:
            row = cur.fetchone()
            if row is None:
                return
            yield row
    except sqlite3.DatabaseError:
        return


def _copy_sources(old: sqlite3.Connection, store: Store) -> dict[int, str]:
    ids: dict[int, str] = {}
    for row in _rows(old, f"SELECT id, {', '.join(_SOURCE_COLS)} FROM sources"):
        if store.add_source(row["url"], row["title_override"], row["folder"]):
            ids[row["id"]] = row["url"]
            store.update_source(row["url"], title=row["title"], site_link=row["site_link"])
    return ids


def _copy_entries(old: sqlite3.Connection, store: Store, ids: dict[int, str]) -> int:
    new_ids: dict[str, int] = {}
    for added in ids.values():
        source = store.source(added)
        if source is not None:  # always: _copy_sources has just added it
            new_ids[added] = source["id"]
    cols = ", ".join(_ENTRY_COLS)
    marks = ", ".join("?" * (len(_ENTRY_COLS) + 1))
    batch = []
    for row in _rows(old, f"SELECT source_id, {cols} FROM entries"):
        url = ids.get(row["source_id"])
        if url is not None and url in new_ids:
            batch.append((new_ids[url], *(row[c] for c in _ENTRY_COLS)))
    with store.transaction() as db:
        db.executemany(f"INSERT OR IGNORE INTO entries (source_id, {cols}) VALUES ({marks})", batch)
    return len(batch)

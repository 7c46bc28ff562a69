"""Reading what can still be read from a damaged cache, into a new one (tui.store.rebuild).

Sources come back as subscriptions (and are refetched by the next refresh); entries that can be
read keep their read/starred state. Nothing is deleted: the damaged file stays beside the new one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from tui.store.base import SourceStore as Store  # a protocol: the Store imports this module

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


def salvage(damaged: Path, store: Store) -> str:
    """Copy readable sources and entries from the damaged file into `store` (a new cache);
    returns a one-line report."""
    old = open_damaged(damaged)
    if old is None:
        return f"cache was damaged; kept as {damaged.name}, nothing could be read from it"
    try:
        ids = _copy_sources(old, store)
        entries = _copy_entries(old, store, ids)
    finally:
        old.close()
        _unlink_copy(damaged)
    return (
        f"cache was damaged; kept as {damaged.name} and rebuilt with {len(ids)} sources and "
        f"{entries} entries that could be read"
    )


def open_damaged(damaged: Path) -> sqlite3.Connection | None:
    """A read-only connection that reads what it can of a damaged file, or None (garbage).

    `writable_schema` lets SQLite read a file shorter than its header says (it refuses such a
    file otherwise); pages past the end then read as empty. When even that fails, a copy whose
    header states the real size is tried. Nothing is ever read whole into memory, and nothing
    is sized by what the header claims: a 1 MB file may claim 2^32 pages.
    """
    for path in (damaged, _sized_copy(damaged)):
        if path is None:
            continue
        for lenient in (False, True):
            db = _connect(path, lenient)
            if db is not None:
                return db
    return None


def _connect(path: Path, lenient: bool) -> sqlite3.Connection | None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if lenient:
            db.execute("PRAGMA writable_schema = ON")  # read-only connection: nothing written
        db.execute("SELECT COUNT(*) FROM sources").fetchone()
    except sqlite3.Error:
        db.close()
        return None
    db.row_factory = sqlite3.Row
    return db


COPY_CHUNK = 1 << 20


def _sized_copy(damaged: Path) -> Path | None:
    """A copy of the damaged file, streamed, its last page completed with zeros and its header
    stating the page count the file really holds. None for a file that is not SQLite."""
    try:
        with damaged.open("rb") as f:
            head = f.read(100)
        size = damaged.stat().st_size
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        return None
    raw = int.from_bytes(head[16:18], "big")
    page_size = 65536 if raw == 1 else raw  # the format stores 65536 as 1
    if page_size < 512 or page_size & (page_size - 1):
        return None
    pages = -(-size // page_size)
    copy = damaged.with_name(damaged.name + ".sized")
    try:
        with damaged.open("rb") as src, open(_new_private(copy), "wb") as dst:
            while chunk := src.read(COPY_CHUNK):
                if chunk.count(0) == len(chunk):  # zeros (a sparse file's hole) stay a hole:
                    dst.seek(len(chunk), os.SEEK_CUR)  # a 2 GB sparse file is no 2 GB copy
                else:
                    dst.write(chunk)
            dst.truncate(pages * page_size)  # the last page completed with zeros, as a hole
            dst.seek(28)
            dst.write(pages.to_bytes(4, "big"))
            dst.seek(92)  # "version valid for" = the change counter: the size above is trusted
            dst.write(head[24:28])
    except OSError:
        copy.unlink(missing_ok=True)
        return None
    return copy


def _new_private(path: Path) -> int:
    """A new private file, never through a symlink (a stale copy of ours is replaced)."""
    from tui.settings.paths import open_no_follow

    path.unlink(missing_ok=True)
    return open_no_follow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)


def _unlink_copy(damaged: Path) -> None:
    damaged.with_name(damaged.name + ".sized").unlink(missing_ok=True)


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
    """Entries in batches (a big cache is never held in memory at once), in one transaction:
    the new file is swapped in only when complete anyway."""
    new_ids: dict[str, int] = {}
    for added in ids.values():
        source = store.source(added)
        if source is not None:  # always: _copy_sources has just added it
            new_ids[added] = source.id
    cols = ", ".join(_ENTRY_COLS)
    marks = ", ".join("?" * (len(_ENTRY_COLS) + 1))
    insert = f"INSERT OR IGNORE INTO entries (source_id, {cols}) VALUES ({marks})"
    copied = 0
    batch: list[tuple[object, ...]] = []
    with store.transaction() as db:
        for row in _rows(old, f"SELECT source_id, {cols} FROM entries"):
            url = ids.get(row["source_id"])
            if url is not None and url in new_ids:
                batch.append((new_ids[url], *(row[c] for c in _ENTRY_COLS)))
            if len(batch) >= 1000:
                db.executemany(insert, batch)
                copied += len(batch)
                batch = []
                pause_point_for_tests()
        db.executemany(insert, batch)
        copied += len(batch)
    return copied


def pause_point_for_tests() -> None:
    """A wait point for the test that kills a rebuild half way (it sets the variable to a
    file path, waits for the file to appear, and kills this process): no effect otherwise."""
    flag = os.environ.get("NEWSDESK_TEST_REBUILD_PAUSE")
    if not flag or Path(flag).exists():
        return
    Path(flag).write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)

"""Storing parsed entries: the upsert that keeps read/starred state, and its helpers."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tui.models import ParsedEntry

UPSERT_ENTRY = """
INSERT INTO entries (source_id, key, title, link, author, published, updated, sort_time,
                     summary_html, content_html, summary_text, media, enclosures, first_seen)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT (source_id, key) DO UPDATE SET
    title = excluded.title, link = excluded.link, author = excluded.author,
    published = COALESCE(excluded.published, entries.published), updated = excluded.updated,
    summary_html = excluded.summary_html, content_html = excluded.content_html,
    summary_text = excluded.summary_text, media = excluded.media, enclosures = excluded.enclosures
WHERE entries.title IS NOT excluded.title OR entries.link IS NOT excluded.link
    OR entries.summary_html IS NOT excluded.summary_html
    OR entries.content_html IS NOT excluded.content_html OR entries.media IS NOT excluded.media
    OR entries.author IS NOT excluded.author OR entries.updated IS NOT excluded.updated
"""


def index_pending(db: sqlite3.Connection) -> int:
    count = db.execute(
        "INSERT INTO entry_fts (rowid, title, summary) SELECT e.id, e.title, e.summary_text "
        "FROM fts_pending p JOIN entries e ON e.id = p.id"
    ).rowcount
    db.execute("DELETE FROM fts_pending")
    return count


def by_keys(
    db: sqlite3.Connection, column: str, source_id: int, keys: list[str], table: str = "entries"
) -> list[Any]:
    """`column` of this source's entries whose key is in `keys` (chunked under SQLite's limit)."""
    out: list[Any] = []
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT {column} FROM {table} WHERE source_id = ? AND key IN ({marks})",
            (source_id, *chunk),
        )
        out.extend(r[0] for r in rows)
    return out


def entry_params(source_id: int, e: ParsedEntry, now: float) -> tuple[object, ...]:
    # Entries without a date sort by when we first saw them; future dates are capped to now
    # so a feed cannot pin itself to the top of the list.
    sort_time = min(e.published or e.updated or now, now)
    return (
        source_id,
        e.key,
        e.title,
        e.link,
        e.author,
        e.published,
        e.updated,
        sort_time,
        e.summary_html,
        e.content_html,
        e.summary_text,
        json.dumps([vars(m) for m in e.media]) if e.media else "[]",
        json.dumps([vars(x) for x in e.enclosures]) if e.enclosures else "[]",
        now,
    )

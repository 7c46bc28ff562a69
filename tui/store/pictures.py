"""The pictures table: each kept article's figures, downscaled and compressed, or why not.

Retention needs nothing here: a picture goes with its entry (ON DELETE CASCADE). The budget is
kept by `prune_pictures`, oldest first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tui.store.base import Database


@dataclass(frozen=True)
class StoredPicture:
    """One figure's picture as kept: JPEG bytes (None when it could not be had) and why."""

    url: str
    width: int
    height: int
    data: bytes | None
    error: str | None


@dataclass(frozen=True)
class PictureTotals:
    count: int  # pictures kept
    failed: int  # figures whose picture could not be had (reason kept)
    size: int  # bytes kept


def save_picture(
    db: Database,
    entry_id: int,
    url: str,
    data: bytes | None,
    width: int = 0,
    height: int = 0,
    error: str | None = None,
) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO pictures (entry_id, url, fetched, width, height, size, data, "
            "error) SELECT ?,?,?,?,?,?,?,? WHERE EXISTS (SELECT 1 FROM entries WHERE id = ?)",
            (entry_id, url, time.time(), width, height, len(data or b""), data, error, entry_id),
        )


def pictures_of(db: Database, entry_id: int) -> dict[str, StoredPicture]:
    rows = db.query(
        "SELECT url, width, height, data, error FROM pictures WHERE entry_id = ?", (entry_id,)
    )
    return {r[0]: StoredPicture(r[0], r[1], r[2], r[3], r[4]) for r in rows}


def lead_pictures(db: Database, entry_ids: list[int]) -> dict[int, StoredPicture]:
    """Each entry's first kept picture (the lead photo comes first), for the river."""
    if not entry_ids:
        return {}
    marks = ",".join("?" * len(entry_ids))
    rows = db.query(
        f"SELECT entry_id, url, width, height, data, error FROM pictures "
        f"WHERE entry_id IN ({marks}) AND data IS NOT NULL ORDER BY entry_id, fetched, url",
        tuple(entry_ids),
    )
    out: dict[int, StoredPicture] = {}
    for r in rows:
        out.setdefault(r[0], StoredPicture(r[1], r[2], r[3], r[4], r[5]))
    return out


def known_urls(db: Database, entry_id: int) -> set[str]:
    """Figures already fetched (kept or failed): not fetched again."""
    return {r[0] for r in db.query("SELECT url FROM pictures WHERE entry_id = ?", (entry_id,))}


def picture_totals(db: Database) -> PictureTotals:
    row = db.query(
        "SELECT COALESCE(SUM(data IS NOT NULL), 0), COALESCE(SUM(data IS NULL), 0), "
        "COALESCE(SUM(size), 0) FROM pictures"
    )[0]
    return PictureTotals(int(row[0]), int(row[1]), int(row[2]))


def prune_pictures(db: Database, budget: int) -> int:
    """Delete the oldest pictures until the kept ones fit in `budget` bytes; returns how many
    went. A pruned picture leaves no failure row: the article shows its caption alone."""
    with db.transaction() as conn:
        total = conn.execute("SELECT COALESCE(SUM(size), 0) FROM pictures").fetchone()[0]
        if total <= budget:
            return 0
        doomed: list[tuple[int, str]] = []
        for entry_id, url, size in conn.execute(
            "SELECT entry_id, url, size FROM pictures WHERE size > 0 ORDER BY fetched, entry_id"
        ):
            if total <= budget:
                break
            doomed.append((entry_id, url))
            total -= size
        conn.executemany("DELETE FROM pictures WHERE entry_id = ? AND url = ?", doomed)
        return len(doomed)

"""Stories in the cache: the entries a refresh groups, and the story id each one gets.

`entries.story` is the id of the entry that started the story, NULL for an entry alone. The
grouper itself (tui.services.stories) keeps no state of its own between runs: it is rebuilt
from the entries of the window and their stored story ids.
"""

from __future__ import annotations

from typing import Any

from tui.store.db import Store
from tui.store.queue import enqueue_ids

SUMMARY_CHARS = 300  # grouping borrows words from the start of a terse title's summary

_COLUMNS = f"id, source_id, title, sort_time, substr(summary_text, 1, {SUMMARY_CHARS}), story"


StoryRow = tuple[Any, ...]  # (id, source_id, title, sort_time, summary's start, story)


def window_rows(store: Store, since: float, exclude: list[int]) -> list[StoryRow]:
    """Entries at or after `since` (oldest first), less `exclude` (this run's new entries)."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM entries WHERE sort_time >= ? ORDER BY sort_time, id", (since,)
    )
    skip = set(exclude)
    return [tuple(r) for r in rows if r[0] not in skip]


def rows_by_id(store: Store, ids: list[int]) -> list[StoryRow]:
    out: list[StoryRow] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.query(f"SELECT {_COLUMNS} FROM entries WHERE id IN ({marks})", chunk)
        out += [tuple(r) for r in rows]
    return out


def set_stories(store: Store, stories: dict[int, int | None]) -> None:
    """Write each entry's story id (None: alone) in one transaction."""
    if not stories:
        return
    with store.transaction() as db:
        db.executemany(
            "UPDATE entries SET story = ? WHERE id = ? AND story IS NOT ?",
            [(story, entry_id, story) for entry_id, story in stories.items()],
        )


def apply_arrival(
    store: Store, column: str, where: str, params: list[object], ids: list[int]
) -> int:
    """Set `column` (read or starred) to 1 on those of `ids` that satisfy `where` (alias e).
    Synced entries' changes are queued for their server in the same transaction, as any mark."""
    if column not in ("read", "starred") or not ids:
        return 0
    changed: list[int] = []
    with store.transaction() as db:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            changed += [
                r[0]
                for r in db.execute(
                    f"SELECT e.id FROM entries e WHERE e.id IN ({marks}) AND e.{column} = 0 "
                    f"AND {where}",
                    (*chunk, *params),
                )
            ]
        enqueue_ids(db, "read" if column == "read" else "star", True, changed)
        db.executemany(f"UPDATE entries SET {column} = 1 WHERE id = ?", [(i,) for i in changed])
    return len(changed)

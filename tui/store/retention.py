"""Keep the cache bounded: prune old and surplus entries, vacuum now and then.

Never pruned: starred entries, unread entries younger than the age limit or fetched within it
(an old-dated entry that just arrived is still news to the user), and the newest
`keep_min_per_source` entries of every source whatever their age (a quiet blog keeps its last
posts instead of going blank). A pruned entry
leaves a tombstone so a feed that still lists it does not bring it back as unread.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from tui.settings.config import Config
from tui.store import Store
from tui.store.pictures import prune_pictures

VACUUM_EVERY = 7 * 86400
TOMBSTONE_DAYS = 400


def prune(
    store: Store,
    keep_days: int,
    keep_per_source: int,
    now: float | None = None,
    per_source: dict[str, int] | None = None,
    keep_min_per_source: int = 0,
) -> int:
    """Delete entries older than `keep_days` (beyond the newest `keep_min_per_source` of their
    source) or beyond the newest `keep_per_source` (`per_source` overrides it by feed URL),
    except starred and recent unread ones. Returns how many were deleted."""
    now = now or time.time()
    # 0 means no limit: keep_days = 0 keeps entries forever (as newsboat's keep-articles-days),
    # keep_per_source = 0 (or max_entries = 0) keeps any number
    cutoff = now - keep_days * 86400 if keep_days > 0 else float("-inf")
    keep_per_source = keep_per_source if keep_per_source > 0 else 2**62
    per_source = {url: n if n > 0 else 2**62 for url, n in (per_source or {}).items()}
    doomed = """
        SELECT id, source_id, key FROM (
            SELECT e.id, e.source_id, e.key, e.sort_time, e.first_seen, e.read, e.starred,
                   COALESCE(k.keep, :keep) AS keep,
                   ROW_NUMBER() OVER (PARTITION BY e.source_id
                                      ORDER BY e.sort_time DESC, e.id DESC) AS rank
            FROM entries e LEFT JOIN temp.keep_limits k ON k.source_id = e.source_id
            -- Only sources that can lose an entry: those with entries past the age limit (by
            -- the time index) or more entries than their limit (by the counts table). Ranking
            -- every entry of every source took 3 s per refresh at 1M entries.
            WHERE e.source_id IN (
                SELECT c.source_id FROM source_counts c
                LEFT JOIN temp.keep_limits l ON l.source_id = c.source_id
                WHERE c.entries > COALESCE(l.keep, :keep)
                UNION SELECT o.source_id FROM entries o WHERE o.sort_time < :cutoff))
        WHERE starred = 0 AND NOT (read = 0 AND (sort_time >= :cutoff OR first_seen >= :cutoff))
          AND ((sort_time < :cutoff AND rank > :keep_min) OR rank > keep)
    """
    params = {
        "cutoff": cutoff,
        "keep": keep_per_source,
        "keep_min": keep_min_per_source,
        "now": now,
    }
    with store.transaction() as db:
        db.execute("CREATE TEMP TABLE keep_limits (source_id INTEGER PRIMARY KEY, keep INTEGER)")
        db.executemany(
            "INSERT OR REPLACE INTO temp.keep_limits SELECT id, ? FROM sources WHERE url = ?",
            [(int(n), url) for url, n in per_source.items()],
        )
        db.execute(f"CREATE TEMP TABLE doomed AS {doomed}", params)
        db.execute(
            "INSERT OR REPLACE INTO pruned (source_id, key, at) "
            "SELECT source_id, key, :now FROM doomed",
            params,
        )
        count = db.execute("DELETE FROM entries WHERE id IN (SELECT id FROM doomed)").rowcount
        db.execute("DROP TABLE temp.doomed")
        db.execute("DROP TABLE temp.keep_limits")
        db.execute("DELETE FROM pruned WHERE at < ?", (now - TOMBSTONE_DAYS * 86400,))
    return count


def vacuum_if_due(store: Store, now: float | None = None) -> bool:
    """VACUUM at most once a week (it rewrites the file, so not on every refresh), and only
    with room for the copy it writes; a skipped or failed VACUUM is tried again next time."""
    now = now or time.time()
    last = store.meta("last_vacuum")
    if last is not None and now - float(last) < VACUUM_EVERY:
        return False
    if last is None:  # a new cache has nothing to reclaim: start the clock instead
        store.set_meta("last_vacuum", str(now))
        return False
    if not _room_to_vacuum(store.path):
        return False
    with store._lock:
        try:
            store.db.execute("VACUUM")
        except sqlite3.Error:  # disk full after all, or a reader holding the file
            return False
    store.set_meta("last_vacuum", str(now))
    return True


def _room_to_vacuum(path: Path) -> bool:
    """VACUUM writes a full copy of the database (and a WAL as big): want twice its size free."""
    try:
        size = path.stat().st_size
        return shutil.disk_usage(path.parent).free > 2 * size + 64 * 1024 * 1024
    except OSError:
        return False


def maintain(store: Store, config: Config) -> int:
    """After a refresh: prune, and vacuum when a week has passed. Returns entries pruned."""
    limits = {}
    for url in set(config.sources) | set(config.moved):  # a moved source keeps its limit
        n = config.source_setting(url, "max_entries")
        if isinstance(n, int) and not isinstance(n, bool):
            limits[url] = n
    pruned = prune(
        store,
        config.keep_days,
        config.keep_per_source,
        per_source=limits,
        keep_min_per_source=config.keep_min_per_source,
    )
    # pictures go with their entries (ON DELETE CASCADE); the budget takes the oldest
    prune_pictures(store, config.image_cache_mb * 1024 * 1024)
    vacuum_if_due(store)
    return pruned

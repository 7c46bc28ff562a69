"""What happens to entries when a refresh brings them: `read`/`star` rules act, then the new
entries are grouped into stories against the window and the story ids are stored.

Runs in a worker thread of the one refresh pipeline (tui.services.pipeline), never on the UI
thread. Grouping is incremental: only the new entries are matched; the window's entries are
rebuilt from the cache with their stored story ids (StoryGrouper.restore), so a CLI refresh and
the reader's refresh give the same stories.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tui.services.rules import Rule, match_sql, parse_rules, scope_sql
from tui.services.stories import StoryEntry, StoryGrouper
from tui.settings.config import Config
from tui.store import Store
from tui.store.storydb import StoryRow, apply_arrival, rows_by_id, set_stories, window_rows

WINDOW_HOURS = 36.0
QUIET_HOURS = 6.0


@dataclass
class Arrival:
    grouped: int = 0  # new entries that joined a story (share it with another entry)
    marked_read: int = 0
    starred: int = 0
    seconds: float = 0.0

    def add(self, other: Arrival) -> None:
        self.grouped += other.grouped
        self.marked_read += other.marked_read
        self.starred += other.starred
        self.seconds += other.seconds


def config_rules(config: Config) -> tuple[list[Rule], list[str]]:
    """The config's rules and a one-line error for each bad one (the rest still apply)."""
    return parse_rules(config.rules)


def settle(store: Store, config: Config, new_ids: list[int], now: float | None = None) -> Arrival:
    start = time.perf_counter()
    out = Arrival()
    if new_ids:
        rules, _errors = config_rules(config)  # the errors are shown where the rules are
        out.marked_read, out.starred = apply_rules_on_arrival(store, rules, new_ids)
        if config.stories:
            out.grouped = group_new(store, new_ids, now)
    out.seconds = time.perf_counter() - start
    return out


def apply_rules_on_arrival(store: Store, rules: list[Rule], ids: list[int]) -> tuple[int, int]:
    """Mark read / star the new entries that `read` / `star` rules match (in SQL, in scope)."""
    done = {"read": 0, "star": 0}
    for rule in rules:
        if rule.action not in done:
            continue
        scope, scope_params = scope_sql(rule)
        match, match_params = match_sql(rule)
        column = "read" if rule.action == "read" else "starred"
        done[rule.action] += apply_arrival(
            store, column, f"{scope} AND {match}", [*scope_params, *match_params], ids
        )
    return done["read"], done["star"]


def _entry(row: StoryRow) -> StoryEntry:
    return StoryEntry(row[0], row[1], row[2] or "", row[3], row[4] or "")


def group_new(store: Store, new_ids: list[int], now: float | None = None) -> int:
    """Group the new entries against the window and store the stories; returns how many new
    entries joined a story (one that stands alone is not counted)."""
    now = time.time() if now is None else now
    since = now - WINDOW_HOURS * 3600
    grouper = StoryGrouper(window_hours=WINDOW_HOURS, quiet_hours=QUIET_HOURS)
    grouper.restore((_entry(r), r[5]) for r in window_rows(store, since, new_ids))
    changed = grouper.add([_entry(r) for r in rows_by_id(store, new_ids)], now=now)
    set_stories(store, changed)
    return sum(1 for i in new_ids if changed.get(i) is not None)

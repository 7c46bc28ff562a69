"""Keeping the reader up to date with the cache: the open reader notices when another process
changed it, and sources added during a refresh wait for it to end (join_refreshes).

The open reader notices when another process changed the cache (a refresh from cron or
another shell) and updates its counts and list, saying how many entries arrived.

A thread worker asks SQLite every WATCH_SECONDS whether the cache changed (PRAGMA
data_version: other connections' commits only, so the reader's own writes never trigger it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.store.changes import data_version, entries_after, newest_entry_id

if TYPE_CHECKING:
    from tui.ui.app import NewsdeskApp

WATCH_SECONDS = 2.0


class CacheWatch:
    def __init__(self, app: NewsdeskApp) -> None:
        self.app = app
        self.version: int | None = None
        self.newest = 0

    def start(self) -> None:
        self.app.run_worker(self._first, thread=True, group="cache-watch", exit_on_error=False)
        self.app.set_interval(WATCH_SECONDS, self._tick)

    def _first(self) -> None:
        store = self.app.store
        self.version, self.newest = data_version(store), newest_entry_id(store)

    def _tick(self) -> None:
        if self.version is not None:
            self.app.run_worker(
                self._look, thread=True, group="cache-watch", exclusive=True, exit_on_error=False
            )

    def _look(self) -> None:
        store = self.app.store
        version = data_version(store)
        if version == self.version:
            return
        self.version = version
        arrived = entries_after(store, self.newest)
        self.newest = newest_entry_id(store)
        self.app.call_from_thread(self._changed, arrived)

    def _changed(self, arrived: int) -> None:
        app = self.app
        app._sources_changed()
        if arrived and not app.refreshing:  # a refresh of our own says what it brought
            noun = "entry" if arrived == 1 else "entries"
            app.notify(f"{arrived} new {noun} from a refresh elsewhere: the list is updated.")


NOT_QUEUED = object()


def join_refreshes(queued: object, source_ids: list[int] | None) -> list[int] | None:
    """One waiting refresh for both requests: all sources if either wants all."""
    if queued is NOT_QUEUED:
        return source_ids
    if queued is None or source_ids is None:
        return None
    assert isinstance(queued, list)
    return sorted(set(queued) | set(source_ids))

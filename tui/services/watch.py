"""Has another process changed the cache since we last looked? (A cron `newsdesk refresh`, a
second reader.) SQLite's `PRAGMA data_version` on the reader's own connection changes whenever
another connection commits, never for its own writes: a cheap question to ask every few seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.settings.config import load_config
from tui.store import Store
from tui.store.changes import data_version, entries_after, newest_entry_id


class CacheVersion:
    """Blocking (SQLite): call from a worker thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.version = data_version(store)
        self.newest = newest_entry_id(store)

    def arrived(self) -> int | None:
        """None when nothing changed elsewhere; else how many entries arrived since the last
        look (0: the cache changed, with no new entry: marks, a removal)."""
        version = data_version(self.store)
        if version == self.version:
            return None
        self.version = version
        count = entries_after(self.store, self.newest)
        self.newest = newest_entry_id(self.store)
        return count


class ConfigRules:
    """The config file's rules, re-read when the file changes (a `newsdesk rules add` while the
    reader runs). Blocking (the file): call from a worker thread."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stamp = self._stamp()

    def _stamp(self) -> tuple[float, int] | None:
        try:
            info = self.path.stat() if self.path is not None else None
        except OSError:
            return None
        return (info.st_mtime, info.st_size) if info is not None else None

    def changed(self) -> list[Any] | None:
        """The [[rules]] as the file says now when it changed since the last look, else None.
        A file that no longer parses keeps the rules in force (ConfigError propagates)."""
        stamp = self._stamp()
        if stamp == self.stamp or self.path is None:
            return None
        self.stamp = stamp
        return load_config(self.path).rules

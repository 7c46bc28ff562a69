"""Keeping the reader up to date with the cache: the open reader notices when another process
changed it, and sources added during a refresh wait for it to end (join_refreshes).

The open reader notices when another process changed the cache (a refresh from cron or
another shell) and updates its counts and list, saying how many entries arrived.

A thread worker asks SQLite every WATCH_SECONDS whether the cache changed (PRAGMA
data_version: other connections' commits only, so the reader's own writes never trigger it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tui.services.desk import Config, Store
    from tui.services.watch import CacheVersion, ConfigRules


class WatchedScreen(Protocol):
    """What the watch needs of the reader screen (a protocol: the screen's module imports this
    one, so naming the screen's class here would make an import cycle)."""

    refreshing: bool

    @property
    def app(self) -> Any: ...
    @property
    def config(self) -> Config: ...
    @property
    def store(self) -> Store: ...
    def run_worker(self, work: Any, *args: Any, **kwargs: Any) -> Any: ...
    def set_interval(self, *args: Any, **kwargs: Any) -> Any: ...
    def notify(self, *args: Any, **kwargs: Any) -> None: ...
    def rules_changed(self, rules: list[Any]) -> None: ...
    def sources_changed(self) -> None: ...


WATCH_SECONDS = 2.0


class CacheWatch:
    """Started by the reader screen once its first page is painted."""

    def __init__(self, screen: WatchedScreen) -> None:
        self.screen = screen
        self.cache: CacheVersion | None = None
        self.rules: ConfigRules | None = None

    def start(self) -> None:
        self.screen.run_worker(self._first, thread=True, group="cache-watch", exit_on_error=False)
        self.screen.set_interval(WATCH_SECONDS, self._tick)

    def _first(self) -> None:
        from tui.services.watch import CacheVersion, ConfigRules

        self.rules = ConfigRules(self.screen.config.path)
        self.cache = CacheVersion(self.screen.store)

    def _tick(self) -> None:
        if self.cache is not None:
            self.screen.run_worker(
                self._look, thread=True, group="cache-watch", exclusive=True, exit_on_error=False
            )

    def _look(self) -> None:
        from tui.settings.config import ConfigError

        assert self.cache is not None and self.rules is not None
        arrived = self.cache.arrived()
        if arrived is not None:
            self.screen.app.call_from_thread(self._changed, arrived)
        try:
            rules = self.rules.changed()
        except ConfigError as exc:  # the rules in force stay
            self.screen.notify(str(exc), severity="warning", markup=False)
            return
        if rules is not None and rules != self.screen.config.rules:
            self.screen.app.call_from_thread(self.screen.rules_changed, rules)

    def _changed(self, arrived: int) -> None:
        screen = self.screen
        screen.sources_changed()
        if arrived and not screen.refreshing:  # a refresh of our own says what it brought
            noun = "entry" if arrived == 1 else "entries"
            screen.notify(
                f"{arrived} new {noun} from a refresh elsewhere: the list is updated.",
                markup=False,
            )


NOT_QUEUED = object()


def join_refreshes(queued: object, source_ids: list[int] | None) -> list[int] | None:
    """One waiting refresh for both requests: all sources if either wants all."""
    if queued is NOT_QUEUED:
        return source_ids
    if queued is None or source_ids is None:
        return None
    assert isinstance(queued, list)
    return sorted(set(queued) | set(source_ids))

"""Marks made in the reader reach their servers within seconds (a push-only sync).

A mark posts EntriesChanged; PUSH_DELAY after the last one (so a run of marks goes as one
batch) the queued changes are pushed (tui.sync.push) without pulling: the pull stays with
refresh. Not while offline, on a read-only cache or with no account; while a refresh or
another push runs it waits its turn (a refresh's sync pushes first). A failure shows in the
sources pane's border as a refresh's does, and the queue keeps the marks for the next try.
"""

from __future__ import annotations

from textual import work
from textual.timer import Timer

from tui.textclean import clean_line
from tui.ui.messages import EntriesChanged
from tui.ui.reader_sources import SourceToolsScreen

PUSH_DELAY = 1.0  # seconds after the last mark


class MarkPushing(SourceToolsScreen):
    """The reader screen's layer that pushes marks (ReaderScreen builds on it)."""

    _push_timer: Timer | None = None
    _pushing = False

    def on_entries_changed(self, _msg: EntriesChanged) -> None:
        if self.offline or self.store.readonly or not self.config.accounts:
            return
        if self._push_timer is not None:
            self._push_timer.stop()  # a new one: Timer.reset() was seen to add a whole delay
        self._push_timer = self.set_timer(PUSH_DELAY, self._push_due)

    def _push_due(self) -> None:
        self._push_timer = None
        if self.refreshing or self._pushing:  # its turn comes after
            self._push_timer = self.set_timer(PUSH_DELAY, self._push_due)
            return
        self.push_marks()

    @work(group="push", exit_on_error=False)
    async def push_marks(self) -> None:
        from tui.services.operations import push_marks

        self._pushing = True
        try:
            results = await push_marks(self.session)
        finally:
            self._pushing = False
        failed = [r for r in results if r.error]
        if failed:
            names = ", ".join(clean_line(r.name, 40) for r in failed)
            self.sources.show_status(f"sync failed: {names}", keep=True)
        elif results:
            self.sources.show_status("", keep=True)

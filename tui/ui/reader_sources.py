"""The reader screen's refresh and source tools: refreshing all or one, add, import, the starter set, a source's settings, its
details and removing it. Each acts on the source the keys point at (the sources pane's, the
list's view's, or the target entry's); every blocking step runs in a named thread worker."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work

from tui.services.desk import ALL_UNREAD, SourceRow
from tui.services.session import QuietRefresh
from tui.textclean import clean_line
from tui.ui import platform
from tui.ui.cache_watch import NOT_QUEUED, CacheWatch, join_refreshes
from tui.ui.messages import (
    RefreshFinished,
    RefreshProgressed,
    SyncFinished,
    SyncProgressed,
)
from tui.ui.reader_reading import ReadingScreen

if TYPE_CHECKING:  # the dialogs are imported when first opened, not on the start path
    from tui.services.desk import AccountResult
    from tui.services.notify import Notice
    from tui.services.operations import Imported, SourceEdit
    from tui.services.refresh import RefreshSummary
    from tui.services.subscribe import Added


class _Events(QuietRefresh):
    """A refresh's events as the screen's messages. Progress is posted at most ~10 times a
    second (besides a phase's first and last): one message per feed and page (8,000 for 200
    feeds) queued ahead of the user's own messages held an article open back by seconds."""

    def __init__(self, screen: SourceToolsScreen) -> None:
        self.screen = screen
        self.last_at, self.last_phase = 0.0, ""

    def progressed(self, done: int, total: int, phase: str) -> None:
        now = time.monotonic()
        if done >= total or phase != self.last_phase or now - self.last_at >= 0.1:
            self.last_at, self.last_phase = now, phase
            self.screen.post_message(RefreshProgressed(done, total, phase))

    def stored(self, summary: RefreshSummary) -> None:
        self.screen.post_message(RefreshFinished(summary))

    def sync_progressed(self, account: str, what: str) -> None:
        self.screen.post_message(SyncProgressed(f"{account}: {what}"))

    def synced(self, results: list[AccountResult]) -> None:
        self.screen.post_message(SyncFinished(results))


BUSY = {
    True: "A refresh is running: the new sources are fetched when it ends.",
    False: "A refresh is already running.",
}


class SourceToolsScreen(ReadingScreen):
    refreshing = False  # a refresh runs (a second one is refused, or queued)
    queued: list[int] | None | object = NOT_QUEUED  # what to refresh when it ends (None: all)

    def _source_id_of_current(self, in_sources: bool, entry_id: int | None) -> int | None:
        """Blocking: the source shown in the sources pane (when it has focus) or in the list,
        else the source of the target entry."""
        source_id = self.sources.current_source_id if in_sources else None
        view = self.state.view
        if source_id is None and view is not None:
            source_id = view.source_id
        if source_id is not None:
            return int(source_id)
        entry = self.store.entry(entry_id) if entry_id is not None else None
        return int(entry.source_id) if entry else None

    def _pointed(self) -> tuple[bool, int | None]:
        """What the keys point at, read on the UI thread for a worker: (sources focused, entry)."""
        return self.sources.has_focus, self.target_entry()

    def _current_source_row(self, pointed: tuple[bool, int | None]) -> SourceRow | None:
        """Blocking: the source the keys act on; says so when there is none."""
        source_id = self._source_id_of_current(*pointed)
        row = self.store.source_by_id(source_id) if source_id is not None else None
        if row is None:
            self.notify("Choose a source or an entry first.", markup=False)
        return row

    # -- refreshing one source ----------------------------------------------------------------

    def action_refresh_all(self) -> None:
        self.refresh_sources()

    def action_refresh_source(self) -> None:
        self._refresh_pointed(self._pointed())

    @work(thread=True, group="refresh-target", exit_on_error=False)
    def _refresh_pointed(self, pointed: tuple[bool, int | None]) -> None:
        source_id = self._source_id_of_current(*pointed)
        if source_id is None:
            self.notify("Choose a source or an entry to refresh.", markup=False)
        else:
            self.app.call_from_thread(self.refresh_sources, [source_id])

    @work(thread=True, group="refresh-target", exit_on_error=False)
    def _refresh_url(self, url: str) -> None:
        row = self.store.source(url)
        if row is not None:
            self.app.call_from_thread(self.refresh_sources, [int(row.id)], True)

    @work(group="refresh", exit_on_error=False)
    async def refresh_sources(
        self, source_ids: list[int] | None = None, queue_if_busy: bool = False
    ) -> None:
        """The same refresh as `newsdesk refresh`: feeds, then articles, then pruning. Not
        exclusive: a second call while one runs is refused (nothing cancels a prefetch), or
        with `queue_if_busy` (new sources) waits and runs when the current one ends."""
        from tui.services.pipeline import RefreshRunning, run_refresh

        if self.offline:
            self.notify("Offline: not refreshing.", markup=False)
            return
        if self.store.readonly:
            self.notify("The cache is read-only: not refreshing.", markup=False)
            return
        if self.refreshing:
            if queue_if_busy:
                self.queued = join_refreshes(self.queued, source_ids)
            self.notify(BUSY[queue_if_busy], markup=False)
            return
        self.refreshing = True
        self.sources.show_progress(0, 1)
        try:
            outcome = await run_refresh(self.session, source_ids=source_ids, events=_Events(self))
            self._nudge(outcome.notice, outcome.notify_error)
        except RefreshRunning as exc:  # a cron refresh of the same cache: its entries will show
            self.notify(f"{str(exc).capitalize()}; not starting another.", markup=False)
        finally:
            self.refreshing = False
            self.sources.show_progress(1, 1)
            queued, self.queued = self.queued, NOT_QUEUED
            if queued is not NOT_QUEUED:
                self.refresh_sources(queued)  # sources added meanwhile

    def _nudge(self, notice: Notice | None, error: str | None) -> None:
        """notify = "terminal": the desktop note goes to the terminal the reader runs in,
        through Textual's own writer (a second writer could split one of its sequences)."""
        if notice is not None and self.config.notify == "terminal":
            driver = getattr(self.app, "_driver", None)
            if driver is not None:
                driver.write(notice.terminal_payload())
        if error:
            self.notify(clean_line(f"Notify: {error}", 300), severity="warning", markup=False)

    def _started(self, empty: bool) -> None:
        super()._started(empty)
        has_any = not empty or bool(self.config.accounts)
        read_only = self.store.readonly
        if has_any and not self.offline and self.config.refresh_on_start and not read_only:
            # the cache is painted first; only then does the network start
            self.call_after_refresh(self.refresh_sources)
        CacheWatch(self).start()  # a refresh from cron or another shell shows up here too

    def on_refresh_progressed(self, msg: RefreshProgressed) -> None:
        self.sources.show_progress(msg.done, msg.total, msg.phase)

    def on_refresh_finished(self, msg: RefreshFinished) -> None:
        summary = msg.summary
        self.sources_changed()
        failed = summary.count("failed")
        new = len(summary.new_ids)
        text = f"{new} new {'entry' if new == 1 else 'entries'}"
        if failed:
            text += f", {failed} {'source' if failed == 1 else 'sources'} failed (e shows why)"
        self.notify(text, severity="warning" if failed else "information", markup=False)

    def on_sync_progressed(self, msg: SyncProgressed) -> None:
        self.sources.show_status(msg.text)

    def on_sync_finished(self, msg: SyncFinished) -> None:
        """Synced entries are in: recount. A failed account says why, and its line stays in the
        sources border until a sync succeeds (the cache is still what is shown)."""
        self.sources_changed()
        failed = [r for r in msg.results if r.error]
        for r in failed:
            self.notify(clean_line(f"{r.name}: {r.error}", 300), title="Sync failed",
                        severity="error", timeout=10, markup=False)  # fmt: skip
        status = f"sync failed: {', '.join(r.name for r in failed)}" if failed else ""
        self.sources.show_status(status, keep=True)

    # -- adding -----------------------------------------------------------------------------

    def action_add_source(self) -> None:
        from tui.ui.screens import AddSourceScreen

        self.app.push_screen(AddSourceScreen(self.offline, self._add), self._source_added)

    async def _add(self, url: str, anyway: bool) -> Added:
        """The add dialog's operation: subscribe through the app's client (raises AddFailed),
        or, "anyway", without a first fetch."""
        import asyncio

        from tui.services import operations

        if anyway:
            return await asyncio.to_thread(operations.add_anyway, self.store, url)
        return await operations.add_source(self.session, url)

    def _source_added(self, added: Added | None) -> None:
        if added is None:
            return
        name = clean_line(added.title or added.url, 120)
        n = added.new_entries
        if added.already:
            self.notify(f"Already subscribed to {name}.", markup=False)
        elif added.unchecked:
            self.notify(f"Added {name}; its feed could not be fetched yet.", markup=False)
        else:
            entries = f"{n} {'entry' if n == 1 else 'entries'}"
            found = clean_line(added.url, 200)
            if added.discovered_from:  # say which feed the page led to
                found = f"the feed {found}, found on {clean_line(added.discovered_from, 200)}"
            note = f" {clean_line(added.note, 200)}." if added.note else ""
            self.notify(f"Subscribed to {name}: {found} ({entries}).{note}", markup=False)
        self.sources_changed()
        if added.unchecked and not added.already and not self.offline:
            self._refresh_url(added.url)  # records why it fails: "!" and e show it

    def action_import_file(self) -> None:
        from functools import partial

        from tui.services.operations import import_file
        from tui.ui.screens import ImportScreen

        screen = ImportScreen(partial(import_file, self.store))
        self.app.push_screen(screen, self._imported)

    def _imported(self, result: Imported | None) -> None:
        """Say what was added and skipped, and each note (not feeds, where a file broke off)."""
        if result is None:
            return
        added, skipped, notes = result.added, result.duplicates, result.notes
        sources = f"{added} {'source' if added == 1 else 'sources'}"
        duplicates = f"{skipped} {'duplicate' if skipped == 1 else 'duplicates'}"
        self.notify(f"Imported {sources}, skipped {duplicates}.", markup=False)
        for note in notes:
            self.notify(clean_line(note, 300), severity="warning", markup=False, timeout=10)
        self.sources_changed()
        if added and not self.offline:
            self.refresh_sources(queue_if_busy=True)

    @work(thread=True, group="subscribe", exclusive=True, exit_on_error=False)
    def action_subscribe_starter(self) -> None:
        from tui.services.operations import subscribe_starter

        feeds = platform.starter_feeds()
        if not feeds:
            self.notify("This build has no starter feeds.", markup=False)
            return
        self.app.call_from_thread(self._imported, subscribe_starter(self.store, feeds))

    # -- settings and details -----------------------------------------------------------------

    def action_edit_source(self) -> None:
        self._open_source_settings(self._pointed())

    @work(thread=True, group="source-settings", exclusive=True, exit_on_error=False)
    def _open_source_settings(self, pointed: tuple[bool, int | None]) -> None:
        from tui.services.operations import source_edit

        source_id = self._source_id_of_current(*pointed)
        found = source_edit(self.store, self.config, source_id) if source_id is not None else None
        if found is None:
            self.notify("Choose a source or an entry first.", markup=False)
            return
        from tui.ui.dialogs import EditSourceScreen

        screen = EditSourceScreen(*found)
        self.app.call_from_thread(self.app.push_screen, screen, self._source_edited)

    def _source_edited(self, settings: SourceEdit | None) -> None:
        if settings is not None:
            self._save_source_settings(settings)

    @work(thread=True, group="source-settings", exit_on_error=False)
    def _save_source_settings(self, s: SourceEdit) -> None:
        from tui.services.operations import ConfigNotSaved, OperationError, edit_source

        url = s.new_url or s.url
        try:
            url, config = edit_source(self.store, self.config, s)
        except ConfigNotSaved as exc:  # the cache has it; the file could not be written
            config = exc.config
            self.notify(str(exc), severity="error", markup=False)
        except OperationError as exc:  # nothing saved (the new URL is subscribed already)
            self.notify(str(exc), markup=False)
            return
        self.app.call_from_thread(self.session.replace_config, config)
        self.app.call_from_thread(self.sources_changed)
        self.notify(clean_line(f"Saved settings for {s.title or url}.", 200), markup=False)
        if url != s.url and not self.offline:
            self.app.call_from_thread(self._refresh_url, url)

    def action_source_info(self) -> None:
        self._open_source_info(self._pointed())

    @work(thread=True, group="source-settings", exclusive=True, exit_on_error=False)
    def _open_source_info(self, pointed: tuple[bool, int | None]) -> None:
        from tui.ui.dialogs import SourceInfoScreen
        from tui.ui.source_facts import source_facts

        row = self._current_source_row(pointed)
        if row is None:
            return
        facts = source_facts(row, self.config)
        name = row.title_override or row.title or row.url
        self.app.call_from_thread(self.app.push_screen, SourceInfoScreen(name, facts))

    # -- removing -----------------------------------------------------------------------------

    def action_remove_source(self) -> None:
        self._ask_remove_source(self._pointed())

    @work(thread=True, group="source-settings", exclusive=True, exit_on_error=False)
    def _ask_remove_source(self, pointed: tuple[bool, int | None]) -> None:
        from rich.text import Text

        from tui.ui.dialogs import ConfirmScreen

        row = self._current_source_row(pointed)
        if row is None:
            return
        url = row.url
        count = self.store.source_entry_count(row.id)
        name = clean_line(row.title_override or row.title or url, 120)
        question = Text(f"Unsubscribe from {name}\n")
        question.append(clean_line(url, 300) + "\n", style="dim")
        question.append(f"and delete its {count} cached entries (starred ones too)?")
        screen = ConfirmScreen("Remove source", question, "Remove")

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove_source(url, name)

        self.app.call_from_thread(self.app.push_screen, screen, answered)

    @work(thread=True, group="source-settings", exit_on_error=False)
    def _remove_source(self, url: str, name: str) -> None:
        from tui.services.operations import remove_source

        if not remove_source(self.store, url):
            return
        opened = self.state.opened
        gone = opened is not None and self.store.entry(opened) is None
        self.app.call_from_thread(self._source_removed, name, gone)

    def _source_removed(self, name: str, article_gone: bool) -> None:
        self.notify(f"Removed {name}.", markup=False)
        view = self.state.view
        if article_gone:  # it was reading an entry of the source just removed
            self.set_reading(False)
            self.article.clear()
            self.state.close()
        self.sources.load()
        if view is not None and view.kind in ("source", "source_unread"):
            self.headlines.border_title = ALL_UNREAD.label
            self.headlines.show(ALL_UNREAD)
        else:
            self.headlines.reload()

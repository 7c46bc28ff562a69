"""The reader app: builds the three panes and wires them with messages and named workers.

Nothing here touches the network before the cached state is on screen; with `offline` nothing
touches it at all. SQLite runs in thread workers; fetching runs in async workers whose groups
keep "open an article" (cancelled when the user moves on) apart from "refresh".
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from tui.services.context import Context
from tui.store.rows import FirstPage
from tui.store.views import ALL_UNREAD, View, saved_views
from tui.textclean import clean_line
from tui.ui import keys, render
from tui.ui.actions import ReaderActions
from tui.ui.cache_watch import NOT_QUEUED, CacheWatch, join_refreshes
from tui.ui.configcheck import config_warnings, usable_keymap
from tui.ui.layout import sources_width, width_classes
from tui.ui.messages import (
    EntriesChanged,
    RefreshFinished,
    RefreshProgressed,
    SourceSelected,
    SyncFinished,
    SyncProgressed,
)
from tui.ui.reading import ReadingActions
from tui.ui.tools import ToolActions
from tui.ui.widgets.article import ArticleView
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.sources import SourceList

if TYPE_CHECKING:  # httpx is imported when the network is first needed
    import httpx
    from textual.command import Provider


def _palette() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from tui.ui.palette import NewsdeskCommands

    return NewsdeskCommands


BUSY = {
    True: "A refresh is running: the new sources are fetched when it ends.",
    False: "A refresh is already running.",
}


class NewsdeskApp(ToolActions, ReaderActions, ReadingActions, App[int]):
    """A small app: three panes plus the actions that need more than one of them."""

    CSS_PATH = "app.tcss"
    TITLE = "newsdesk"
    BINDINGS = [*keys.APP]
    COMMANDS = App.COMMANDS | {_palette}

    def __init__(
        self,
        ctx: Context,
        offline: bool = False,
        client: httpx.AsyncClient | None = None,
        demo: bool = False,
        first_page: FirstPage | None = None,
    ) -> None:
        super().__init__()
        self.first_page = first_page
        self.ctx = ctx
        self.store = ctx.store()
        self.config = ctx.config()
        self.offline = offline
        self.client = client
        self._own_client = False
        self.keymap_overrides = usable_keymap(self.config)
        self.refreshing = False
        # sources added while a refresh ran (None: all), fetched when it ends
        self.queued_refresh: list[int] | None | object = NOT_QUEUED
        self._first_load = True
        self._sources_requested = False
        self.opened_id: int | None = None
        self.search_base: View | None = None  # the view a running search narrows
        self.saved_theme = self.config.theme
        from tui.services.listing import rules_sql
        from tui.services.rules import parse_rules

        rules, self.rule_errors = parse_rules(self.config.rules)
        self.rules_sql = rules_sql(rules)
        if demo:
            self.sub_title = "demo"

    def compose(self) -> ComposeResult:
        # the width classes are set here: set later, they restyle every widget before the
        # first frame. The welcome pane is mounted only if the cache turns out to be empty.
        with Horizontal(id="body", classes=" ".join(width_classes(self.size.width))):
            sources = SourceList(self.store, saved_views(self.config.views), id="sources")
            sources.hidden = self.rules_sql
            yield sources
            with Container(id="main"):
                with Vertical(id="list-pane"):  # the SearchBar joins on the first search
                    yield self._headline_list()
                yield ArticleView(id="article")
        # the footer's row is kept from the first frame; the Footer itself (its CSS, its keys)
        # is mounted once the first headlines are painted
        yield Container(id="footer-slot")

    def _headline_list(self) -> HeadlineList:
        """The list, shaped by the config: stories folded, rules' hidden entries left out."""
        from tui.services.listing import listing_for

        lst = HeadlineList(self.store, id="headlines")
        config = self.config
        lst.shape = lambda view, show_hidden: listing_for(view, config, show_hidden)
        lst.river = config.river
        return lst

    def get_default_screen(self) -> Screen[None]:
        return _MainScreen(id="_default")

    @property
    def sources(self) -> SourceList:
        return self.query_one(SourceList)

    @property
    def headlines(self) -> HeadlineList:
        return self.query_one(HeadlineList)

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def body(self) -> Horizontal:
        return self.query_one("#body", Horizontal)

    def on_mount(self) -> None:
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.store.readonly:
            self.sub_title = "read-only cache"
            self.notify(
                clean_line(f"The cache {self.store.path} is read-only: reading only.", 300),
                severity="warning",
                markup=False,
                timeout=10,
            )
        for line in config_warnings(self.config, self.available_themes):
            self.notify(line, title="Config", severity="warning", markup=False, timeout=12)
        self._layout(self.size.width)
        self.headlines.border_title = ALL_UNREAD.label
        # the headlines' first page goes first; the sources and their counts follow its paint
        first, self.first_page = self.first_page, None
        self.headlines.show(ALL_UNREAD, first=first.result() if first else None)
        self.headlines.focus()
        CacheWatch(self).start()  # a refresh from cron or another shell shows up here too
        for error in self.rule_errors:  # a bad rule is skipped; the others apply
            self.notify(clean_line(error, 300), title="Rules", severity="warning", markup=False)

    def on_headline_list_view_loaded(self, _msg: HeadlineList.ViewLoaded) -> None:
        if not self._sources_requested:
            self._sources_requested = True
            self.call_after_refresh(self._after_first_page)

    async def _after_first_page(self) -> None:
        """The first headlines are on screen: now the sources pane and the footer."""
        if self.sources.source_count < 0:
            self.sources.load()
        await self.query_one("#footer-slot").mount(Footer(show_command_palette=False))
        self.refresh_bindings()  # the footer draws its keys when the bindings are announced

    def _ensure_client(self) -> httpx.AsyncClient:
        """The httpx client (and httpx's import) waits until the network is first needed;
        callers check `offline` first."""
        if self.client is None:
            import asyncio
            from concurrent.futures import ThreadPoolExecutor

            from tui.net.http import make_client

            # DNS lookups run in the loop's default executor, and so do Textual's thread
            # workers (opening an article): with asyncio's default of 6 threads here, six slow
            # lookups held every open back 5 s. A thread for every fetch in flight, and more.
            workers = self.config.concurrency + 8
            asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(workers))
            self.client = make_client(self.config.timeout, self.config.concurrency * 2)
            self._own_client = True
        return self.client

    async def on_unmount(self) -> None:
        if self._own_client and self.client is not None:
            await self.client.aclose()

    # -- layout -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        body = self.body
        classes = width_classes(width)
        for name in ("-wide", "-narrow", "-medium"):
            body.set_class(name in classes, name)
        if "-hide-sources" in classes and not body.has_class("-sources-shown"):
            body.add_class("-hide-sources")
        self.sources.styles.width = sources_width(width)
        self.call_after_refresh(self._focus_visible)

    @property
    def wide(self) -> bool:
        return self.body.has_class("-wide")

    def _set_reading(self, reading: bool) -> None:
        self.body.set_class(reading, "-reading")
        if reading and not self.wide:
            self.article.focus()
        elif not reading:
            self.headlines.focus()
        self.call_after_refresh(self._focus_visible)

    @property
    def article_visible(self) -> bool:
        return self.article.entry_id is not None and self.body.has_class("-reading")

    # -- sources and views ---------------------------------------------------------------

    async def on_source_list_loaded(self, msg: SourceList.Loaded) -> None:
        from tui.ui.widgets.welcome import WelcomePane

        empty = not msg.rows
        self._set_empty_hint(msg.rows)
        found = self.query(WelcomePane)
        welcome = found.first() if found else None
        if empty and welcome is None:
            welcome = WelcomePane(id="welcome")
            await self.query_one("#main", Container).mount(welcome, before=0)
        self.body.set_class(empty, "-welcome")
        in_welcome = welcome is not None and welcome.has_focus_within
        if empty and not in_welcome and welcome is not None:
            welcome.focus()
        elif not empty and (in_welcome or self.focused is None):
            self.headlines.focus()
        if self._first_load:
            self._first_load = False
            # start-up's objects live as long as the app: keep them out of the collector's
            # full passes (~35 ms each, a dropped frame now and then while moving the cursor)
            gc.freeze()
            gc.enable()  # cli disables it for start-up
            has_any = not empty or bool(self.config.accounts)
            read_only = self.store.readonly
            if has_any and not self.offline and self.config.refresh_on_start and not read_only:
                # the cache is painted first; only then does the network start
                self.call_after_refresh(self.refresh_sources)

    def on_source_selected(self, msg: SourceSelected) -> None:
        self._end_search()
        self.headlines.border_title = render.plain_title(msg.view.label or "Headlines", 60)
        self.headlines.show(msg.view)
        self._set_reading(False)

    def on_entries_changed(self, _msg: EntriesChanged) -> None:
        self.sources.load()

    def _sources_changed(self) -> None:
        self.sources.load()
        self.headlines.reload()

    # -- refresh ------------------------------------------------------------------------

    @work(group="refresh", exit_on_error=False)
    async def refresh_sources(
        self, source_ids: list[int] | None = None, queue_if_busy: bool = False
    ) -> None:
        """The same refresh as `newsdesk refresh`: feeds, then articles, then pruning. Not
        exclusive: a second call while one runs is refused (nothing cancels a prefetch), or
        with `queue_if_busy` (new sources) runs when the current one ends."""
        from tui.services.pipeline import RefreshRunning, run_refresh

        if self.offline:
            self.notify("Offline: not refreshing.", markup=False)
            return
        if self.store.readonly:
            self.notify("The cache is read-only: not refreshing.", markup=False)
            return
        if self.refreshing:
            if queue_if_busy:
                self.queued_refresh = join_refreshes(self.queued_refresh, source_ids)
            self.notify(BUSY[queue_if_busy], markup=False)
            return
        self.refreshing = True
        client = self._ensure_client()
        self.sources.show_progress(0, 1)

        last_at, last_phase = 0.0, ""  # when the last message went, and its phase

        def progress(done: int, total: int, phase: str) -> None:
            # At most ~10 a second (besides a phase's first and last): one message per feed
            # and page (8,000 for 200 feeds) queued ahead of the user's own messages held an
            # article open back by seconds.
            nonlocal last_at, last_phase
            now = time.monotonic()
            if done >= total or phase != last_phase or now - last_at >= 0.1:
                last_at, last_phase = now, phase
                self.post_message(RefreshProgressed(done, total, phase))

        try:
            await run_refresh(
                self.store,
                client,
                self.config,
                source_ids=source_ids,
                progress=lambda _r, done, total: progress(done, total, "refreshing"),
                prefetch_progress=lambda done, total: progress(done, total, "articles"),
                on_stored=lambda summary: self.post_message(RefreshFinished(summary)),
                sync_progress=lambda name, what: self.post_message(
                    SyncProgressed(f"{name}: {what}")
                ),
                on_synced=lambda results: self.post_message(SyncFinished(results)),
            )
        except RefreshRunning as exc:  # a cron refresh of the same cache: its entries will show
            self.notify(f"{str(exc).capitalize()}; not starting another.", markup=False)
        finally:
            self.refreshing = False
            self.sources.show_progress(1, 1)
            queued, self.queued_refresh = self.queued_refresh, NOT_QUEUED
            if queued is not NOT_QUEUED:
                self.refresh_sources(queued)

    def on_refresh_progressed(self, msg: RefreshProgressed) -> None:
        self.sources.show_progress(msg.done, msg.total, msg.phase)

    def on_refresh_finished(self, msg: RefreshFinished) -> None:
        summary = msg.summary
        self._sources_changed()
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
        self._sources_changed()
        failed = [r for r in msg.results if r.error]
        for r in failed:
            self.notify(clean_line(f"{r.name}: {r.error}", 300), title="Sync failed",
                        severity="error", timeout=10, markup=False)  # fmt: skip
        status = f"sync failed: {', '.join(r.name for r in failed)}" if failed else ""
        self.sources.show_status(status, keep=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            gc.enable()  # start-up is over, if not as planned (see on_source_list_loaded)
            if event.worker.group == "headlines" and not self._sources_requested:
                self._sources_requested = True
                self.call_later(self._after_first_page)
            error = event.worker.error
            self.notify(
                clean_line(f"{event.worker.name}: {type(error).__name__}: {error}", 300),
                title="Something went wrong",
                severity="error",
                markup=False,
            )


class _MainScreen(Screen[None]):
    # focused from the start: focusing the first focusable (the sources) and then moving
    # focus restyles both panes before the first frame
    AUTO_FOCUS = "HeadlineList"


def make_app(
    ctx: Context,
    offline: bool = False,
    client: httpx.AsyncClient | None = None,
    demo: bool = False,
    first_page: FirstPage | None = None,
) -> NewsdeskApp:
    """Build the app; tests pass an httpx client pointed at a loopback server."""
    return NewsdeskApp(ctx, offline=offline, client=client, demo=demo, first_page=first_page)


def run_app(
    ctx: Context, offline: bool = False, demo: bool = False, first_page: FirstPage | None = None
) -> int:
    """Run the reader until the user quits; returns the exit status."""
    app = make_app(ctx, offline=offline, demo=demo, first_page=first_page)
    app.run()
    return app.return_code or 0

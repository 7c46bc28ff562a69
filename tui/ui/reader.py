"""The reader screen: the panes and their state (reader_panes), reading (reader_reading), the
refresh and source tools (reader_sources), and here search, the links dialog and the layout
switches; marks pushed to their servers within seconds (reader_push). The app pushes this
one screen; dialogs open over it.

Every blocking step (HTML parsing, SQLite, the config file, the browser, the player) runs in a
named thread worker; the config file is only ever edited line by line (see configfile).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker, WorkerState

from tui.textclean import clean_line
from tui.ui import render
from tui.ui.reader_push import MarkPushing
from tui.ui.widgets.searchbar import SearchBar

if TYPE_CHECKING:  # the dialogs are imported when first opened, not on the start path
    from tui.ui.dialogs import LinkChosen


class ReaderScreen(MarkPushing):
    """The reader: every key of the footer and the help screen's "Everywhere" section that is
    not the app's own (quit, help, the palette, themes, focus)."""

    # -- search ---------------------------------------------------------------------------

    async def action_search(self) -> None:
        lst = self.headlines
        if self.state.search_base is None and lst.view is not None:
            self.state.search_base = lst.view
        self.body.remove_class("-reading")  # not set_reading: that focuses the list later
        self.state.reading = False
        bar = self.search_bar
        if bar is None:
            # awaited: keys typed right after "/" wait for it, then go to the search
            bar = SearchBar(id="search")
            await self.query_one("#list-pane").mount(bar, before=0)
        bar.open()

    def on_search_bar_search_changed(self, msg: SearchBar.SearchChanged) -> None:
        base = self.state.search_base
        if base is None:
            return
        from tui.services.desk import match_pattern, search_view  # first use: not on the start path

        view = search_view(msg.text, base=base) if msg.text else None
        lst = self.headlines
        lst.match = match_pattern(msg.text) if view is not None else None
        if view is None:
            bar = self.search_bar
            self.state.search_base = base if bar is not None and bar.active else None
            lst.border_title = render.plain_title(base.label or "Headlines", 60)
            lst.show(base)
        else:
            lst.border_title = render.plain_title(f"{base.label} · {view.label}", 60)
            lst.show(view)

    def on_search_bar_left(self, _msg: SearchBar.Left) -> None:
        bar = self.search_bar
        if bar is None or not bar.active:
            self.state.search_base = None
        self.headlines.focus()

    # -- the links dialog -------------------------------------------------------------------

    def action_links(self) -> None:
        entry_id = self.target_entry()
        if entry_id is None:
            self.notify("Choose an entry first.", markup=False)
        else:
            self._collect_links(entry_id)

    @work(thread=True, group="links", exclusive=True, exit_on_error=False)
    def _collect_links(self, entry_id: int) -> None:
        from tui.services.links import collect_links
        from tui.services.reader import cached_article

        entry = self.store.entry(entry_id)
        if entry is None:
            return
        view = cached_article(self.store, entry_id)
        links = collect_links(entry, view.article if view is not None else None)
        from tui.ui.dialogs import LinksScreen

        screen = LinksScreen(links, bool(self.config.player))
        self.app.call_from_thread(self.app.push_screen, screen, self._link_chosen)

    def _link_chosen(self, chosen: LinkChosen | None) -> None:
        if chosen is None:
            return
        url = chosen.link.url
        if chosen.verb == "copy":
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {clean_line(url, 200)}", markup=False)
        elif chosen.verb == "play":
            self._play(url)
        elif chosen.link.kind == "teaser":
            self.open_link_in_reader(url)  # a story the page lists: read it here
        else:
            self._open_url(url)

    @work(thread=True, group="link", exit_on_error=False)
    def _open_url(self, url: str) -> None:
        self.browse(url)

    @work(thread=True, group="player", exit_on_error=False)
    def _play(self, url: str) -> None:
        from tui.services.links import play

        try:
            play(self.config.player, url)
        except (OSError, ValueError) as exc:
            self.notify(
                clean_line(f"Cannot start the player: {exc}", 300), severity="error", markup=False
            )
            return
        self.notify(clean_line(f"Playing {url} in {self.config.player[0]}", 300), markup=False)

    # -- layouts ------------------------------------------------------------------------------

    def action_toggle_sources(self) -> None:
        """Hide the sources if they are on screen, else show them (whatever hid them: the
        width, or an article being read)."""
        body = self.body
        hide = bool(self.sources.display)
        body.set_class(hide, "-hide-sources")
        body.set_class(not hide, "-sources-shown")
        self.call_after_refresh(self.focus_visible)

    def action_toggle_river(self) -> None:
        river = not self.headlines.river
        self.headlines.set_river(river)
        self.session.replace_config(replace(self.config, river=river))
        self._save_setting("river", river)

    def action_toggle_hidden(self) -> None:
        self.headlines.toggle_hidden()

    @work(thread=True, group="config", exit_on_error=False)
    def _save_setting(self, key: str, value: bool) -> None:
        """Remembered in the config file: one top-level line, the rest of the file as it was."""
        from tui.settings.configfile import ConfigWriteError, rewrite, set_top_level

        if self.config.path is None:
            return
        try:
            rewrite(self.config.path, lambda text: set_top_level(text, key, value))
        except ConfigWriteError as exc:
            self.notify(clean_line(str(exc), 300), severity="warning", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            gc.enable()  # start-up is over, if not as planned (see _started)
            error = event.worker.error
            self.notify(
                clean_line(f"{event.worker.name}: {type(error).__name__}: {error}", 300),
                title="Something went wrong",
                severity="error",
                markup=False,
            )

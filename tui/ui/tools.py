"""Search, the links screen, themes and per-source settings (a mixin for the app, like actions).

Every blocking step (HTML parsing, SQLite, the config file, the browser, the player) runs in a
named thread worker; the config file is only ever edited line by line (see configfile).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from textual import work

from tui.textclean import clean_line
from tui.ui import render
from tui.ui.actions import ReaderActions
from tui.ui.widgets.searchbar import SearchBar

if TYPE_CHECKING:  # the dialogs are imported when first opened, not on the start path
    from textual.theme import Theme

    from tui.ui.dialogs import LinkChosen, SourceSettings


def source_changes(config, s) -> dict:
    """What the config's [sources."URL"] table must say for the dialog's values to stay:
    prefetch and interval only where they differ from what applies now (no unchanged defaults
    written), and title and folder where the config sets them (it wins over the cache at the
    next start; None removes the key when the dialog cleared it)."""
    changes: dict = {}
    if s.prefetch != bool(config.source_setting(s.url, "prefetch", config.prefetch)):
        changes["prefetch"] = s.prefetch
    if s.interval != int(config.interval(s.url) // 60):
        changes["refresh_interval"] = s.interval
    table = config.settings_for(s.url)
    for key in ("title", "folder"):
        if key in table and table[key] != getattr(s, key):
            changes[key] = getattr(s, key)
    return changes


class ToolActions(ReaderActions):
    """Mixed into NewsdeskApp; `self` is the app (see host.AppHost). It uses the reader's
    actions' notion of the current entry and source."""

    # -- search ---------------------------------------------------------------------------

    @property
    def search_bar(self) -> SearchBar | None:
        """The search input; None until the first search mounts it (it is not on the start
        path: an Input's CSS and parts cost the first frame several milliseconds)."""
        found = self.query(SearchBar)
        return found.first() if found else None

    async def action_search(self) -> None:
        lst = self.headlines
        if self.search_base is None and lst.view is not None:
            self.search_base = lst.view
        self.body.remove_class("-reading")  # not _set_reading: that focuses the list later
        bar = self.search_bar
        if bar is None:
            # awaited: keys typed right after "/" wait for it, then go to the search
            bar = SearchBar(id="search")
            await self.query_one("#list-pane").mount(bar, before=0)
        bar.open()

    def on_search_bar_search_changed(self, msg: SearchBar.SearchChanged) -> None:
        base = self.search_base
        if base is None:
            return
        from tui.store.search import match_pattern, search_view  # first use: not on the start path

        view = search_view(msg.text, base=base) if msg.text else None
        lst = self.headlines
        lst.match = match_pattern(msg.text) if view is not None else None
        if view is None:
            bar = self.search_bar
            self.search_base = base if bar is not None and bar.active else None
            self.headlines.border_title = render.plain_title(base.label or "Headlines", 60)
            lst.show(base)
        else:
            self.headlines.border_title = render.plain_title(f"{base.label} · {view.label}", 60)
            lst.show(view)

    def on_search_bar_left(self, _msg: SearchBar.Left) -> None:
        bar = self.search_bar
        if bar is None or not bar.active:
            self.search_base = None
        self.headlines.focus()

    def _end_search(self) -> None:
        """A new view was chosen: the search does not carry over."""
        bar = self.search_bar
        if bar is not None:
            bar.reset()
        self.search_base = None
        self.headlines.match = None

    # -- links ----------------------------------------------------------------------------

    def action_links(self) -> None:
        entry_id = self._current_entry_id()
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

        self.call_from_thread(
            self.push_screen, LinksScreen(links, bool(self.config.player)), self._link_chosen
        )

    def _link_chosen(self, chosen: LinkChosen | None) -> None:
        if chosen is None:
            return
        url = chosen.link.url
        if chosen.verb == "copy":
            self.copy_to_clipboard(url)
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

    # -- themes ---------------------------------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.saved_theme:
            self.saved_theme = theme.name
            self._save_theme(theme.name)

    @work(thread=True, group="config", exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        from tui.settings import configfile

        path = self.config.path
        if path is None:
            return
        try:
            configfile.rewrite(path, lambda text: configfile.set_top_level(text, "theme", name))
        except configfile.ConfigWriteError as exc:
            self.notify(clean_line(str(exc), 300), severity="error", markup=False)
            return
        self.config.theme = name

    # -- per-source settings --------------------------------------------------------------

    def _current_source_row(self) -> sqlite3.Row | None:
        """The source the keys act on (see _source_id_of_current); says so when there is none.
        Called from thread workers."""
        source_id = self._source_id_of_current()
        row = self.store.source_by_id(source_id) if source_id is not None else None
        if row is None:
            self.notify("Choose a source or an entry first.", markup=False)
        return row

    def action_edit_source(self) -> None:
        self._open_source_settings()

    @work(thread=True, group="source-settings", exclusive=True, exit_on_error=False)
    def _open_source_settings(self) -> None:
        row = self._current_source_row()
        if row is None:
            return
        from tui.ui.dialogs import EditSourceScreen, SourceSettings

        url = row["url"]
        cfg = self.config
        current = SourceSettings(
            url,
            row["title_override"],
            row["folder"],
            bool(cfg.source_setting(url, "prefetch", cfg.prefetch)),
            int(cfg.interval(url) // 60),
        )
        screen = EditSourceScreen(current, row["title"] or url)
        self.call_from_thread(self.push_screen, screen, self._source_edited)

    def _source_edited(self, settings: SourceSettings | None) -> None:
        if settings is not None:
            self._save_source_settings(settings)

    @work(thread=True, group="source-settings", exit_on_error=False)
    def _save_source_settings(self, s: SourceSettings) -> None:
        from tui.settings import configfile

        url = s.url
        if s.new_url is not None:
            if self.store.source(s.new_url) is not None:
                self.notify(clean_line(f"Already subscribed to {s.new_url}.", 300), markup=False)
                return
            self.store.move_source(url, s.new_url)
            # a new address: its validators and last error belonged to the old one
            self.store.update_source(
                s.new_url, etag=None, last_modified=None, last_error=None, retry_after=None
            )
            url = s.new_url
        self.store.update_source(url, title_override=s.title, folder=s.folder)
        values = source_changes(self.config, s)

        def edit(text: str) -> str:
            if url != s.url:
                text = configfile.rename_source_table(text, s.url, url)
            return configfile.set_source_table(text, url, values)

        path = self.config.path
        if path is not None and (values or (url != s.url and s.url in self.config.sources)):
            try:
                configfile.rewrite(path, edit)
            except configfile.ConfigWriteError as exc:
                self.notify(clean_line(str(exc), 300), severity="error", markup=False)
        if url != s.url:
            self.config.sources[url] = self.config.sources.pop(s.url, {})
        table = self.config.sources.setdefault(url, {})
        table.update({k: v for k, v in values.items() if v is not None})
        for key in [k for k, v in values.items() if v is None]:
            table.pop(key, None)
        self.call_from_thread(self._sources_changed)
        self.notify(clean_line(f"Saved settings for {s.title or url}.", 200), markup=False)
        if url != s.url and not self.offline:
            self.call_from_thread(self._refresh_url, url)

    # -- a source's details, removing one -------------------------------------------------

    def action_source_info(self) -> None:
        self._open_source_info()

    @work(thread=True, group="source-settings", exclusive=True, exit_on_error=False)
    def _open_source_info(self) -> None:
        from tui.ui.dialogs import SourceInfoScreen
        from tui.ui.source_facts import source_facts

        row = self._current_source_row()
        if row is None:
            return
        facts = source_facts(row, self.config)
        name = row["title_override"] or row["title"] or row["url"]
        self.call_from_thread(self.push_screen, SourceInfoScreen(name, facts))

    def action_remove_source(self) -> None:
        self._ask_remove_source()

    @work(thread=True, group="source-settings", exclusive=True, exit_on_error=False)
    def _ask_remove_source(self) -> None:
        from rich.text import Text

        from tui.ui.dialogs import ConfirmScreen

        row = self._current_source_row()
        if row is None:
            return
        url = row["url"]
        count = self.store.source_entry_count(row["id"])
        name = clean_line(row["title_override"] or row["title"] or url, 120)
        question = Text(f"Unsubscribe from {name}\n")
        question.append(clean_line(url, 300) + "\n", style="dim")
        question.append(f"and delete its {count} cached entries (starred ones too)?")
        screen = ConfirmScreen("Remove source", question, "Remove")

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove_source(url, name)

        self.call_from_thread(self.push_screen, screen, answered)

    @work(thread=True, group="source-settings", exit_on_error=False)
    def _remove_source(self, url: str, name: str) -> None:
        if not self.store.remove_source(url):
            return
        opened = self.article.entry_id
        gone = opened is not None and self.store.entry(opened) is None
        self.call_from_thread(self._source_removed, name, gone)

    def _source_removed(self, name: str, article_gone: bool) -> None:
        from tui.store.views import ALL_UNREAD

        self.notify(f"Removed {name}.", markup=False)
        view = self.headlines.view
        if view is not None and view.kind in ("source", "source_unread"):
            self.headlines.border_title = ALL_UNREAD.label
            self.headlines.show(ALL_UNREAD)
        if article_gone:  # it was reading an entry of the source just removed
            self._set_reading(False)
            self.article.clear()
            self.opened_id = None
        self._sources_changed()

"""The app's key actions (a mixin, so app.py keeps to wiring and workers)."""

from __future__ import annotations

import os
import sys
import webbrowser
from typing import TYPE_CHECKING

from textual import work

from tui.textclean import clean_line, safe_url
from tui.ui.host import AppHost
from tui.ui.messages import EntriesChanged

if TYPE_CHECKING:
    from tui.services.subscribe import Added

NO_BROWSER = "No browser available; press y to copy the link."

# The dialogs and screens are imported when first opened: they are not on the start path.


def starter_feeds() -> list[tuple[str, str, str]]:
    """The shipped starter set, or none if this build has no `tui.services.starter`."""
    try:
        from tui.services.starter import STARTER_FEEDS
    except ImportError:
        return []
    return list(STARTER_FEEDS)


def browser_available() -> bool:
    """Only a graphical browser: a console one (lynx, w3m) would fight us for the terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class ReaderActions(AppHost):
    """Mixed into NewsdeskApp; `self` is the app (see host.AppHost)."""

    # -- which entry an action applies to --------------------------------------------------

    def _current_entry_id(self) -> int | None:
        article = self.article
        if article.entry_id is not None and (
            article.has_focus or self.body.has_class("-reading") and not self.wide
        ):
            return article.entry_id
        return self.headlines.selected_id or article.entry_id

    # -- reading ---------------------------------------------------------------------------

    def action_page_article(self) -> None:
        """Page the open article; at its end, open the next unread entry."""
        if not self.article_visible:
            self.headlines.action_open()
        elif self.article.at_end:
            self.action_next_unread()
        else:
            self.article.page_down()

    def action_next_unread(self) -> None:
        self._goto_unread(True)

    def action_prev_unread(self) -> None:
        self._goto_unread(False)

    @work(thread=True, group="navigate", exclusive=True, exit_on_error=False)
    def _goto_unread(self, forward: bool) -> None:
        lst = self.headlines
        if lst.view is None:
            return
        pos = self.store.next_unread(lst.queried_view, lst.cursor, forward)
        self.call_from_thread(self._arrive, pos)

    def _arrive(self, pos: int | None) -> None:
        if pos is None:
            self.notify("No more unread entries here.", markup=False)
            return
        self.headlines.move_to(pos)
        entry_id = self.headlines.selected_id
        if entry_id is not None:
            self.open_entry(entry_id)

    def story_members(self, entry_id: int) -> list[int]:
        """Marking a folded story's row read marks its other entries too (cluster_read "all");
        marking it unread, or any member, touches that entry only."""
        if self.config.cluster_read != "all":
            return []
        return self.headlines.story_members(entry_id)

    def action_toggle_read(self) -> None:
        entry_id = self._current_entry_id()
        row = self.headlines.cached_row(entry_id) if entry_id is not None else None
        if row is not None:
            read = not bool(row.read)
            self.headlines.update_row(row.id, read=read)
            self._write_read([row.id, *(self.story_members(row.id) if read else [])], read)

    def action_toggle_star(self) -> None:
        entry_id = self._current_entry_id()
        row = self.headlines.cached_row(entry_id) if entry_id is not None else None
        if row is not None:
            starred = not row.starred
            self.headlines.update_row(row.id, starred=starred)
            self._write_star(row.id, starred)

    @work(thread=True, group="mark", exit_on_error=False)
    def action_mark_all_read(self) -> None:
        if self.headlines.view is None:
            return
        shown = self.call_from_thread(lambda: self.headlines.newest_loaded_id)
        n = self.store.mark_view_read(self.headlines.queried_view, max_id=shown)  # not hidden ones
        self.call_from_thread(self._marked_all, n)

    def _marked_all(self, n: int) -> None:
        lst = self.headlines
        if lst.view is not None and lst.view.kind in ("unread", "source_unread"):
            lst.reload(drop_kept=True)  # the view is empty now: no stale rows kept
        else:
            lst.mark_all_read_locally()
        self.post_message(EntriesChanged())
        self.notify(f"Marked {n} entries read.", markup=False)

    # -- links ------------------------------------------------------------------------------

    @work(thread=True, group="link", exclusive=True, exit_on_error=False)
    def action_open_link(self) -> None:
        url = self._link_of_current()
        if url is None:
            return
        if not browser_available() or not webbrowser.open(url):
            self.notify(NO_BROWSER, severity="warning", markup=False)

    @work(thread=True, group="link", exclusive=True, exit_on_error=False)
    def action_copy_link(self) -> None:
        url = self._link_of_current()
        if url is not None:
            self.call_from_thread(self.copy_to_clipboard, url)
            self.notify(f"Copied {clean_line(url, 200)}", markup=False)

    def _link_of_current(self) -> str | None:
        """Blocking: the current entry's link if it is a safe http(s) URL (else say so)."""
        entry_id = self.call_from_thread(self._current_entry_id)
        entry = self.store.entry(entry_id) if entry_id is not None else None
        url = safe_url(entry["link"]) if entry is not None else None
        if entry is not None and url is None:
            self.notify("This entry has no http(s) link.", markup=False)
        return url

    # -- sources ----------------------------------------------------------------------------

    def action_refresh_all(self) -> None:
        self.refresh_sources()

    @work(thread=True, group="refresh-target", exit_on_error=False)
    def action_refresh_source(self) -> None:
        source_id = self._source_id_of_current()
        if source_id is None:
            self.notify("Choose a source or an entry to refresh.", markup=False)
        else:
            self.call_from_thread(self.refresh_sources, [source_id])

    def _source_id_of_current(self) -> int | None:
        """The source shown in the sources pane (when it has focus) or in the list, else the
        source of the current entry."""
        source_id = self.call_from_thread(
            lambda: self.sources.current_source_id if self.sources.has_focus else None
        )
        if source_id is None and self.headlines.view is not None:
            source_id = self.headlines.view.source_id
        if source_id is not None:
            return int(source_id)
        entry_id = self.call_from_thread(self._current_entry_id)
        entry = self.store.entry(entry_id) if entry_id is not None else None
        return int(entry["source_id"]) if entry else None

    def action_add_source(self) -> None:
        from tui.ui.screens import AddSourceScreen

        self.push_screen(AddSourceScreen(), self._source_added)

    def _source_added(self, added: Added | None) -> None:
        if added is None:
            return
        name = clean_line(added.title or added.url, 120)
        if added.already:
            self.notify(f"Already subscribed to {name}.", markup=False)
        else:
            self.notify(f"Subscribed to {name} ({added.new_entries} entries).", markup=False)
        self._sources_changed()

    def action_import_file(self) -> None:
        from tui.ui.screens import ImportScreen

        self.push_screen(ImportScreen(), self._imported)

    def _imported(self, result: tuple[int, int, list[str]] | None) -> None:
        """(added, duplicates, notes: lines that were not feeds, where a file broke off)."""
        if result is None:
            return
        added, skipped, notes = result
        self.notify(f"Imported {added} sources, skipped {skipped} duplicates.", markup=False)
        for note in notes:
            self.notify(clean_line(note, 300), severity="warning", markup=False, timeout=10)
        self._sources_changed()
        if added and not self.offline:
            self.refresh_sources()

    @work(thread=True, group="subscribe", exclusive=True, exit_on_error=False)
    def action_subscribe_starter(self) -> None:
        feeds = starter_feeds()
        if not feeds:
            self.notify("This build has no starter feeds.", markup=False)
            return
        added = sum(1 for title, url, folder in feeds if self.store.add_source(url, title, folder))
        self.call_from_thread(self._imported, (added, len(feeds) - added, []))

    def action_toggle_sources(self) -> None:
        body = self.body
        hidden = not body.has_class("-hide-sources")
        body.set_class(hidden, "-hide-sources")
        body.set_class(not hidden, "-sources-shown")
        if hidden and self.sources.has_focus:
            self.headlines.focus()

    # -- layouts -----------------------------------------------------------------------------

    def action_toggle_river(self) -> None:
        river = not self.headlines.river
        self.headlines.set_river(river)
        self._save_setting("river", river)

    def action_toggle_hidden(self) -> None:
        lst = self.headlines
        lst.set_show_hidden(not lst.show_hidden)
        if not lst.hidden_count and lst.show_hidden:
            self.notify("No rule hides anything here.", markup=False)

    @work(thread=True, group="config", exit_on_error=False)
    def _save_setting(self, key: str, value: bool) -> None:
        """Remembered in the config file: one top-level line, the rest of the file as it was."""
        from tui.settings.configfile import ConfigWriteError, rewrite, set_top_level

        setattr(self.config, key, value)
        if self.config.path is None:
            return
        try:
            rewrite(self.config.path, lambda text: set_top_level(text, key, value))
        except ConfigWriteError as exc:
            self.notify(clean_line(str(exc), 300), severity="warning", markup=False)

    def action_help(self) -> None:
        from tui.ui.screens import HelpScreen

        self.push_screen(HelpScreen(self.keymap_overrides))

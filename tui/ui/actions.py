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

NO_BROWSER = (
    'No browser available; press y to copy the link, or set browser = ["w3m", "%u"] in the config.'
)

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
        """The entry a key acts on: the open article while one is shown (the cursor may have
        moved on beside it), else the highlighted headline."""
        if self.article_visible:
            return self.article.entry_id
        return self.headlines.selected_id

    # -- what is on screen ------------------------------------------------------------------

    def _focus_visible(self) -> None:
        """Keys act on what is on screen: when the focused pane was hidden (a resize, the
        article taking the whole width), focus moves to the pane that is shown."""
        if self.screen is not self.screen_stack[0] or self.body.has_class("-welcome"):
            return
        focused = self.focused
        if focused is not None and all(node.display for node in focused.ancestors_with_self):
            return
        if self.article_visible and self.article.display:
            self.article.focus()
        else:
            self.headlines.focus()

    def action_list_escape(self) -> None:
        """escape in the list: clear a search first, else close the open article."""
        bar = self.search_bar
        if bar is not None and bar.active:
            bar.action_clear()
        elif self.body.has_class("-reading"):
            self._set_reading(False)

    def _set_empty_hint(self, rows: list) -> None:
        """When no source has any entry yet, the empty list says why."""
        hint = ""
        if rows and not any(r["entries"] for r in rows):
            failed = sum(1 for r in rows if r["last_error"])
            if self.offline:
                hint = "No entries yet: offline, nothing was fetched (R refreshes when online)."
            elif failed:
                hint = f"No entries yet: {failed} of {len(rows)} sources failed (e shows why)."
            else:
                hint = "No entries yet: R fetches them."
        if hint != self.headlines.empty_hint:
            self.headlines.empty_hint = hint
            self.headlines.refresh()

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
        start = lst.cursor
        if forward and lst.new_above:
            start = -1  # new entries arrived above: the skim goes on with the newest
        elif forward and self.opened_id != lst.selected_id:
            start -= 1  # the highlighted row itself, when it is unread and not yet open
        pos = self.store.next_unread(lst.queried_view, start, forward)
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
        self._toggle(self._current_entry_id(), "read")

    def action_toggle_star(self) -> None:
        self._toggle(self._current_entry_id(), "starred")

    def _toggle(self, entry_id: int | None, flag: str) -> None:
        """Flip read or starred; the state comes from the list's cached row, or from the store
        when the open article's row has scrolled out of the cached pages."""
        if entry_id is None:
            return
        row = self.headlines.cached_row(entry_id)
        if row is None:
            self._toggle_uncached(entry_id, flag)
        else:
            self._set_flag(entry_id, flag, not getattr(row, flag))

    @work(thread=True, group="mark", exit_on_error=False)
    def _toggle_uncached(self, entry_id: int, flag: str) -> None:
        entry = self.store.entry(entry_id)
        if entry is not None:
            self.call_from_thread(self._set_flag, entry_id, flag, not entry[flag])

    def _set_flag(self, entry_id: int, flag: str, value: bool) -> None:
        if flag == "read":
            self.headlines.update_row(entry_id, read=value)
            # a folded story's row marks its other entries read too (never unread)
            self._write_read([entry_id, *(self.story_members(entry_id) if value else [])], value)
        else:
            self.headlines.update_row(entry_id, starred=value)
            self._write_star(entry_id, value)

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
        self.browse(url)

    def browse(self, url: str) -> None:
        """Open `url` (from a worker thread): in the configured `browser` with the reader
        suspended, else in the desktop's browser; only http(s) links, never through a shell."""
        if safe_url(url) is None:
            self.notify("Only http(s) links are opened.", markup=False)
        elif self.config.browser:
            self.call_from_thread(self._run_browser, url)
        elif not browser_available() or not webbrowser.open(url):
            self.notify(NO_BROWSER, severity="warning", markup=False)

    def _run_browser(self, url: str) -> None:
        import subprocess

        from textual.app import SuspendNotSupported

        from tui.services.links import browser_command

        argv = browser_command(self.config.browser, url)
        try:
            try:
                with self.suspend():  # a console browser takes the terminal until it quits
                    subprocess.run(argv, check=False)
            except SuspendNotSupported:  # no terminal to hand over (a headless run)
                subprocess.run(argv, check=False, stdin=subprocess.DEVNULL)
        except OSError as exc:
            message = clean_line(f"Cannot start the browser {argv[0]}: {exc.strerror or exc}", 300)
            self.notify(message, severity="error", markup=False)

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

    @work(thread=True, group="refresh-target", exit_on_error=False)
    def _refresh_url(self, url: str) -> None:
        row = self.store.source(url)
        if row is not None:
            self.call_from_thread(self.refresh_sources, [int(row["id"])], True)

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
        n = added.new_entries
        if added.already:
            self.notify(f"Already subscribed to {name}.", markup=False)
        elif added.unchecked:
            self.notify(f"Added {name}; its feed could not be fetched yet.", markup=False)
        else:
            entries = f"{n} {'entry' if n == 1 else 'entries'}"
            found = clean_line(added.url, 200)
            if added.discovered_from:  # say which feed the page led to
                page = clean_line(added.discovered_from, 200)
                found = f"the feed {found}, found on {page}"
            note = f" {clean_line(added.note, 200)}." if added.note else ""
            self.notify(f"Subscribed to {name}: {found} ({entries}).{note}", markup=False)
        self._sources_changed()
        if added.unchecked and not added.already and not self.offline:
            self._refresh_url(added.url)  # records why it fails: "!" and e show it

    def action_import_file(self) -> None:
        from tui.ui.screens import ImportScreen

        self.push_screen(ImportScreen(), self._imported)

    def _imported(self, result: tuple[int, int, list[str]] | None) -> None:
        """(added, duplicates, notes: lines that were not feeds, where a file broke off)."""
        if result is None:
            return
        added, skipped, notes = result
        sources = f"{added} {'source' if added == 1 else 'sources'}"
        duplicates = f"{skipped} {'duplicate' if skipped == 1 else 'duplicates'}"
        self.notify(f"Imported {sources}, skipped {duplicates}.", markup=False)
        for note in notes:
            self.notify(clean_line(note, 300), severity="warning", markup=False, timeout=10)
        self._sources_changed()
        if added and not self.offline:
            self.refresh_sources(queue_if_busy=True)

    @work(thread=True, group="subscribe", exclusive=True, exit_on_error=False)
    def action_subscribe_starter(self) -> None:
        feeds = starter_feeds()
        if not feeds:
            self.notify("This build has no starter feeds.", markup=False)
            return
        added = sum(1 for title, url, folder in feeds if self.store.add_source(url, title, folder))
        self.call_from_thread(self._imported, (added, len(feeds) - added, []))

    def action_toggle_sources(self) -> None:
        """Hide the sources if they are on screen, else show them (whatever hid them: the
        width, or an article being read)."""
        body = self.body
        hide = bool(self.sources.display)
        body.set_class(hide, "-hide-sources")
        body.set_class(not hide, "-sources-shown")
        self.call_after_refresh(self._focus_visible)

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

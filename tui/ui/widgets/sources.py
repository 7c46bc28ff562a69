"""The sources pane: All unread, Starred, Today and the saved views from the config, then
folders and their sources with unread counts.

A source whose last refresh failed shows "!"; `e` shows its error. The border subtitle is the
refresh progress indicator.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.store import Store
from tui.textclean import clean_line
from tui.ui import keys
from tui.ui.messages import SourceSelected
from tui.views import ALL_UNREAD, STARRED, TODAY, View


class SourceList(OptionList):
    """Views to choose from. Option ids: "unread", "starred", "today", "view:N" (saved views),
    "folder:NAME", "source:ID"."""

    BINDINGS = keys.SOURCES
    DEFAULT_CSS = """
    SourceList { width: 30; height: 1fr; border: round $panel; background: $surface;
        text-wrap: nowrap; text-overflow: ellipsis; }
    SourceList:focus { border: round $accent; }
    """

    class Loaded(Message):
        def __init__(self, rows: list, unread: int, starred: int, counts: list[int]) -> None:
            super().__init__()
            self.rows, self.unread, self.starred = rows, unread, starred
            self.counts = counts  # entries in Today and each saved view, in order

    def __init__(self, store: Store, saved: list[View] | None = None, **kw) -> None:
        super().__init__(**kw)
        self.store = store
        self.saved = [TODAY, *(saved or [])]
        self.views: dict[str, View] = {}
        self.errors: dict[str, str] = {}
        self.source_count = -1  # unknown until the first load
        self.border_title = "Sources"

    @work(thread=True, group="sources", exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Re-read sources and counts (blocking SQLite, so in a thread)."""
        rows = self.store.sources()
        counts = [self.store.count(view) for view in self.saved]
        self.post_message(self.Loaded(rows, self.store.unread_total(), self.store.starred_total(),
                                      counts))

    def on_source_list_loaded(self, msg: Loaded) -> None:
        # not stopped: the app also learns whether there are sources at all
        keep = self.highlighted_option.id if self.highlighted_option is not None else "unread"
        self.source_count = len(msg.rows)
        options = [self._option("unread", ALL_UNREAD, "All unread", msg.unread),
                   self._option("starred", STARRED, "Starred", msg.starred)]
        for i, (view, count) in enumerate(zip(self.saved, msg.counts)):
            oid = "today" if view is TODAY else f"view:{i}"
            options.append(self._option(oid, view, view.label, count))
        self.errors = {}
        folder = None
        for row in msg.rows:
            if row["folder"] and row["folder"] != folder:
                folder = row["folder"]
                unread = sum(r["unread"] for r in msg.rows if r["folder"] == folder)
                options.append(self._option(f"folder:{folder}", View("folder", folder=folder),
                                            f"▸ {folder}", unread))
            options.append(self._source_option(row))
        ids = [o.id for o in options]
        self.set_options(options)
        self.highlighted = ids.index(keep) if keep in ids else 0

    def _option(self, oid: str, view: View, label: str, count: int, mark: str = " ",
                indent: str = "") -> Option:
        self.views[oid] = replace(view, label=clean_line(label, 100))
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(mark, style="bold red" if mark == "!" else "dim")
        text.append(indent + clean_line(label, 100), style="bold" if count else "")
        if count:
            text.append(f" {count}", style="dim")
        return Option(text, id=oid)

    def _source_option(self, row) -> Option:
        oid = f"source:{row['id']}"
        if row["last_error"]:
            self.errors[oid] = clean_line(row["last_error"], 300)
        mark = "!" if row["last_error"] else " "
        indent = "  " if row["folder"] else ""
        view = View("source", source_id=row["id"])
        return self._option(oid, view, row["display_title"], row["unread"], mark, indent)

    @property
    def current_source_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or not (option.id or "").startswith("source:"):
            return None
        return self.views[option.id].source_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.views:
            self.post_message(SourceSelected(self.views[event.option.id]))

    def action_show_error(self) -> None:
        option = self.highlighted_option
        error = self.errors.get(option.id or "") if option is not None else None
        if error:
            self.notify(error, title="Last refresh failed", severity="error", markup=False,
                        timeout=10)
        else:
            self.notify("No error for this source.", markup=False)

    def show_progress(self, done: int, total: int) -> None:
        self.border_subtitle = f"refreshing {done}/{total}" if done < total else ""

"""The sources pane: the Front page, All unread, Starred, Today and the saved views from the
config, then folders and their sources with unread counts.

A source whose last refresh failed shows "!"; `e` shows its error. The border subtitle is the
refresh progress indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.services.desk import (
    ALL_UNREAD,
    FRONT,
    STARRED,
    TODAY,
    Listing,
    RulesSQL,
    SourceRow,
    Store,
    View,
    sources_counted,
    unread_in,
    unread_total,
)
from tui.textclean import clean_line
from tui.ui import keys, render
from tui.ui.messages import SourceSelected


class SourceList(OptionList):
    """Views to choose from. Option ids: "front", "unread", "starred", "today", "view:N" (saved
    views), "folder:NAME", "source:ID"."""

    BINDINGS = [*keys.SOURCES]
    DEFAULT_CSS = """
    SourceList { width: 28; height: 1fr; border: round $foreground 35%; background: $surface;
        text-wrap: nowrap; text-overflow: ellipsis; }
    SourceList:focus { border: heavy $accent; }
    """

    class Loaded(Message):
        def __init__(
            self,
            rows: list[SourceRow],
            unread: int,
            starred: int,
            counts: list[int],
            built: _Built | None = None,
        ) -> None:
            super().__init__()
            self.rows, self.unread, self.starred = rows, unread, starred
            self.counts = counts  # entries in Today and each saved view, in order
            self.built = built  # the options, made in the worker thread

    def __init__(self, store: Store, saved: list[View] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.store = store
        self.saved = [TODAY, *(saved or [])]
        self.views: dict[str, View] = {}
        self.errors: dict[str, str] = {}
        self.source_count = -1  # unknown until the first load
        self.hidden: RulesSQL | None = None  # rules' hidden entries: not counted
        self.status = ""  # what the border shows when no refresh is running
        # stories on the front page (set by the app: it ranks under the config); in the worker
        self.count_front: Callable[[Store], int] | None = None
        self.collapsed: set[str] = set()  # folders whose sources are not listed (h / l)
        self.border_title = "Sources"

    @work(thread=True, group="sources", exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Re-read sources and counts (blocking SQLite, so in a thread), and build the options
        here too: 1,250 sources are ~50 ms of Text that the UI thread need not spend."""
        hidden = self.hidden
        rows = sources_counted(self.store, hidden)
        # every number in the pane is an unread count (Today's and Starred's too)
        counts = [unread_in(self.store, Listing(view, hidden=hidden)) for view in self.saved]
        unread = unread_total(self.store, hidden)
        starred = unread_in(self.store, Listing(STARRED, hidden=hidden))
        front = self.count_front(self.store) if self.count_front is not None else 0
        built = _build(self.saved, rows, unread, starred, counts, front, frozenset(self.collapsed))
        self.post_message(self.Loaded(rows, unread, starred, counts, built))

    def on_source_list_loaded(self, msg: Loaded) -> None:
        # not stopped: the app also learns whether there are sources at all
        keep = self.highlighted_option.id if self.highlighted_option is not None else "unread"
        self.source_count = len(msg.rows)
        built = msg.built or _build(self.saved, msg.rows, msg.unread, msg.starred, msg.counts, 0)
        self.views, self.errors = built.views, built.errors
        if self._same_ids(built.options):
            self._update_prompts(built.options)  # counts changed: no rebuild, cursor stays put
            return
        ids = [o.id for o in built.options]
        self.set_options(built.options)
        self.highlighted = ids.index(keep) if keep in ids else 0

    def _same_ids(self, options: list[Option]) -> bool:
        return len(options) == self.option_count and all(
            o.id == self.get_option_at_index(i).id for i, o in enumerate(options)
        )

    def _update_prompts(self, options: list[Option]) -> None:
        for i, new in enumerate(options):
            if self.get_option_at_index(i).prompt != new.prompt:
                self.replace_option_prompt_at_index(i, new.prompt)

    def _update_lines(self) -> None:
        # OptionList measures every option's height through a Visual (0.4 s for 1,250 sources,
        # again after each prompt change); ours are one no-wrap line each, so line i is option i.
        if not self.scrollable_content_region:
            return
        cache, count = self._line_cache, len(self.options)
        start = len(cache.lines)
        if start < count:
            cache.lines.extend((i, 0) for i in range(start, count))
            cache.heights.update(dict.fromkeys(range(start, count), 1))
            cache.index_to_line.update({i: i for i in range(start, count)})
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        size = Size(width, count)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    @property
    def current_source_id(self) -> int | None:
        option = self.highlighted_option
        option_id = option.id if option is not None else None
        if option_id is None or not option_id.startswith("source:"):
            return None
        return self.views[option_id].source_id

    def next_source(self, source_id: int | None, forward: bool, unread: bool) -> View | None:
        """The source after (before) `source_id` in the pane's order (from the top when None),
        only one with unread entries when `unread`; it is highlighted. None at the end."""
        ids = [self.get_option_at_index(i).id for i in range(self.option_count)]
        here = f"source:{source_id}"
        start = ids.index(here) if here in ids else (-1 if forward else len(ids))
        order = range(start + 1, len(ids)) if forward else range(start - 1, -1, -1)
        for i in order:
            option = self.get_option_at_index(i)
            prompt = option.prompt
            if option.id and option.id.startswith("source:") and option.id in self.views:
                if not unread or (isinstance(prompt, SourceLine) and prompt.count > 0):
                    self.highlighted = i
                    return self.views[option.id]
        return None

    def action_collapse_folder(self) -> None:
        self._fold(True)

    def action_expand_folder(self) -> None:
        self._fold(False)

    def _fold(self, collapse: bool) -> None:
        """h / left collapses the highlighted folder (or the one the highlighted source is in),
        l / right expands it; the pane is rebuilt with the cursor on the folder."""
        index = self.highlighted
        if index is None:
            return
        while index > 0:
            option = self.get_option_at_index(index)
            in_folder = isinstance(option.prompt, SourceLine) and bool(option.prompt.indent)
            if (option.id or "").startswith("folder:") or not in_folder:
                break
            index -= 1
        folder_id = self.get_option_at_index(index).id or ""
        if not folder_id.startswith("folder:"):
            return
        name = folder_id.removeprefix("folder:")
        if collapse == (name in self.collapsed):
            return
        (self.collapsed.add if collapse else self.collapsed.discard)(name)
        self.highlighted = index
        self.load()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.views:
            self.post_message(SourceSelected(self.views[event.option.id]))

    def show_progress(self, done: int, total: int, phase: str = "refreshing") -> None:
        status = f"{phase} {done}/{total}" if done < total else self.status
        self.border_subtitle = render.plain_title(status, 60)

    def show_status(self, text: str, *, keep: bool = False) -> None:
        """A line in the border (a sync's progress); `keep` leaves it there after refreshes
        (a sync's error), until the next status replaces it."""
        self.border_subtitle = render.plain_title(text, 60)
        if keep:
            self.status = clean_line(text, 60)


def middle_cut(label: str, room: int) -> str:
    """`label` in `room` cells, cut in the middle when it must be: names that share a long
    start ("The Ashford Daily Courier", "The Ashford Daily Gazette") keep their ends apart."""
    if cell_len(label) <= room or room < 12:
        return label
    tail = Text(label[-(room // 2) :])
    while tail.cell_len > room // 2 - 1 and len(tail) > 1:
        tail = tail[1:]
    head = Text(label)
    head.truncate(room - tail.cell_len - 1)
    return head.plain.rstrip() + "…" + tail.plain.lstrip()


@dataclass(frozen=True)
class SourceLine:
    """One line of the pane: a mark, the label cut with an ellipsis to the pane's width, and
    the unread count right-aligned, so the count shows however long the title."""

    mark: str
    label: str  # cleaned already
    count: int
    indent: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        count = f" {self.count}" if self.count else ""
        room = max(1, options.max_width - len(self.mark) - len(count))
        label = Text(self.indent + middle_cut(self.label, room - len(self.indent)))
        label.stylize("bold" if self.count else "")
        label.truncate(room, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, end="")
        line.append(self.mark, style="bold red" if self.mark == "!" else "dim")
        line.append_text(label)
        line.append(count, style="dim")
        yield line

    def __str__(self) -> str:
        count = f" {self.count}" if self.count else ""
        return f"{self.mark}{self.indent}{self.label}{count}"

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, len(self.mark) + len(self.indent + self.label) + 6)


@dataclass
class _Built:
    options: list[Option] = field(default_factory=list)
    views: dict[str, View] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add(
        self, oid: str, view: View, label: str, count: int, mark: str = " ", indent: str = ""
    ) -> None:
        label = clean_line(label, 100)
        self.views[oid] = replace(view, label=view.label or label)
        self.options.append(Option(SourceLine(mark, label, count, indent), id=oid))

    def add_source(self, row: SourceRow) -> None:
        oid = f"source:{row.id}"
        if row.last_error:
            self.errors[oid] = clean_line(row.last_error, 300)
        mark = "!" if row.last_error else " "
        indent = "  " if row.folder else ""
        view = View("source", source_id=row.id)
        self.add(oid, view, row.display_title or row.name, row.unread, mark, indent)


def _build(
    saved: list[View],
    rows: list[SourceRow],
    unread: int,
    starred: int,
    counts: list[int],
    front: int,
    collapsed: frozenset[str] = frozenset(),
) -> _Built:
    """Options for the fixed views, the saved views, then folders and their sources (none for
    a folder in `collapsed`)."""
    built = _Built()
    built.add("front", FRONT, "Front page", front)  # its count: stories, not entries
    built.add("unread", ALL_UNREAD, "All unread", unread)
    built.add("starred", STARRED, "Starred", starred)
    for i, (view, count) in enumerate(zip(saved, counts, strict=False)):
        built.add("today" if view is TODAY else f"view:{i}", view, view.label, count)
    folder_unread: dict[str, int] = {}
    for row in rows:
        if row.folder:
            folder_unread[row.folder] = folder_unread.get(row.folder, 0) + row.unread
    folder = None
    for row in rows:
        if row.folder and row.folder != folder:
            folder = row.folder
            built.add(
                f"folder:{folder}",
                View("folder", folder=folder, label=folder),
                f"{'▸' if folder in collapsed else '▾'} {folder}",  # ▾: its sources follow
                folder_unread[folder],
            )
        if not row.folder or row.folder not in collapsed:
            built.add_source(row)
    return built

"""The headline list: a line-API ScrollView that pages rows from SQLite on demand.

It never holds more than `MAX_PAGES` pages of `PAGE` rows, so "All unread" over 50,000 entries
costs one COUNT and one page query. Pages load in thread workers; rows not loaded yet paint as a
placeholder and fill in when their page arrives.

Two layouts, compact and the river, each with a fixed number of lines per entry (see
story_rows, which also folds and expands stories and shows rules' hidden entries).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.store import Store
from tui.store.extras import RowExtra
from tui.store.listing import Listing
from tui.store.rows import PAGE, HeadlineRow, load_page
from tui.store.views import SqlParams, View
from tui.ui import keys, render, river
from tui.ui.messages import EntryOpened
from tui.ui.widgets.list_notes import ListNotes
from tui.ui.widgets.scrolling import ShiftScroll
from tui.ui.widgets.story_rows import StoryRows

MAX_PAGES = 4
Shape = Callable[[View, bool], Listing]  # (view, show hidden) -> how the list shows it
Extras = dict[int, RowExtra]


@dataclass(frozen=True)
class StickyView(View):
    """A view that also keeps the entries read during this visit, so rows do not jump away
    (and page offsets stay stable) while the user reads through "All unread"."""

    keep: tuple[int, ...] = ()

    def where(self) -> tuple[str, SqlParams]:
        where, params = super().where()
        if not self.keep:
            return where, params
        marks = ",".join("?" * len(self.keep))
        return f"(({where}) OR e.id IN ({marks}))", (*params, *self.keep)


class HeadlineList(ListNotes, StoryRows, ShiftScroll, can_focus=True):
    """Headlines of one view, newest first. Rows carry entry ids; everything else is looked up."""

    BINDINGS = [*keys.HEADLINES]
    COMPONENT_CLASSES = {"headline-list--cursor", "headline-list--placeholder"}
    DEFAULT_CSS = """
    HeadlineList { background: $surface; scrollbar-size-vertical: 1; overflow-x: hidden; }
    HeadlineList > .headline-list--cursor { background: $accent 40%; }
    HeadlineList:focus > .headline-list--cursor { background: $accent; color: $text; }
    HeadlineList > .headline-list--placeholder { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """Index of the highlighted row in the view."""

    class ViewLoaded(Message):
        def __init__(
            self,
            gen: int,
            view: View | Listing,
            count: int,
            pos: int | None,
            page: int,
            rows: list[HeadlineRow],
            extras: Extras | None = None,
            hidden: int = 0,
        ) -> None:
            super().__init__()
            self.gen, self.view, self.count, self.pos = gen, view, count, pos
            self.page, self.rows, self.extras = page, rows, extras or {}
            self.hidden = hidden  # entries of the view that rules hide
            self.applied = False  # True: the list took it in synchronously (see show)

    class PageLoaded(Message):
        def __init__(self, gen: int, page: int, rows: list[HeadlineRow], extras: Extras) -> None:
            super().__init__()
            self.gen, self.page, self.rows, self.extras = gen, page, rows, extras

    def __init__(self, store: Store, **kw: Any) -> None:
        super().__init__(**kw)
        self.store = store
        self.view: View | None = None
        self.count = 0
        self._pages: OrderedDict[int, list[HeadlineRow]] = OrderedDict()
        self.extras: dict[int, Extras] = {}  # per cached page: stories, hidden, river text
        self.shape: Shape | None = None  # set by the app from the config
        self.river = False
        self.show_hidden = False
        self.hidden_count = 0
        self.expanded: tuple[tuple[int, int, float], ...] = ()
        self.kept: set[int] = set()  # read during this visit: stay listed (see StickyView)
        self._loading: set[int] = set()
        self._gen = 0
        self._query: View | Listing = View("all")
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(500)  # rendered rows
        self._blocks: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(100)  # river blocks
        self.loaded = False
        # the highest entry id among rows this list has loaded: "mark all read" stops there, so
        # entries a cron refresh stored behind the list's back stay unread (ids only grow)
        self.newest_loaded_id = 0
        self.match: re.Pattern[str] | None = None  # the search words, underlined in titles
        self._styles: tuple[Style, Style, Style] | None = None  # until the CSS changes
        self.new_above = 0  # entries that arrived above the screen's top row (the marker)
        self.empty_hint = ""  # the app's word on why the whole cache is empty, if it is

    # -- loading ------------------------------------------------------------------------

    def show(
        self,
        view: View,
        keep_id: int | None = None,
        first: tuple[int, list[HeadlineRow]] | tuple[int, list[HeadlineRow], Extras] | None = None,
    ) -> None:
        """Load `view`; with keep_id, keep that entry selected at the same screen row.

        `first` is the view's count and first page read ahead (rows.FirstPage): it is shown
        at once, so the first frame already has headlines, and ViewLoaded is still posted."""
        if view != self.view:
            self.kept.clear()
            self.expanded = ()
        self._gen += 1
        if first is None:
            self._load_view(self._gen, self._query_view(view), keep_id)
            return
        extras = first[2] if len(first) > 2 else None
        query = self._query_view(view)
        msg = self.ViewLoaded(self._gen, query, first[0], None, 0, first[1], extras)
        self._take_view(msg)
        msg.applied = True
        self.post_message(msg)

    def reload(self, drop_kept: bool = False) -> None:
        """Re-query the current view (after a refresh), keeping the selected entry; with
        `drop_kept` the entries read during this visit go too (all were marked read)."""
        if drop_kept:
            self.kept.clear()
        if self.view is not None:
            self.show(self.view, keep_id=self.selected_id)

    def _query_view(self, view: View) -> View | Listing:
        base = view
        if self.kept and view.kind in ("unread", "source_unread"):
            base = StickyView(
                view.kind, view.source_id, view.folder, view.label, keep=tuple(sorted(self.kept))
            )
        if self.shape is None:
            return base
        listing = self.shape(base, self.show_hidden)
        return replace(listing, expanded=self.expanded) if listing.grouped else listing

    @work(thread=True, group="headlines", exclusive=True, exit_on_error=False)
    def _load_view(self, gen: int, view: View, keep_id: int | None) -> None:
        count = self.store.count(view)
        pos = self.store.position_of(view, keep_id) if keep_id is not None else None
        if pos is not None and count:
            pos = min(pos, count - 1)
        page = (pos or 0) // PAGE
        rows, extras = load_page(self.store, view, page)
        hidden = self._count_hidden(view)
        self.post_message(self.ViewLoaded(gen, view, count, pos, page, rows, extras, hidden))

    @work(thread=True, group="headline-pages", exit_on_error=False)
    def _load_page(self, gen: int, view: View | Listing, page: int) -> None:
        self.post_message(self.PageLoaded(gen, page, *load_page(self.store, view, page)))

    def on_headline_list_view_loaded(self, msg: ViewLoaded) -> None:
        # not stopped: the app starts loading the sources pane once the first page is in
        if msg.gen == self._gen and not msg.applied:
            self._take_view(msg)

    def _take_view(self, msg: ViewLoaded) -> None:
        top = round(self.scroll_y)
        screen_row = self.cursor * self.block - top
        same_view = self.view is not None and _base(self.view) == _base(msg.view)
        self.newest_loaded_id = max(
            self.newest_loaded_id if same_view else 0, *(r.id for r in msg.rows), 0
        )
        self.view, self.count = _base(msg.view), msg.count
        self._query = msg.view
        self._pages = OrderedDict({msg.page: msg.rows})
        self.extras = {msg.page: msg.extras}
        self._loading.clear()
        self.loaded = True
        self.hidden_count = msg.hidden
        self.border_subtitle = self._subtitle()
        self.virtual_size = Size(self.size.width, self.count * self.block)
        cursor = msg.pos if msg.pos is not None else (0 if not same_view else self.cursor)
        cursor = max(0, min(cursor, self.count - 1))
        if same_view and msg.pos is not None:
            # the selected entry stays put; entries that arrived above it are shown (the list
            # was at its top) or counted in the "▲ N new" marker (it was scrolled down)
            arrived = max(0, msg.pos - self.cursor)
            if top == 0:
                height = max(1, self.scrollable_content_region.height)
                y = max(0, (cursor + 1) * self.block - height)
            else:
                y = max(0, cursor * self.block - screen_row)
            self.scroll_to(y=y, animate=False, immediate=True)
            self._set_new_above(min(y // self.block, self.new_above + arrived))
        elif not same_view:
            self.scroll_to(y=0, animate=False, immediate=True)
            self._set_new_above(0)
        self.cursor = cursor
        self.refresh()

    def _set_new_above(self, n: int) -> None:
        self.new_above = n
        self.border_subtitle = self._subtitle()

    def on_headline_list_page_loaded(self, msg: PageLoaded) -> None:
        msg.stop()
        self._loading.discard(msg.page)
        if msg.gen != self._gen:
            return
        self._pages[msg.page] = msg.rows
        self.extras[msg.page] = msg.extras
        self.newest_loaded_id = max(self.newest_loaded_id, *(r.id for r in msg.rows), 0)
        while len(self._pages) > MAX_PAGES:
            gone, _ = self._pages.popitem(last=False)
            self.extras.pop(gone, None)
        self.refresh()

    def row(self, index: int) -> HeadlineRow | None:
        """The cached row at `index`, or None (and its page is requested) if not loaded yet."""
        if not 0 <= index < self.count:
            return None
        page = index // PAGE
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._loading:
                self._loading.add(page)
                self._load_page(self._gen, self._query, page)
            return None
        self._pages.move_to_end(page)
        offset = index % PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def selected_id(self) -> int | None:
        row = self.row(self.cursor) if self.count else None
        return row.id if row else None

    def cached_row(self, entry_id: int) -> HeadlineRow | None:
        """The entry's row if one of the loaded pages holds it (no query, no page request)."""
        for rows in self._pages.values():
            for row in rows:
                if row.id == entry_id:
                    return row
        return None

    @property
    def queried_view(self) -> View | Listing:
        """The view as queried: the shown one plus the entries kept while reading it."""
        return self._query

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    @property
    def cached_rows(self) -> int:
        return sum(map(len, self._pages.values()))

    # -- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def _line_styles(self) -> tuple[Style, Style, Style]:
        # rich_style walks every ancestor's CSS: once per style change, not once per line
        if self._styles is None:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_component_rich_style("headline-list--cursor"),
                base + self.get_component_rich_style("headline-list--placeholder"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_y) + y
        index, sub = divmod(line, self.block)
        # the scrollbar's column is drawn over the last one: what is cut ends before it
        width = self.scrollable_content_region.width
        base, cursor, placeholder = self._line_styles()
        if index >= self.count:
            if self.loaded and not self.count and y in (1, 2):
                return self._empty_line(y, width, placeholder)
            return Strip.blank(width, base)
        row = self.row(index)
        if row is None:
            text = "  …" if sub == 0 else ""
            return Strip([Segment(text.ljust(width), placeholder)], width)
        style = cursor if index == self.cursor else base
        if self.river and sub == river.LINES - 1:
            return Strip.blank(width, base)  # the gap between blocks keeps the base colour
        extra = self.extras.get(index // PAGE, {}).get(row[0])
        marker = self._marker(row, extra)
        key = (row, extra, marker, self.river, sub, self.multi, width, style, self.match)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, extra, marker, sub, width).apply_style(style)
            if extra is not None and extra.hidden:
                strip = strip.apply_style(render.DIM)
            self._strips[key] = strip
        return strip

    def _set_virtual_height(self) -> None:
        self.virtual_size = Size(self.size.width, self.count * self.block)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.count * self.block)
        self._scroll_cursor_visible()

    # -- cursor -------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        width, block = self.size.width, self.block
        for index in (old, new):
            self.refresh(Region(0, index * block - round(self.scroll_y), width, block))
        self._scroll_cursor_visible()

    def _scroll_cursor_visible(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top, block = round(self.scroll_y), self.block
        first, last = self.cursor * block, self.cursor * block + min(block, height) - 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if self.count:
            self.cursor = max(0, min(index, self.count - 1))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_top(self) -> None:
        self.move_to(0)

    def action_bottom(self) -> None:
        self.move_to(self.count - 1)

    def action_open(self) -> None:
        entry_id = self.selected_id
        if entry_id is not None:
            self.post_message(EntryOpened(entry_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_y) + offset.y) // self.block
        if 0 <= index < self.count:
            self.cursor = index
            if self._on_marker(index, offset.x, offset.y):
                self.action_toggle_story()
            else:
                self.action_open()


def _base(view: View | Listing) -> View:
    if isinstance(view, Listing):
        view = view.view
    if isinstance(view, StickyView):
        return View(view.kind, view.source_id, view.folder, view.label)
    return view

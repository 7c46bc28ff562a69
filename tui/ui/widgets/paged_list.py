"""The headline list's data: a view's count and at most `MAX_PAGES` pages of `PAGE` rows,
read from SQLite in thread workers, and the reader's state it shows (the view, the highlighted
entry, what is folded and hidden). HeadlineList (headlines.py) paints and moves over it.

So "All unread" over 50,000 entries costs one COUNT and one page query; rows not loaded yet
paint as a placeholder and fill in when their page arrives.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rich.style import Style
from textual import work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.services.desk import (
    PAGE,
    HeadlineRow,
    Listing,
    RowExtra,
    StickyView,
    Store,
    View,
    hidden_count,
    load_page,
)
from tui.ui import river
from tui.ui.state import Expanded, ReaderState
from tui.ui.widgets.scrolling import ShiftScroll

MAX_PAGES = 4
Shape = Callable[[View, bool], Listing]  # (view, show hidden) -> how the list shows it
Extras = dict[int, RowExtra]


class PagedList(ShiftScroll):
    """Rows of the reader state's view, paged in from the store. Rows carry entry ids;
    everything else is looked up."""

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """Index of the highlighted row in the view."""

    class ViewLoaded(Message, namespace="headline_list"):
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

    class PageLoaded(Message, namespace="headline_list"):
        def __init__(self, gen: int, page: int, rows: list[HeadlineRow], extras: Extras) -> None:
            super().__init__()
            self.gen, self.page, self.rows, self.extras = gen, page, rows, extras

    def __init__(self, store: Store, state: ReaderState, **kw: Any) -> None:
        super().__init__(**kw)
        self.store = store
        self.state = state
        self.shown: View | None = None  # the view whose rows are loaded (what is painted)
        self.count = 0
        self._pages: OrderedDict[int, list[HeadlineRow]] = OrderedDict()
        self.extras: dict[int, Extras] = {}  # per cached page: stories, hidden, river text
        self.shape: Shape | None = None  # set by the app from the config
        self.river = False
        self.hidden_count = 0
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

    # -- the reader's state: the list shows it and keeps its highlight up to date -------------

    @property
    def view(self) -> View | None:
        return self.state.view

    @property
    def expanded(self) -> Expanded:
        return self.state.expanded

    @expanded.setter
    def expanded(self, value: Expanded) -> None:
        self.state.expanded = value

    @property
    def show_hidden(self) -> bool:
        return self.state.show_hidden

    @property
    def river_shape(self) -> bool:
        """The river layout: when chosen (`v`), and always for the front page."""
        return self.river or (self.shown is not None and self.shown.kind == "front")

    @property
    def block(self) -> int:
        """Lines per entry."""
        return river.LINES if self.river_shape else 1

    def _subtitle(self) -> str:
        """The border's notes (ListNotes says which)."""
        return ""

    def _set_new_above(self, n: int) -> None:
        self.new_above = n
        self.border_subtitle = self._subtitle()

    def _set_virtual_height(self) -> None:
        self.virtual_size = Size(self.size.width, self.count * self.block)

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

    def _sync_highlight(self) -> None:
        self.state.highlighted = self.selected_id

    # -- loading ------------------------------------------------------------------------

    def show(
        self,
        view: View,
        keep_id: int | None = None,
        first: tuple[int, list[HeadlineRow]]
        | tuple[int, list[HeadlineRow], Extras]
        | tuple[int, list[HeadlineRow], Extras, int]
        | None = None,
    ) -> None:
        """Load `view`; with keep_id, keep that entry selected at the same screen row.

        `first` is the view's count and first page read ahead (rows.FirstPage): it is shown
        at once, so the first frame already has headlines, and ViewLoaded is still posted."""
        if view != self.view:
            self.kept.clear()
            self.expanded = ()
        self.state.view = view  # chosen now: keys act on it before its rows arrive
        self._gen += 1
        if first is None:
            self._load_view(self._gen, self._query_view(view), keep_id)
            return
        extras = first[2] if len(first) > 2 else None
        hidden = first[3] if len(first) > 3 else 0
        query = self._query_view(view)
        msg = self.ViewLoaded(self._gen, query, first[0], None, 0, first[1], extras, hidden)
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

    def reload_keeping(self, entry_id: int) -> None:
        """Re-query the view with that entry kept selected (a story folded or unfolded)."""
        if self.view is not None:
            self.show(self.view, keep_id=entry_id)

    def _query_view(self, view: View) -> View | Listing:
        base = view
        if self.kept and view.kind in ("unread", "source_unread", "front"):
            base = StickyView(
                view.kind, view.source_id, view.folder, view.label, keep=tuple(sorted(self.kept))
            )
        if self.shape is None:
            return base
        listing = self.shape(base, self.show_hidden)
        return replace(listing, expanded=self.expanded) if listing.grouped else listing

    @work(thread=True, group="headlines", exclusive=True, exit_on_error=False)
    def _load_view(self, gen: int, view: View | Listing, keep_id: int | None) -> None:
        if isinstance(view, Listing):
            view = view.resolved(self.store)  # the front page is ranked here, off the UI thread
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
        same_view = self.shown is not None and self.shown == _base(msg.view)
        self.newest_loaded_id = max(
            self.newest_loaded_id if same_view else 0, *(r.id for r in msg.rows), 0
        )
        self.shown, self.count = _base(msg.view), msg.count
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
        self._sync_highlight()
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

    def _count_hidden(self, view: View | Listing) -> int:
        """Entries of the view that rules hide (entries, not stories). In a worker thread."""
        return hidden_count(self.store, view)


def _base(view: View | Listing) -> View:
    if isinstance(view, Listing):
        view = view.view
    if isinstance(view, StickyView):
        return View(view.kind, view.source_id, view.folder, view.label)
    return view

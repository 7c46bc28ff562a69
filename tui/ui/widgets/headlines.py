"""The headline list: a line-API ScrollView over the rows PagedList pages in from SQLite.

Two layouts, compact and the river, each with a fixed number of lines per entry (see
story_rows, which also folds and expands stories and shows rules' hidden entries).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from tui.services.desk import PAGE, StickyView
from tui.ui import keys, render, river
from tui.ui.messages import EntriesChanged, EntryOpened
from tui.ui.widgets.paged_list import MAX_PAGES, Extras, Shape
from tui.ui.widgets.story_rows import StoryRows

__all__ = ["MAX_PAGES", "PAGE", "Extras", "HeadlineList", "Shape", "StickyView"]


class HeadlineList(StoryRows, can_focus=True):
    """Headlines of the reader's view, newest first: painting, the cursor, and the keys that
    move it or act on the list (n/p to the next unread, A marks what it shows read)."""

    BINDINGS = [*keys.HEADLINES]
    COMPONENT_CLASSES = {"headline-list--cursor", "headline-list--placeholder"}
    DEFAULT_CSS = """
    HeadlineList { background: $surface; scrollbar-size-vertical: 1; overflow-x: hidden; }
    HeadlineList > .headline-list--cursor { background: $accent 40%; }
    HeadlineList:focus > .headline-list--cursor { background: $accent; color: $text; }
    HeadlineList > .headline-list--placeholder { color: $text-muted; }
    """

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
        if self.river_shape and sub == river.LINES - 1:
            return Strip.blank(width, base)  # the gap between blocks keeps the base colour
        extra = self.extras.get(index // PAGE, {}).get(row[0])
        marker = self._marker(row, extra)
        key = (row, extra, marker, self.river_shape, sub, self.multi, width, style, self.match)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, extra, marker, sub, width).apply_style(style)
            if extra is not None and extra.hidden:
                strip = strip.apply_style(render.DIM)
            self._strips[key] = strip
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.count * self.block)
        self._scroll_cursor_visible()

    # -- cursor -------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        width, block = self.size.width, self.block
        for index in (old, new):
            self.refresh(Region(0, index * block - round(self.scroll_y), width, block))
        self._scroll_cursor_visible()
        self._sync_highlight()

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

    # -- moving to unread entries, marking what the list shows ------------------------------

    def goto_unread(self, forward: bool) -> None:
        self._goto_unread(forward)

    @work(thread=True, group="navigate", exclusive=True, exit_on_error=False)
    def _goto_unread(self, forward: bool) -> None:
        if self.view is None:
            return
        start = self.cursor
        if forward and self.new_above:
            start = -1  # new entries arrived above: the skim goes on with the newest
        elif forward and self.state.opened != self.state.highlighted:
            start -= 1  # the highlighted row itself, when it is unread and not yet open
        pos = self.store.next_unread(self.queried_view, start, forward)
        self.app.call_from_thread(self._arrive, pos)

    class NoMoreUnread(Message):
        """`n` found nothing further down this view: the screen may move on to another."""

    def _arrive(self, pos: int | None) -> None:
        if pos is None:
            self.post_message(self.NoMoreUnread())
            return
        self.move_to(pos)
        self.action_open()

    class Marked(Message):
        """Entries were marked read or unread by one action (`A`, `m`): the screen keeps the
        last one for `u` to undo."""

        def __init__(self, entry_ids: list[int], read: bool) -> None:
            super().__init__()
            self.entry_ids, self.read = entry_ids, read

    @work(thread=True, group="mark", exit_on_error=False)
    def mark_all_read(self) -> None:
        """Every entry the view holds up to the newest row loaded (not hidden ones, not ones a
        cron refresh stored behind the list's back) is marked read; across more than one
        source, after a confirmation."""
        from tui.services.desk import unread_members

        if self.view is None:
            return
        shown = self.app.call_from_thread(lambda: self.newest_loaded_id)
        ids, sources = unread_members(self.store, self.queried_view, max_id=shown)
        if not ids:
            self.notify("Nothing unread here.", markup=False)
        elif sources > 1:
            self.app.call_from_thread(self._confirm_mark, ids, sources)
        else:
            self._mark_read(ids)

    def _confirm_mark(self, ids: list[int], sources: int) -> None:
        from rich.text import Text

        from tui.ui.dialogs import ConfirmScreen

        question = Text(f"Mark {len(ids)} entries of {sources} sources read?\n")
        question.append("u undoes it afterwards.", style="dim")
        screen = ConfirmScreen("Mark all read", question, "Mark read")

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_read_worker(ids)

        self.app.push_screen(screen, answered)

    @work(thread=True, group="mark", exit_on_error=False)
    def _mark_read_worker(self, ids: list[int]) -> None:
        self._mark_read(ids)

    def _mark_read(self, ids: list[int]) -> None:
        """Blocking (SQLite)."""
        self.store.set_read(ids, True)
        self.post_message(self.Marked(ids, True))
        self.app.call_from_thread(self._marked_all, len(ids))

    def _marked_all(self, n: int) -> None:
        if self.view is not None and self.view.kind in ("unread", "source_unread"):
            self.reload(drop_kept=True)  # the view is empty now: no stale rows kept
        else:
            self.mark_all_read_locally()
        self.post_message(EntriesChanged())
        self.notify(f"Marked {n} entries read (u undoes it).", markup=False)

    def toggle_hidden(self) -> None:
        self.set_show_hidden(not self.show_hidden)
        if not self.hidden_count and self.show_hidden:
            self.notify("No rule hides anything here.", markup=False)

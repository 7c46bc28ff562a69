"""The headline list's stories and layouts (a layer of HeadlineList over its pages and notes):
a story's marker, expanding and collapsing it in place, which entries marking a row marks,
the river layout and showing hidden entries."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.strip import Strip

from tui.services.desk import PAGE, HeadlineRow, Listing, RowExtra
from tui.ui import render, river
from tui.ui.widgets.list_notes import ListNotes

STORY_MARK, OPEN_MARK, MEMBER_MARK = "▸", "▾", "└"
FOLLOW_MARK = "↻"  # a late entry of a story whose other entries were read: "↻ +3 read"


class StoryRows(ListNotes):
    def _grouped(self) -> bool:
        return isinstance(self._query, Listing) and self._query.grouped

    def _marker(self, row: HeadlineRow, extra: RowExtra | None) -> str:
        """ "▸ +2" on a folded story's row, "▾ +2" on an expanded one's, "└" on its members."""
        if extra is None or extra.story is None or not self._grouped():
            return ""
        for story, row_id, _ in self.expanded:
            if story == extra.story:
                return f"{OPEN_MARK} +{len(extra.members)}" if row_id == row[0] else MEMBER_MARK
        if extra.members:
            return f"{STORY_MARK} +{len(extra.members)}"
        if extra.read_before and not row.read:  # a follow-up of a story read before
            return f"{FOLLOW_MARK} +{extra.read_before} read"
        return ""

    def _on_marker(self, index: int, x: int, y: int) -> bool:
        """Did a click land on a story's marker (compact: its column; river: its meta line)?"""
        row = self.row(index)
        marker = self._marker(row, self.extra(index)) if row else ""
        if not marker or marker == MEMBER_MARK or marker.startswith(FOLLOW_MARK):
            return False
        if self.river_shape:
            return (round(self.scroll_y) + y) % self.block == river.META_LINE
        start = render.marker_column(self.multi, self._source_width(self.size.width))
        return start <= x < start + len(marker) + 1

    # -- expanding and collapsing ------------------------------------------------------------

    def action_expand_story(self) -> None:
        row, extra = self.row(self.cursor), self.extra(self.cursor)
        if row is None or extra is None or extra.story is None or not self._grouped():
            return
        if extra.members and not any(s == extra.story for s, _, _ in self.expanded):
            self.expanded = (*self.expanded, (extra.story, row[0], row[3]))
            self.reload_keeping(row[0])

    def action_collapse_story(self) -> None:
        extra = self.extra(self.cursor)
        story = extra.story if extra is not None else None
        found = [e for e in self.expanded if e[0] == story]
        if found:
            self.expanded = tuple(e for e in self.expanded if e[0] != story)
            self.reload_keeping(found[0][1])  # back on the row that stands for it

    def action_toggle_story(self) -> None:
        extra = self.extra(self.cursor)
        if extra is not None and any(s == extra.story for s, _, _ in self.expanded):
            self.action_collapse_story()
        else:
            self.action_expand_story()

    def story_members(self, entry_id: int) -> list[int]:
        """The other entries a folded story's row stands for (none for any other row)."""
        for page, rows in self._pages.items():
            for row in rows:
                if row[0] == entry_id:
                    extra = self.extras.get(page, {}).get(entry_id)
                    marker = self._marker(row, extra)
                    if extra is not None and marker.startswith(STORY_MARK):
                        return list(extra.members)
                    return []
        return []

    # -- layouts -----------------------------------------------------------------------------

    def extra(self, index: int) -> RowExtra | None:
        row = self.row(index)
        return self.extras.get(index // PAGE, {}).get(row[0]) if row else None

    @property
    def multi(self) -> bool:
        return self.shown.multi_source if self.shown else True

    def _render_row(
        self, row: HeadlineRow, extra: RowExtra | None, marker: str, sub: int, width: int
    ) -> Strip:
        console = self.app.console
        if self.river_shape:
            thumb = self._river_photo(row.id)
            # a block is wrapped once for its six lines, whatever the cursor style
            key = (row, extra, marker, width, self.multi, self.match, thumb is not None)
            block = self._blocks.get(key)
            if block is None:
                lines = river.block(
                    console, row, extra, width, self.multi, marker, self.match, thumb
                )
                block = [Strip(list(t.render(console))).crop_extend(0, width, None) for t in lines]
                self._blocks[key] = block
            return block[sub]
        else:
            others = extra.sources if extra is not None and marker.startswith(STORY_MARK) else ()
            text = render.headline(
                row, self.multi, self._source_width(width), self.match, marker, others
            )
        text.truncate(width, overflow="ellipsis")  # a cut title ends in "…"
        return Strip(list(text.render(console))).crop_extend(0, width, None)

    # -- the river's lead photos: decoded a batch at a time in a worker ---------------------

    thumbs: dict[int, list[Text]] | None = None  # None: pictures are off
    _thumbs_asked: set[int] | None = None
    _thumbs_wanted: list[int] | None = None

    def _river_photo(self, entry_id: int) -> list[Text] | None:
        if self.thumbs is None:
            return None
        got = self.thumbs.get(entry_id)
        if got is None:
            asked = self._thumbs_asked = self._thumbs_asked or set()
            if entry_id not in asked:
                asked.add(entry_id)
                if not self._thumbs_wanted:
                    self._thumbs_wanted = []
                    self.call_after_refresh(self._flush_thumbs)
                self._thumbs_wanted.append(entry_id)
        return got

    def _flush_thumbs(self) -> None:
        wanted, self._thumbs_wanted = self._thumbs_wanted or [], None
        if wanted:
            self._load_thumbs(wanted)

    @work(thread=True, group="thumbs", exit_on_error=False)
    def _load_thumbs(self, entry_ids: list[int]) -> None:
        from tui.services.pictures import lead_thumbnails
        from tui.ui.pictures import halfblock_lines

        cells = lead_thumbnails(self.store, entry_ids, river.THUMB_COLS, river.META_LINE)
        lines = {i: halfblock_lines(rows) for i, rows in cells.items()}
        if lines:
            self.app.call_from_thread(self._thumbs_loaded, lines)

    def _thumbs_loaded(self, lines: dict[int, list[Text]]) -> None:
        if self.thumbs is not None:
            self.thumbs.update(lines)
            self._strips.clear()  # rows painted without their photo
            self.refresh()

    def _source_width(self, width: int) -> int:
        return max(8, min(20, width // 5))

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self.block - 1)

    def action_list_page_down(self) -> None:
        self.move_to(self.cursor + self._page_rows())

    def action_list_page_up(self) -> None:
        self.move_to(self.cursor - self._page_rows())

    def set_river(self, on: bool) -> None:
        if on == self.river:
            return
        old = self.block
        rows_above = max(0, (self.cursor * old - round(self.scroll_y)) // old)
        self.river = on
        self._set_virtual_height()
        top = max(0, (self.cursor - rows_above) * self.block)
        self.scroll_to(y=top, animate=False, immediate=True)
        self._scroll_cursor_visible()
        self.refresh()

    def set_show_hidden(self, on: bool) -> None:
        self.state.show_hidden = on
        self.reload()

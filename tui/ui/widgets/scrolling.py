"""A line-API ScrollView whose scroll by a few rows repaints only what changed.

Textual's StylesCache keeps styled lines (border, padding and background applied) by screen row,
so a scroll by one row re-styles every line and repaints the scrollbar. Here the lines that stay
on screen move with the scroll, and the scrollbar repaints only when its thumb moves.
"""

from __future__ import annotations

from typing import Any

from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip


class ShiftScroll(ScrollView):
    """Subclasses render lines with `render_line` as usual; nothing else to do."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._thumb: tuple[float, ...] | None = None  # where the scrollbar's thumb was last painted

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self.show_vertical_scrollbar:
            self._move_scrollbar(new_value)
        delta = round(new_value) - round(old_value)
        if delta:
            kept = self._shifted_lines(delta)
            self.refresh(self.size.region)
            self._restore_lines(kept)

    def _move_scrollbar(self, position: float) -> None:
        """Repaint the scrollbar only when its thumb moves: on 10,000 rows it moves a cell per
        ~250 rows, and repainting it costs as much as the rows themselves."""
        bar = self.vertical_scrollbar
        position = bar.validate_position(position)
        bar.set_reactive(ScrollBar.position, position)
        size, virtual, window = bar.size.height, bar.window_virtual_size, bar.window_size
        thumb: tuple[float, ...] = (size, virtual, window, position)
        if window and size and virtual and virtual > window and size != virtual:
            thumb_size = max(1, window / (virtual / size))
            thumb = (
                size,
                virtual,
                window,
                int((size - thumb_size) * position / (virtual - window) * 8),
            )
        if thumb != self._thumb:
            self._thumb = thumb
            bar.refresh()

    def _shifted_lines(self, delta: int) -> dict[int, Strip]:
        """The styled lines (border and background applied) that stay on screen after a scroll
        by `delta` rows, keyed by their new line. Textual's StylesCache keeps lines by screen row
        and a scroll would re-style every one; `_cache`/`_dirty_lines` are its internals in the
        pinned Textual (a test compares the result with a fresh render)."""
        cache = self._styles_cache
        lines, dirty = getattr(cache, "_cache", None), getattr(cache, "_dirty_lines", None)
        height = self.scrollable_content_region.height
        if not isinstance(lines, dict) or not isinstance(dirty, set) or abs(delta) >= height:
            return {}
        top = self.gutter.top
        kept = {}
        for y in range(top, top + height):
            source = y + delta
            if top <= source < top + height and source not in dirty:
                strip = lines.get(source)
                if strip is not None:
                    kept[y] = strip
        return kept

    def _restore_lines(self, kept: dict[int, Strip]) -> None:
        if kept:
            self._styles_cache._cache.update(kept)
            self._styles_cache._dirty_lines.difference_update(kept)

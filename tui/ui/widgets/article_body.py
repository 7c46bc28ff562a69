"""The article pane's body: a line-API `ScrollView`. Opening an article wraps only the blocks
that reach the screen and paints those lines, with no layout of the rest; the remaining blocks
are wrapped after that first paint. Wrapped lines are kept per width; a resize re-wraps and keeps
the block at the top of the screen in view.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui.pictures.fit import pane_rows
from tui.ui.pictures import FigureText, draw_sixels
from tui.ui.widgets.scrolling import ShiftScroll

SIXEL_AFTER = 0.02  # seconds after a frame that painted a figure: its Sixel goes over it
EAGER_CHARS = 4000  # below this much text left to wrap, wrap it now rather than after the paint


class ArticleBody(ShiftScroll):
    """The article's blocks (rich `Text`, never markup), a blank line between them."""

    DEFAULT_CSS = """
    ArticleBody { height: 1fr; background: transparent; overflow-x: hidden;
                  scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._blocks: list[Text] = []
        self._lines: list[Text] = []  # wrapped lines of the first `_done` blocks
        self._starts: list[int] = []  # first line of each wrapped block
        self._done = 0
        self._width = 0  # the width `_lines` were wrapped at
        self._rows = 0  # the most rows a picture may take, when `_lines` were wrapped
        self._strips: dict[int, Strip] = {}
        self._style: Style | None = None  # the base style until the CSS changes
        self._restore: tuple[int, float] | None = None  # re-wrapped while rendering: scroll here
        self._sixels: list[FigureText] = []  # figures drawn in Sixel over their half-blocks
        self._sixel_queued = False

    @property
    def plain_text(self) -> str:
        """What the body shows, as plain text (blocks apart by a blank line)."""
        return "\n\n".join(block.plain for block in self._blocks)

    def set_blocks(self, blocks: list[Text], keep_position: bool = False) -> None:
        self._blocks = blocks
        self._sixels = [b for b in blocks if isinstance(b, FigureText) and b.sixel_mode]
        for block in self._sixels:
            block.ready = self._sixel_ready
        self._width = -1  # wrap again
        if not keep_position:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._rewrap()
        self.refresh()

    # -- wrapping -----------------------------------------------------------------------

    def _rewrap(self, in_render: bool = False) -> tuple[int, float] | None:
        """Wrap for the current width if it changed; returns where the screen was (block,
        fraction into it) when that needs restoring."""
        width = self.scrollable_content_region.width
        rows = self._picture_rows()
        if width == self._width and rows == self._rows:
            return None
        anchor = self._anchor()
        self._lines, self._starts, self._done, self._strips = [], [], 0, {}
        self._width, self._rows = width, rows
        for block in self._blocks:
            if isinstance(block, FigureText):
                block.max_rows = rows
        if width <= 0 or not self._blocks:
            return None
        if anchor == (0, 0.0):
            self._wrap_visible(in_render)
            return None
        self._wrap_until(None)
        self._update_size(in_render)
        if in_render:
            self._restore = anchor
        return anchor

    def picture_size(self) -> tuple[int, int]:
        """(width, most rows) a picture has now: a worker draws pictures for it ahead."""
        return self.scrollable_content_region.width, self._picture_rows()

    def _picture_rows(self) -> int:
        """A picture takes at most about a third of the article pane's height."""
        pane = self.parent.size.height if isinstance(self.parent, Widget) else self.size.height
        return pane_rows(pane or self.app.size.height)

    def _wrap_until(self, line: int | None) -> None:
        """Wrap blocks until `line` exists (None: all of them)."""
        console, width = self.app.console, max(1, self._width)
        blocks, lines = self._blocks, self._lines
        while self._done < len(blocks) and (line is None or len(lines) <= line):
            self._starts.append(len(lines))
            lines.extend(blocks[self._done].wrap(console, width, overflow="fold"))
            self._done += 1
            if self._done < len(blocks):
                lines.append(Text())

    def _wrap_visible(self, in_render: bool) -> None:
        """Wrap what the screen shows now; the rest now if it is short, else after the paint."""
        height = max(1, self.scrollable_content_region.height)
        self._wrap_until(round(self.scroll_y) + height)
        if sum(len(b.plain) for b in self._blocks[self._done :]) <= EAGER_CHARS:
            self._wrap_until(None)
        else:
            self.call_after_refresh(self._wrap_rest, self._blocks, self._width)
        self._update_size(in_render)

    def _wrap_rest(self, blocks: list[Text], width: int) -> None:
        if blocks is self._blocks and width == self._width and self._done < len(blocks):
            self._wrap_until(None)
            self._update_size()

    def _update_size(self, later: bool = False) -> None:
        if later:  # not while rendering: a new virtual size refreshes the widget
            self.call_later(self._update_size)
            return
        rest = sum(len(b.plain) for b in self._blocks[self._done :])
        estimate = rest // max(1, self._width) + 1 if rest else 0
        size = Size(max(0, self._width), len(self._lines) + estimate)
        if size != self.virtual_size:
            self.virtual_size = size

    def wrap_all(self) -> None:
        """Before anything that needs the true length (end of article, paging at the end)."""
        if self._done < len(self._blocks):
            self._wrap_until(None)
            self._update_size()

    def on_resize(self) -> None:
        anchor = self._rewrap() or self._restore
        self._restore = None
        if anchor is not None:
            block, fraction = anchor
            start = self._starts[block] if block < len(self._starts) else 0
            end = self._starts[block + 1] if block + 1 < len(self._starts) else len(self._lines)
            y = start + round(fraction * (end - start))
            self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def _anchor(self) -> tuple[int, float]:
        """The block at the top of the screen and how far into it the screen starts."""
        top = round(self.scroll_y)
        if not self._starts or top <= 0:
            return 0, 0.0
        block = max(i for i, start in enumerate(self._starts) if start <= top)
        start = self._starts[block]
        end = self._starts[block + 1] if block + 1 < len(self._starts) else len(self._lines)
        return block, (top - start) / max(1, end - start)

    # -- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._style = None
        self._strips = {}
        super().notify_style_update()

    # -- Sixel: drawn over a figure's half-blocks once all of them are on screen ---------

    def _sixel_ready(self) -> None:
        """A Sixel made in a thread (the width changed): draw it after the next frame."""
        self.app.call_from_thread(self.refresh)

    def _draw_sixels(self) -> None:
        """After a frame: the Sixels of the figures wholly on screen (not under a dialog)."""
        self._sixel_queued = False
        if self.screen is self.app.screen:
            blocks = list(zip(self._starts, self._blocks[: self._done], strict=False))
            draw_sixels(blocks, self._width, round(self.scroll_y), self.scrollable_content_region)

    def render_line(self, y: int) -> Strip:
        if self._sixels and not self._sixel_queued:
            # a timer, not call_after_refresh: that asks for another frame, which renders
            # these lines again, which would ask again; this frame is written by then
            self._sixel_queued = True
            self.set_timer(SIXEL_AFTER, self._draw_sixels)
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if self._style is None:
            self._style = self.rich_style
        if width != self._width or self._picture_rows() != self._rows:
            self._rewrap(in_render=True)  # laid out anew before on_resize runs
        strip = self._strips.get(index)
        if strip is None:
            if index >= len(self._lines):
                self._wrap_until(index)
            if index >= len(self._lines):
                return Strip.blank(width, self._style)
            line = self._lines[index]
            line.end = ""
            strip = Strip(list(line.render(self.app.console)), line.cell_len)
            strip = strip.crop_extend(0, width, None).apply_style(self._style)
            self._strips[index] = strip
        return strip

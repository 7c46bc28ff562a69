"""Pictures in the article pane and the river: a figure's rich `Text` that wraps to its
picture's lines above its caption, and what is sent to the terminal for Kitty graphics.

Half-blocks are text like any other. Kitty pictures are text too (Unicode placeholders that
the terminal fills with the picture sent once per size), so a scroll, a resize or another
article clears them with the text: nothing is left on screen for the app to erase. The
decoding happened in a worker (services.pictures.prepare); here only a small in-memory copy
is resized, for the width the pane has.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.color import Color
from rich.containers import Lines
from rich.style import Style
from rich.text import Span, Text

from tui.pictures import kitty
from tui.pictures.halfblock import UPPER_HALF
from tui.services.pictures import Prepared, halfblock_cells, kitty_cells
from tui.textclean import clean_line

IMAGE_MARK = "▣"  # as tui.ui.render's, which imports this module

if TYPE_CHECKING:
    from rich.console import Console, JustifyMethod, OverflowMethod
    from textual.geometry import Region

    from tui.pictures.halfblock import Cell

Writer = Callable[[str], None]


@lru_cache(maxsize=4096)
def _cell_style(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Style:
    return Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))


def halfblock_lines(rows: list[list[Cell]]) -> list[Text]:
    """Half-block cells as Text lines: runs of equal cells share one span."""
    out = []
    for row in rows:
        spans = []
        start = 0
        for i in range(1, len(row) + 1):
            if i == len(row) or row[i] != row[start]:
                spans.append(Span(start, i, _cell_style(*row[start])))
                start = i
        out.append(Text(UPPER_HALF * len(row), spans=spans, end="", no_wrap=True))
    return out


class Terminal:
    """The protocol the reader draws with, and the way to the terminal for Kitty commands
    (None in tests' headless apps and when pictures are half-blocks)."""

    def __init__(
        self,
        mode: str,
        tmux: bool = False,
        write: Writer | None = None,
        cell: tuple[int, int] = (10, 20),
    ) -> None:
        self.mode = mode
        self.tmux = tmux
        self.write = write
        self.cell = cell  # pixels per cell, for Sixel
        self._next = 0
        self.sent: list[int] = []  # Kitty image ids in the terminal now

    def new_id(self) -> int:
        # ids from 0x100 up: never 0, and a 24-bit colour no theme's text colour shares
        self._next += 1
        return 0x100 + self._next

    def send(self, sequence: str, image_id: int) -> None:
        if self.write is not None:
            self.write(sequence)
        self.sent.append(image_id)

    def forget(self) -> None:
        """Free the pictures of the article that was open (another one opens)."""
        if self.write is not None:
            for image_id in self.sent:
                self.write(kitty.delete(image_id, self.tmux))
        self.sent = []


class FigureText(Text):
    """A figure: "▣ image" (with why, when its picture could not be had), its caption and
    credit; when its picture is kept, the picture's lines above them in place of the mark."""

    def __init__(self, caption: Text, src: str | None, reason: str | None = None) -> None:
        mark = f"{IMAGE_MARK} image" + (f" ({clean_line(reason, 160)})" if reason else "")
        super().__init__(mark, style="dim")
        if caption.plain:
            self.append("\n")
            self.append_text(caption)
        self.caption = caption
        self.src = src
        self.picture: Prepared | None = None
        self.terminal: Terminal | None = None
        self.max_rows = 6
        self._made: dict[tuple[int, int], list[Text]] = {}
        self._sixels: dict[tuple[int, int], str | None] = {}
        self.ready: Callable[[], None] | None = None  # a Sixel made in a thread is ready

    def show(self, picture: Prepared, terminal: Terminal) -> None:
        self.picture, self.terminal = picture, terminal

    @property
    def picture_shown(self) -> bool:
        return self.picture is not None and self.terminal is not None

    def prerender(self, width: int, max_rows: int) -> None:
        """Make the half-block lines (and the Sixel) for the size the pane has now, in the
        worker, so the first paint does no picture work. Kitty lines are made at paint: they
        send the picture."""
        if self.terminal is None or self.terminal.mode == "kitty" or width <= 0:
            return
        self.max_rows = max_rows
        self._made[(width, max_rows)] = self._make(width)
        if self.terminal.mode == "sixel":
            self._sixels[(width, max_rows)] = self._sixel(width)

    @property
    def sixel_mode(self) -> bool:
        return (
            self.picture is not None and self.terminal is not None and self.terminal.mode == "sixel"
        )

    def picture_rows(self, width: int) -> int:
        """How many lines the picture takes at this width."""
        return len(self._made.get((width, self.max_rows)) or [])

    def draw_at(self, x: int, y: int, data: str) -> None:
        """Send the Sixel with the cursor at screen cell (x, y), the cursor kept where it was."""
        if self.terminal is not None and self.terminal.write is not None:
            self.terminal.write(f"\x1b7\x1b[{y + 1};{x + 1}H{data}\x1b8")

    def sixel(self, width: int) -> str | None:
        """The Sixel for this width, when made (a new width is made in a thread, then the
        body is refreshed by `ready`)."""
        key = (width, self.max_rows)
        if key not in self._sixels and self.picture is not None:
            self._sixels[key] = None
            threading.Thread(target=self._sixel_later, args=(key,), daemon=True).start()
        return self._sixels.get(key)

    def _sixel_later(self, key: tuple[int, int]) -> None:
        self._sixels[key] = self._sixel(key[0])
        if self.ready is not None:
            self.ready()

    def _sixel(self, width: int) -> str | None:
        """Blocking: the picture as Sixel over exactly the cells its half-blocks take."""
        from PIL.Image import Resampling

        from tui.pictures import sixel

        picture, terminal = self.picture, self.terminal
        if picture is None or terminal is None:
            return None
        cols, rows = kitty_cells(picture, width, self.max_rows)
        if not cols:
            return None
        size = (cols * terminal.cell[0], rows * terminal.cell[1])
        source = picture.full or picture.image
        return sixel.encode(source.resize(size, Resampling.BILINEAR))

    def picture_lines(self, width: int) -> list[Text]:
        """The picture's lines for this width (kept per width and height)."""
        key = (width, self.max_rows)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(width)
        return [line.copy() for line in made]

    def _make(self, width: int) -> list[Text]:
        picture, terminal = self.picture, self.terminal
        if picture is None or terminal is None:
            return []
        if terminal.mode == "kitty" and picture.png is not None:
            cols, rows = kitty_cells(picture, width, self.max_rows)
            if not cols:
                return []
            image_id = terminal.new_id()
            terminal.send(
                kitty.transmit_png(picture.png, image_id, cols, rows, terminal.tmux), image_id
            )
            style = Style(color=Color.from_rgb(*kitty.id_colour(image_id)))
            # a span, not the Text's base style: a line without spans renders unstyled
            return [
                Text(line, spans=[Span(0, len(line), style)], end="", no_wrap=True)
                for line in kitty.placeholder_rows(cols, rows)
            ]
        return halfblock_lines(halfblock_cells(picture, width, self.max_rows))

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if not self.picture_shown:
            return super().wrap(
                console,
                width,
                justify=justify,
                overflow=overflow,
                tab_size=tab_size,
                no_wrap=no_wrap,
            )
        lines = Lines(self.picture_lines(width))
        if self.caption.plain:
            lines.extend(self.caption.wrap(console, width, overflow=overflow or "fold"))
        return lines


Pictures = dict[str, Prepared | str]  # by URL: ready to show, or why not


def attach(
    blocks: list[Text],
    lead: str | None,
    pictures: Pictures,
    terminal: Terminal,
    size: tuple[int, int] = (0, 0),
) -> list[Text]:
    """The article's blocks with their pictures: each figure whose picture is kept shows it,
    one that failed says why in its mark line; the lead photo, when no figure holds it,
    stands first. Runs in the worker that loaded the article; `size` (the body's width, a
    picture's most rows) has the pictures drawn there too."""
    out: list[Text] = []
    shown: set[str] = set()
    for text in blocks:
        if isinstance(text, FigureText) and text.src in pictures:
            got = pictures[text.src]
            # new figures: the ones given may be on screen already (the text came first)
            if isinstance(got, str):
                text = FigureText(text.caption, text.src, reason=got)
            else:
                text = FigureText(text.caption, text.src)
                text.show(got, terminal)
                text.prerender(*size)
                shown.add(text.src or "")
        out.append(text)
    leading = pictures.get(lead or "")
    if lead and lead not in shown and isinstance(leading, Prepared):
        first = FigureText(Text(), lead)
        first.show(leading, terminal)
        first.prerender(*size)
        out.insert(0, first)
    return out


def draw_sixels(blocks: list[tuple[int, Text]], width: int, top: int, region: Region) -> None:
    """Each figure whose picture rows are all on screen gets its Sixel over them; `blocks`
    are (first line, block), `top` the first line on screen, `region` where the lines are.
    A scroll repaints those cells as half-blocks (their text changes), which clears what the
    terminal kept, and this draws again where the picture is now."""
    for start, block in blocks:
        if not isinstance(block, FigureText) or not block.sixel_mode:
            continue
        rows = block.picture_rows(width)
        if rows and top <= start and start + rows <= top + region.height:
            data = block.sixel(width)
            if data:
                block.draw_at(region.x, region.y + start - top, data)

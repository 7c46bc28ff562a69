"""Pictures in the article pane and the river: a figure's rich `Text` that wraps to its
picture's lines above its caption, and what is sent to the terminal for Kitty graphics.

Half-blocks are text like any other. Kitty pictures are text too (Unicode placeholders that
the terminal fills with the picture sent once per size), so a scroll, a resize or another
article clears them with the text: nothing is left on screen for the app to erase. The
decoding happened in a worker (services.pictures.prepare); here only a small in-memory copy
is resized, for the width the pane has.
"""

from __future__ import annotations

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

    def __init__(self, mode: str, tmux: bool = False, write: Writer | None = None) -> None:
        self.mode = mode
        self.tmux = tmux
        self.write = write
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

    def show(self, picture: Prepared, terminal: Terminal) -> None:
        self.picture, self.terminal = picture, terminal

    @property
    def picture_shown(self) -> bool:
        return self.picture is not None and self.terminal is not None

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
    blocks: list[Text], lead: str | None, pictures: Pictures, terminal: Terminal
) -> list[Text]:
    """The article's blocks with their pictures: each figure whose picture is kept shows it,
    one that failed says why in its mark line; the lead photo, when no figure holds it,
    stands first. Runs in the worker that loaded the article."""
    out: list[Text] = []
    shown: set[str] = set()
    for text in blocks:
        if isinstance(text, FigureText) and text.src in pictures:
            got = pictures[text.src]
            if isinstance(got, str):
                text = FigureText(text.caption, text.src, reason=got)
            else:
                text.show(got, terminal)
                shown.add(text.src or "")
        out.append(text)
    leading = pictures.get(lead or "")
    if lead and lead not in shown and isinstance(leading, Prepared):
        first = FigureText(Text(), lead)
        first.show(leading, terminal)
        out.insert(0, first)
    return out

"""Half-block rendering: each cell shows two pixels, the upper as the foreground colour of
'▀' and the lower as the background. Works in every terminal with colour, in tmux and over
SSH; 24-bit colour where the terminal has it, else the xterm 256-colour cube.

The output is plain data (rows of (top, bottom) colours) so the UI and a plain terminal
writer can each turn it into what they print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

UPPER_HALF = "▀"
RGB = tuple[int, int, int]
Cell = tuple[RGB, RGB]  # (upper pixel, lower pixel)

_CUBE = (0, 95, 135, 175, 215, 255)  # the xterm 6x6x6 cube's levels


def cells(img: Image, cols: int, rows: int) -> list[list[Cell]]:
    """The picture resized to cols x 2*rows pixels, as rows of cells."""
    from PIL import Image as PILImage

    if cols <= 0 or rows <= 0:
        return []
    small = img.convert("RGB").resize((cols, rows * 2), PILImage.Resampling.BOX)
    data = small.tobytes()
    stride = cols * 3
    out: list[list[Cell]] = []
    for r in range(rows):
        top = data[2 * r * stride : (2 * r + 1) * stride]
        bottom = data[(2 * r + 1) * stride : (2 * r + 2) * stride]
        out.append(
            [
                ((top[i], top[i + 1], top[i + 2]), (bottom[i], bottom[i + 1], bottom[i + 2]))
                for i in range(0, stride, 3)
            ]
        )
    return out


def to_256(rgb: RGB) -> int:
    """The nearest xterm-256 colour: the 6x6x6 cube or the grey ramp, whichever is closer."""
    r, g, b = rgb
    levels = [_level(c) for c in (r, g, b)]
    cube = (_CUBE[levels[0]], _CUBE[levels[1]], _CUBE[levels[2]])
    grey_index = max(0, min(23, round((sum(rgb) / 3 - 8) / 10)))
    grey = 8 + 10 * grey_index
    if _distance(rgb, (grey, grey, grey)) < _distance(rgb, cube):
        return 232 + grey_index
    return 16 + 36 * levels[0] + 6 * levels[1] + levels[2]


def _level(c: int) -> int:
    """The nearest of the cube's levels (0, 95, 135, ...): midpoints at 48, 115, 155, ..."""
    return 0 if c < 48 else 1 if c < 115 else (c - 35) // 40


def _distance(a: RGB, b: RGB) -> int:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True))


def ansi(rows: list[list[Cell]], truecolor: bool = True) -> str:
    """The rows as terminal text with SGR colours, one line each, reset at every line end."""
    lines = []
    for row in rows:
        parts = []
        for top, bottom in row:
            if truecolor:
                parts.append(f"\x1b[38;2;{top[0]};{top[1]};{top[2]}m")
                parts.append(f"\x1b[48;2;{bottom[0]};{bottom[1]};{bottom[2]}m{UPPER_HALF}")
            else:
                parts.append(f"\x1b[38;5;{to_256(top)};48;5;{to_256(bottom)}m{UPPER_HALF}")
        lines.append("".join(parts) + "\x1b[0m")
    return "\n".join(lines)

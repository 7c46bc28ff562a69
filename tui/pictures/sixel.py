"""A Sixel encoder: the picture quantised to at most 256 colours, six pixel rows per band,
each colour's run-length-encoded columns in turn. For terminals that answer the device
attributes query with Sixel (4): foot, WezTerm, Konsole, xterm -ti vt340, mlterm; not tmux 3.3.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

ESC = "\x1b"


def encode(img: Image, colours: int = 256) -> str:
    """DCS q ... ST for the picture at its own size (resize it to the cells first)."""
    from PIL import Image as PILImage

    paletted = img.convert("RGB").quantize(colours, dither=PILImage.Dither.NONE)
    width, height = paletted.size
    palette = paletted.getpalette() or []
    used = sorted(set(paletted.tobytes()))
    out = [f'{ESC}P0;1;0q"1;1;{width};{height}']  # P2=1: pixels not drawn keep the background
    for index in used:
        r, g, b = palette[index * 3 : index * 3 + 3]
        out.append(f"#{index};2;{r * 100 // 255};{g * 100 // 255};{b * 100 // 255}")
    pixels = paletted.tobytes()
    for top in range(0, height, 6):
        out.append(_band(pixels, width, top, min(6, height - top)))
        out.append("-")
    out.append(f"{ESC}\\")
    return "".join(out)


def _band(pixels: bytes, width: int, top: int, rows: int) -> str:
    """One band of six pixel rows: for each colour in it, '#n' then its columns' six-bit
    masks, '$' (back to the band's start) between colours. One pass over the band's pixels."""
    masks: dict[int, bytearray] = {}
    for bit in range(rows):
        start = (top + bit) * width
        row = pixels[start : start + width]
        value = 1 << bit
        for x, index in enumerate(row):
            mask = masks.get(index)
            if mask is None:
                mask = masks[index] = bytearray(width)
            mask[x] |= value
    return "$".join(f"#{index}" + _runs(masks[index]) for index in sorted(masks))


_SIXEL = bytes(range(63, 63 + 64)) + bytes(192)  # mask -> its character ('?' + mask)
_REPEAT = re.compile(r"(.)\1{3,}")


def _runs(masks: bytearray) -> str:
    """Sixel characters ('?' + mask), repeats written as !count (found by the regex engine:
    a colour that covers a few columns of a band is mostly one long run of '?')."""
    text = masks.translate(_SIXEL).decode("ascii")
    return _REPEAT.sub(lambda m: f"!{len(m.group())}{m.group(1)}", text)

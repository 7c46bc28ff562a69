"""A Sixel encoder: the picture quantised to at most 256 colours, six pixel rows per band,
each colour's run-length-encoded columns in turn. For terminals that answer the device
attributes query with Sixel (4): foot, WezTerm, Konsole, xterm -ti vt340, mlterm; not tmux 3.3.
"""

from __future__ import annotations

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
        band = [
            pixels[(top + k) * width : (top + k + 1) * width] for k in range(min(6, height - top))
        ]
        first = True
        for index in sorted(set(b"".join(band))):
            out.append(("" if first else "$") + f"#{index}" + _runs(_band_columns(band, index)))
            first = False
        out.append("-")
    out.append(f"{ESC}\\")
    return "".join(out)


def _band_columns(band: list[bytes], index: int) -> list[int]:
    """For each column, the six-bit mask of the band's rows that have colour `index`."""
    width = len(band[0])
    masks = [0] * width
    for bit, row in enumerate(band):
        for x in range(width):
            if row[x] == index:
                masks[x] |= 1 << bit
    return masks


def _runs(masks: list[int]) -> str:
    """Sixel characters ('?' + mask), repeats written as !count."""
    out = []
    i = 0
    while i < len(masks):
        j = i
        while j < len(masks) and masks[j] == masks[i]:
            j += 1
        char = chr(63 + masks[i])
        count = j - i
        out.append(f"!{count}{char}" if count > 3 else char * count)
        i = j
    return "".join(out)

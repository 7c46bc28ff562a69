"""The Kitty graphics protocol with Unicode placeholders.

The picture is sent once (as PNG, base64, in chunks) with a virtual placement of c x r cells;
the terminal then draws it wherever the text holds placeholder cells: U+10EEEE with
combining marks saying the row and column, its foreground colour saying the image id. Since
the placeholders are ordinary text, the app's own redraws move, clip and erase the picture
with the text: nothing stays on screen after a scroll or a resize. Inside tmux (3.3+, with
`allow-passthrough on`) the commands go through as DCS passthrough, and tmux keeps the
placeholders as text like any other.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

PLACEHOLDER = "\U0010eeee"
# The row/column marks of the protocol: the combining characters of class 230 (Above) of
# Unicode 6.0 that take part in no composition, in code point order. 64 covers any pane.
_MARKS = (
    "0305 030D 030E 0310 0312 033D 033E 033F 0346 034A 034B 034C 0350 0351 0352 0357 "
    "035B 0363 0364 0365 0366 0367 0368 0369 036A 036B 036C 036D 036E 036F 0483 0484 "
    "0485 0486 0487 0592 0593 0594 0595 0597 0598 0599 059C 059D 059E 059F 05A0 05A1 "
    "05A8 05A9 05AB 05AC 05AF 05C4 0610 0611 0612 0613 0614 0615 0616 0617 0657 0658"
)
DIACRITICS = tuple(chr(int(code, 16)) for code in _MARKS.split())
CHUNK = 4096  # the protocol's largest payload per escape code
ESC = "\x1b"
ST = ESC + "\\"


def png(img: Image) -> bytes:
    """The picture as the PNG the protocol carries (fast compression: it crosses a pipe)."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def transmit(img: Image, image_id: int, cols: int, rows: int, tmux: bool = False) -> str:
    """Send the picture and make a virtual placement of cols x rows cells for placeholders."""
    return transmit_png(png(img), image_id, cols, rows, tmux)


def transmit_png(data: bytes, image_id: int, cols: int, rows: int, tmux: bool = False) -> str:
    """`transmit` for a PNG made already. q=2: the terminal answers nothing (an answer would
    arrive as keystrokes). Inside tmux each chunk is wrapped on its own, so no passthrough
    exceeds a chunk."""
    payload = base64.standard_b64encode(data).decode("ascii")
    chunks = [payload[i : i + CHUNK] for i in range(0, len(payload), CHUNK)] or [""]
    out = []
    for n, chunk in enumerate(chunks):
        more = 1 if n < len(chunks) - 1 else 0
        if n == 0:
            keys = f"a=T,U=1,f=100,t=d,i={image_id},c={cols},r={rows},q=2,m={more}"
        else:
            keys = f"m={more}"
        command = f"{ESC}_G{keys};{chunk}{ST}"
        out.append(tmux_wrap(command) if tmux else command)
    return "".join(out)


def delete(image_id: int, tmux: bool = False) -> str:
    """Free the picture and its placements in the terminal."""
    command = f"{ESC}_Ga=d,d=I,i={image_id},q=2{ST}"
    return tmux_wrap(command) if tmux else command


def placeholder_rows(cols: int, rows: int) -> list[str]:
    """The text of each row: its first cell says row and column 0; the cells after it carry
    on from their left neighbour, which the protocol allows and which keeps lines short."""
    rows = min(rows, len(DIACRITICS))
    cols = max(0, cols)
    return [
        PLACEHOLDER + DIACRITICS[r] + DIACRITICS[0] + PLACEHOLDER * (cols - 1) if cols else ""
        for r in range(rows)
    ]


def id_colour(image_id: int) -> tuple[int, int, int]:
    """The 24-bit foreground colour that names the image to the terminal."""
    return (image_id >> 16) & 0xFF, (image_id >> 8) & 0xFF, image_id & 0xFF


def tmux_wrap(sequence: str) -> str:
    """A sequence passed through tmux to the outer terminal: every ESC doubled inside
    DCS tmux; ... ST. tmux drops it unless `allow-passthrough` is on."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"

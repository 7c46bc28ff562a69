"""The renderers' output: half-blocks (24-bit and 256 colours), Kitty placeholders and the
commands that send a picture, Sixel; and the cells a picture takes."""

from __future__ import annotations

import base64
import io
import re

from PIL import Image

from tui.pictures import fit, halfblock, kitty, sixel

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 255, 0)


def _stripes(width: int, rows: list[tuple[int, int, int]]) -> Image.Image:
    img = Image.new("RGB", (width, len(rows)))
    for y, colour in enumerate(rows):
        for x in range(width):
            img.putpixel((x, y), colour)
    return img


def test_halfblock_puts_the_upper_pixel_in_front_and_the_lower_behind():
    rows = halfblock.cells(_stripes(4, [RED, BLUE, GREEN, RED]), 4, 2)
    assert rows == [[(RED, BLUE)] * 4, [(GREEN, RED)] * 4]


def test_halfblock_ansi_in_24_bit_and_256_colours():
    rows = halfblock.cells(_stripes(2, [RED, BLUE]), 2, 1)
    true = halfblock.ansi(rows, truecolor=True)
    assert true == ("\x1b[38;2;255;0;0m\x1b[48;2;0;0;255m▀" * 2) + "\x1b[0m"
    assert halfblock.ansi(rows, truecolor=False) == ("\x1b[38;5;196;48;5;21m▀" * 2) + "\x1b[0m"


def test_256_colours_take_the_nearest_of_cube_and_grey_ramp():
    assert halfblock.to_256((0, 0, 0)) == 16
    assert halfblock.to_256((255, 255, 255)) == 231
    assert halfblock.to_256((128, 128, 128)) == 244  # the ramp is nearer than the cube
    assert halfblock.to_256((95, 135, 175)) == 16 + 36 * 1 + 6 * 2 + 3


def test_a_picture_fits_the_width_or_a_third_of_the_height_with_its_aspect():
    assert fit.cells(640, 400, 100, 40) == (100, 31)  # the width: 100 cols, 62 pixel rows
    assert fit.cells(640, 400, 116, 12) == (38, 12)  # a third of the height: 24 pixel rows
    assert fit.cells(640, 400, 40, 13) == (40, 12)
    assert fit.cells(1000, 100, 80, 12) == (80, 4)  # a banner: full width, few rows
    assert fit.cells(0, 10, 80, 12) == (0, 0)
    assert fit.pane_rows(22) == 7 and fit.pane_rows(10) == 6


def _commands(text: str) -> list[tuple[dict[str, str], str]]:
    out = []
    for keys, payload in re.findall(r"\x1b_G([^;\x1b]*);?([^\x1b]*)\x1b\\", text):
        out.append((dict(kv.split("=") for kv in keys.split(",")), payload))
    return out


def test_kitty_transmit_sends_the_png_in_chunks_with_a_virtual_placement():
    img = Image.effect_noise((300, 200), 80).convert("RGB")  # noise: a PNG over 4 KB
    commands = _commands(kitty.transmit(img, 7, 30, 8))
    first, *rest = commands
    assert first[0] == {
        "a": "T",
        "U": "1",
        "f": "100",
        "t": "d",
        "i": "7",
        "c": "30",
        "r": "8",
        "q": "2",
        "m": "1",
    }
    assert rest and all(keys == {"m": "1"} for keys, _ in rest[:-1]) and rest[-1][0] == {"m": "0"}
    assert all(len(payload) <= kitty.CHUNK for _, payload in commands)
    png = base64.standard_b64decode("".join(payload for _, payload in commands))
    assert Image.open(io.BytesIO(png)).size == (300, 200)


def test_kitty_placeholders_name_row_and_column_in_each_rows_first_cell():
    rows = kitty.placeholder_rows(5, 3)
    assert len(rows) == 3
    for r, text in enumerate(rows):
        assert text[0] == kitty.PLACEHOLDER
        assert text[1] == kitty.DIACRITICS[r] and text[2] == kitty.DIACRITICS[0]
        assert text[3:] == kitty.PLACEHOLDER * 4
    assert kitty.DIACRITICS[:3] == ("\u0305", "\u030d", "\u030e") and len(kitty.DIACRITICS) == 64
    assert kitty.id_colour(0x0A0B0C) == (10, 11, 12)


def test_inside_tmux_every_command_is_wrapped_with_its_escapes_doubled():
    img = Image.new("RGB", (4, 4), RED)
    wrapped = kitty.transmit(img, 3, 2, 1, tmux=True)
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b_Ga=T,U=1") and wrapped.endswith(
        "\x1b\x1b\\\x1b\\"
    )
    inner = wrapped[len("\x1bPtmux;") : -2].replace("\x1b\x1b", "\x1b")
    assert inner == kitty.transmit(img, 3, 2, 1)
    assert kitty.delete(3, tmux=True) == "\x1bPtmux;\x1b\x1b_Ga=d,d=I,i=3,q=2\x1b\x1b\\\x1b\\"


def test_sixel_encodes_palette_bands_and_runs():
    img = _stripes(10, [RED] * 6 + [BLUE] * 6)
    out = sixel.encode(img)
    assert out.startswith('\x1bP0;1;0q"1;1;10;12') and out.endswith("\x1b\\")
    colours = dict(re.findall(r"#(\d+);2;(\d+;\d+;\d+)", out))
    assert sorted(colours.values()) == ["0;0;100", "100;0;0"]
    bands = out[out.index("#", out.rindex(";2;")) :].rstrip("\x1b\\").split("-")[:-1]
    assert len(bands) == 2
    # each band is one colour in all six rows of all ten columns: "!10~"
    assert all(re.fullmatch(r"#\d+!10~", band) for band in bands)


def test_sixel_marks_only_the_rows_of_each_colour():
    img = _stripes(2, [RED, BLUE, RED, BLUE, RED, BLUE])
    out = sixel.encode(img)
    band = out[out.index("#", out.rindex(";2;")) :].split("-")[0]
    masks = sorted(re.findall(r"#\d+([^#$]+)", band))
    assert masks == sorted([chr(63 + 0b010101) * 2, chr(63 + 0b101010) * 2])

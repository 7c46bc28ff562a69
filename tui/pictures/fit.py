"""How many terminal cells a picture takes: the pane's width at most, a third of its height
at most, the aspect kept. A cell is about twice as tall as it is wide."""

from __future__ import annotations

CELL_ASPECT = 2.0  # a cell's height over its width, in pixels, on most terminal fonts


def cells(width: int, height: int, max_cols: int, max_rows: int) -> tuple[int, int]:
    """(columns, rows) for a width x height picture within max_cols x max_rows cells."""
    if width <= 0 or height <= 0 or max_cols <= 0 or max_rows <= 0:
        return 0, 0
    rows_at_full = height / width * max_cols / CELL_ASPECT
    if rows_at_full <= max_rows:
        return max_cols, max(1, round(rows_at_full))
    cols = round(width / height * max_rows * CELL_ASPECT)
    return max(1, min(max_cols, cols)), max_rows


def pane_rows(pane_height: int, least: int = 6) -> int:
    """The rows a picture may take in a pane `pane_height` tall: about a third of it, never
    fewer than `least` (a 24-line terminal still shows a recognisable photo)."""
    return max(least, pane_height // 3)

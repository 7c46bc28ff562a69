"""How the three panes share the terminal's width (no Textual here: plain numbers)."""

from __future__ import annotations

WIDE = 120  # columns from which the three panes sit side by side
ROOMY = 150  # below this, reading an article hides the sources so titles stay readable
TINY = 70  # below this the sources pane starts hidden


def sources_width(width: int) -> int:
    """The sources pane: a quarter of the terminal, 24 to 44 columns (titles get room on a
    wide terminal; the headlines keep theirs on a narrow one)."""
    return max(24, min(44, width // 4))


def width_classes(width: int) -> set[str]:
    classes = {"-wide" if width >= WIDE else "-narrow"}
    if WIDE <= width < ROOMY:
        classes.add("-medium")
    if width < TINY:
        classes.add("-hide-sources")
    return classes

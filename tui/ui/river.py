"""The river: each headline as a block you can read without opening anything.

Every block has the same height (the lazy list maps entry N to lines N*LINES.. without reading
the rows above it): the title (wrapped, up to 2 lines, bold when unread), the dek (the feed's
summary, or the article's first paragraph once prefetched; up to 3 lines, fewer when the title
or the photo line needs the room), a dim photo line (credit, then the start of the caption),
the source and time, and a blank line. Every field is cleaned and stays plain text.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui.services.desk import HeadlineRow, RowExtra
from tui.textclean import clean_line
from tui.ui.render import BOLD, DIM, DIM_ITALIC, IMAGE_MARK, MATCH, STAR_MARK, UNREAD_MARK, when

LINES = 6  # 5 of text and a gap: 80x24 shows three blocks and a half
TEXT_LINES = LINES - 1
META_LINE = LINES - 2
INDENT = 3
THUMB_COLS = 16  # the lead photo beside a block: at most this wide, META_LINE rows tall
THUMB_GAP = 2
MIN_TEXT = 40  # narrower than this, a block shows no photo beside its text


def block(
    console: Console,
    row: HeadlineRow,
    extra: RowExtra | None,
    width: int,
    multi_source: bool,
    marker: str = "",
    match: re.Pattern[str] | None = None,
    thumb: list[Text] | None = None,
) -> list[Text]:
    """The LINES lines of one entry's block, each at most `width` cells; with `thumb` (the
    lead photo's lines), the photo stands at the right of the title and dek."""
    _id, read, starred, sort_time, source, title = row[:6]
    extra = extra or RowExtra()
    room = THUMB_GAP + max((t.cell_len for t in thumb), default=0) if thumb else 0
    if thumb and width - INDENT - room < MIN_TEXT:
        thumb, room = None, 0  # too narrow for both: the text alone
    inner = max(10, width - INDENT - room)
    head = Text(clean_line(title, 500) or "(untitled)", style=BOLD if not read else "")
    if match is not None:
        for m in match.finditer(head.plain):
            head.stylize(MATCH, m.start(), m.end())
    titles = _wrap(console, head, inner, 2)
    photo = _photo(extra, inner)
    room = TEXT_LINES - len(titles) - 1 - (1 if photo else 0)
    dek = _new_words(clean_line(extra.dek, 1200), head.plain)
    deks = _wrap(console, Text(dek), inner, min(3, room)) if dek and room > 0 else []
    lines: list[Text] = []
    for i, line in enumerate(titles):
        prefix = Text(INDENT * " ")
        if i == 0:
            prefix = Text(UNREAD_MARK if not read else " ", style="bold" if not read else "")
            prefix.append(STAR_MARK if starred else " ", style="yellow" if starred else "")
            prefix.append(" ")
        lines.append(prefix + line)
    lines += [Text(INDENT * " ") + line for line in deks]
    if photo:
        lines.append(Text(INDENT * " ") + photo)
    while len(lines) < META_LINE:  # source and time sit on the same line of every block
        lines.append(Text(""))
    lines.append(Text(INDENT * " ") + _meta(source, sort_time, multi_source, marker, extra))
    lines.append(Text(""))
    for line in lines:
        line.truncate(width, overflow="ellipsis")  # what is cut ends in "…"
    for i, picture_line in enumerate((thumb or [])[:META_LINE]):
        lines[i].set_length(INDENT + inner)
        lines[i].append(" " * THUMB_GAP)
        lines[i].append_text(picture_line)
    return lines[:LINES]


def _plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _new_words(dek: str, title: str) -> str:
    """The dek, less a repeat of the title: a feed whose summary is its title says it once."""
    if not dek or not title:
        return dek
    if _plain_words(dek) == _plain_words(title):
        return ""
    if (
        dek.casefold().startswith(title.casefold())
        and not dek[len(title) : len(title) + 1].isalnum()
    ):
        return dek[len(title) :].lstrip(" .:;,—–-")
    return dek


def _wrap(console: Console, text: Text, width: int, most: int) -> list[Text]:
    """`text` wrapped to `width`, at most `most` lines; an ellipsis marks what was cut."""
    if most <= 0:
        return []
    lines = list(text.wrap(console, width, overflow="fold"))
    if len(lines) > most:
        last = lines[most - 1]
        last.rstrip()
        last.truncate(width - 1)
        last.append("…")
        lines = lines[:most]
    for line in lines:
        line.rstrip()
    return lines


def _photo(extra: RowExtra, width: int) -> Text | None:
    credit, caption = clean_line(extra.credit, 200), clean_line(extra.caption, 400)
    if not credit and not caption:
        return None
    text = Text(f"{IMAGE_MARK} ", style=DIM)
    if credit:
        text.append(credit, style=DIM)
    if caption:
        text.append((" — " if credit else "") + caption, style=DIM_ITALIC)
    text.truncate(width, overflow="ellipsis")
    return text


def _meta(source: str, sort_time: float, multi: bool, marker: str, extra: RowExtra) -> Text:
    text = Text(style=DIM)
    if multi:
        text.append(clean_line(source, 40), style=Style(dim=True, italic=True))
        text.append(" · ")
    text.append(when(sort_time))
    if marker:
        text.append("  ")
        text.append(marker, style="bold")
        names = ", ".join(clean_line(s, 60) for s in extra.sources[:4])
        if names:
            text.append(f" {names}", style=DIM)
    return text

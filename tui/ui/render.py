"""Turn store rows and articles into rich `Text`: never markup, always cleaned first.

Every string that comes from a feed or a web page goes through `clean_line`/`clean_text` and into
`Text(...)` as plain text, so `[b]` or `[@click=...]` in a title stays literal.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.content import Content

from tui.models import Article, Block, Teaser, item_depth
from tui.services.desk import EntryRow, HeadlineRow
from tui.textclean import clean_line, clean_text, safe_url

UNREAD_MARK = "●"
STAR_MARK = "★"
IMAGE_MARK = "▣"

DIM_ITALIC = Style(dim=True, italic=True)
BOLD = Style(bold=True)
DIM = Style(dim=True)


DATE_WIDTH = 6  # every date below fits it, so the columns after it never shift


def plain_title(text: str | None, width: int) -> Content:
    """Text for a border title or subtitle: cleaned, and Content so it is never parsed as
    markup (Textual parses a str given as a border title)."""
    return Content(clean_line(text, width))


def when(ts: float | None, now: float | None = None) -> str:
    """Local time, at most DATE_WIDTH columns: "14:05" today, "Mar 03" this year, "Mar'24"
    before."""
    if not ts:
        return ""
    now = time.time() if now is None else now
    try:
        t, n = time.localtime(ts), time.localtime(now)
    except (OverflowError, OSError, ValueError):
        return ""
    if t[:3] == n[:3]:
        return time.strftime("%H:%M", t)
    if t.tm_year == n.tm_year:
        return time.strftime("%b %d", t)
    return time.strftime("%b'%y", t)


def full_date(ts: float | None) -> str:
    if not ts:
        return ""
    try:
        return datetime.fromtimestamp(ts).strftime("%a %d %b %Y %H:%M")
    except (OverflowError, OSError, ValueError):
        return ""


MATCH = Style(bold=True, underline=True)


def headline(
    row: HeadlineRow,
    multi_source: bool,
    source_width: int = 16,
    match: re.Pattern[str] | None = None,
    marker: str = "",
    others: tuple[str, ...] = (),
) -> Text:
    """One headline line: unread marker, star, time, source (multi-source views), a story's
    marker ("▸ +2"), title, then the story's other sources; search matches are underlined."""
    read, starred, title = row.read, row.starred, row.title
    text = Text(no_wrap=True, end="")
    text.append(f"{UNREAD_MARK if not read else ' '}", style="bold" if not read else "")
    text.append(f"{STAR_MARK if starred else ' '} ", style="yellow" if starred else "")
    text.append(f"{when(row.sort_time):>{DATE_WIDTH}}  ", style="dim")
    if multi_source:
        name = Text(clean_line(row.source_title, 200))
        name.truncate(source_width, overflow="ellipsis", pad=True)
        text.append(name.plain + "  ", style="italic")
    if marker:
        text.append(marker + " ", style="bold")
    start = len(text)
    text.append(clean_line(title, 500) or "(untitled)", style=BOLD if not read else "")
    end = len(text)
    if others:
        text.append("  " + ", ".join(clean_line(s, 60) for s in others[:4]), style=DIM)
    if match is not None:
        for m in match.finditer(text.plain[:end], start):
            text.stylize(MATCH, m.start(), m.end())
    return text


def marker_column(multi_source: bool, source_width: int) -> int:
    """Where `headline` puts a story's marker: after the marks, the time and the source."""
    return 3 + 8 + (source_width + 2 if multi_source else 0)


def article_header(entry: EntryRow | None, article: Article, compact: bool = False) -> Text:
    """Title, then source · author · date, then the link (`compact`, on a short terminal:
    not the link, which `o`, `y` and `L` still reach, so the text gets the rows)."""
    text = Text()
    title = clean_line(article.title or (entry.title if entry else ""), 1000) or "(untitled)"
    text.append(title + "\n", style=BOLD)  # no colour: it must read on light themes too
    source = clean_line(entry.source_title if entry else article.site, 200)
    byline = clean_line(article.byline or (entry.author if entry else None), 200)
    date = _dated(entry) if entry else ""
    meta = " · ".join(p for p in (source, byline, date) if p)
    if meta:
        text.append(meta + "\n", style="dim")
    link = safe_url(entry.link if entry else article.url)
    if link and not compact:
        text.append(clean_line(link, 2000), style=Style(color="cyan", underline=True))
    text.rstrip()
    return text


def _dated(entry: EntryRow) -> str:
    """The entry's date; an undated one says so, and when it arrived (its place in the list)."""
    if entry.published:
        return full_date(entry.published)
    arrived = full_date(entry.sort_time)
    return f"no date (arrived {arrived})" if arrived else "no date"


def notice(message: str | None) -> Text:
    return Text(clean_line(message, 300), style=DIM_ITALIC) if message else Text()


def article_body(article: Article) -> Text:
    """The blocks in reading order, one blank line between them."""
    return Text("\n\n").join(article_blocks(article))


def article_blocks(article: Article) -> list[Text]:
    """The blocks in reading order, each as its own `Text`; empty ones left out. Pure Rich,
    so a thread worker can build them. A page of teasers gives one `Text` per teaser."""
    return [text for text, _, _ in _parts(article)]


def teaser_links(article: Article) -> list[tuple[int, str, Teaser]]:
    """(index in `article_blocks`, link, teaser) of each teaser that links to a story."""
    if not any(b.type == "teasers" for b in article.blocks):
        return []  # most articles: no need to build every block's text again
    return [(i, url, t) for i, (_, url, t) in enumerate(_parts(article)) if url and t]


def teaser(t: Teaser, highlight: bool = False) -> Text:
    """Kicker dimmed, headline bold (reversed when it is the one Enter opens), dek, then
    caption and credit dimmed."""
    text = Text()
    kicker = clean_line(t.kicker, 100)
    if kicker:
        text.append(f"{kicker} · ", style=DIM)
    text.append(clean_line(t.title, 1000), style=Style(bold=True, reverse=highlight))
    dek, caption, credit = (
        clean_line(t.dek, 2000),
        clean_line(t.caption, 2000),
        clean_line(t.credit, 300),
    )
    if dek:
        text.append("\n" + dek)
    if caption:
        text.append("\n" + caption, style=DIM_ITALIC)
    if credit:
        text.append("\n" + credit, style=DIM)
    return text


def _parts(article: Article) -> list[tuple[Text, str | None, Teaser | None]]:
    out: list[tuple[Text, str | None, Teaser | None]] = []
    for block in article.blocks:
        if block.type == "teasers":
            out.extend(
                (teaser(t), safe_url(t.url), t) for t in block.teasers if clean_line(t.title)
            )
        else:
            text = _block(block)
            if text.plain.strip():
                out.append((text, None, None))
    return out


def _block(b: Block) -> Text:
    if b.type == "heading":
        return Text(clean_line(b.text, 1000), style=Style(bold=True, underline=b.level <= 2))
    if b.type == "quote":
        lines = clean_text(b.text).split("\n")
        return Text("\n".join("▌ " + line for line in lines), style="italic")
    if b.type == "list":
        return Text("\n".join(_item(i) for i in b.items if clean_line(i)))
    if b.type == "code":
        return Text(clean_text_keep_indent(b.text), style=Style(dim=True))
    if b.type == "table":
        return Text("\n".join(" │ ".join(clean_line(c, 200) for c in r) for r in b.rows))
    if b.type == "figure":
        return _figure(b)
    return Text(clean_text(b.text))


def _item(item: str) -> str:
    depth, text = item_depth(clean_line(item, 4000))
    return "  " + "  " * depth + ("◦ " if depth else "• ") + text


def _figure(b: Block) -> Text:
    """ "▣ image", caption, credit: a FigureText, which shows the picture in place of the mark
    once one is attached (tui.ui.pictures)."""
    from tui.ui.pictures import FigureText

    caption_text = Text()
    caption, credit = clean_line(b.caption, 2000), clean_line(b.credit, 300)
    if caption:
        caption_text.append(caption, style=DIM_ITALIC)
    if credit:  # its own line: caption and credit read apart
        caption_text.append(("\n" if caption else "") + credit, style=DIM)
    return FigureText(caption_text, b.src)


def clean_text_keep_indent(code: str) -> str:
    """Code keeps its indentation; only control characters go."""
    from tui.textclean import strip_controls

    return strip_controls(code.expandtabs(4)).strip("\n")

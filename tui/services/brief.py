"""`newsdesk brief`: the front page as plain text, Markdown or JSON (HTML: tui.services.brief_html).

Every string from a feed or a page is cleaned (`clean_line`: no control sequences, one line,
capped) before any format sees it; Markdown then escapes every punctuation character that could
start markup, and a link is written only when it is http(s). Text output has no markup to
escape, and stdout's own guard (cli.output.CleanStream) strips controls once more.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from tui.models import decode_media, feed_photo
from tui.services.front import FrontPage, FrontStory
from tui.store.front import ShownEntry
from tui.textclean import clean_line, safe_url

DEK_CHARS = 300
OTHERS_SHOWN = 6  # "+N: A, B, C…" names at most this many sources


@dataclass(frozen=True)
class Item:
    """A story as every format shows it: cleaned text, a safe link or None."""

    rank: int
    sources: int
    title: str
    link: str | None
    source: str
    published: str  # "2026-12-07 14:05 UTC", or ""
    dek: str
    credit: str
    caption: str
    others: list[tuple[str, str, str | None]]  # (source, title, link) of named other entries
    others_count: int  # all the other entries
    unread: int
    lead_id: int

    @property
    def also(self) -> str:
        """ "+2: Source A, Source B" (each source once), or ""."""
        if not self.others_count:
            return ""
        names = list(dict.fromkeys(name for name, _t, _l in self.others))
        more = len(names) > OTHERS_SHOWN or self.sources - 1 > len(names)
        shown = ", ".join(names[:OTHERS_SHOWN]) + ("…" if more else "")
        return f"+{self.others_count}: {shown}"


def _picture(entry: ShownEntry) -> tuple[str, str]:
    """(credit, caption): the extracted article's first figure, else the feed's first picture."""
    if entry.credit or entry.caption:
        return clean_line(entry.credit, 200), clean_line(entry.caption, 300)
    photo = feed_photo(decode_media(entry.media))
    if photo is None:
        return "", ""
    return clean_line(photo.credit, 200), clean_line(photo.caption, 300)


def when(ts: float | None) -> str:
    if ts is None:
        return ""
    try:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))
    except (OverflowError, OSError, ValueError):
        return ""


def item(story: FrontStory) -> Item:
    lead = story.lead
    credit, caption = _picture(lead)
    return Item(
        rank=story.rank,
        sources=story.sources,
        title=clean_line(lead.title, 400) or "(untitled)",
        link=safe_url(lead.link),
        source=clean_line(lead.source_title, 120),
        published=when(lead.published if lead.published is not None else lead.sort_time),
        dek=clean_line(lead.dek or lead.summary, DEK_CHARS),
        credit=credit,
        caption=caption,
        others=[
            (clean_line(o.source_title, 120), clean_line(o.title, 400), safe_url(o.link))
            for o in story.others
        ],
        others_count=story.others_count,
        unread=len(story.unread),
        lead_id=lead.id,
    )


def heading(page: FrontPage) -> str:
    n = len(page.stories)
    hours = f"{page.hours:g} h"
    return f"Front page: {n} {'story' if n == 1 else 'stories'} of the last {hours}, {when(page.until)}"


def photo_line(i: Item) -> str:
    """ "Photo: caption (credit)", or ""."""
    if not i.caption and not i.credit:
        return ""
    if i.caption and i.credit:
        return f"Photo: {i.caption} ({i.credit})"
    return f"Photo: {i.caption or i.credit}"


# -- text -------------------------------------------------------------------------------------


def to_text(page: FrontPage) -> str:
    lines = [heading(page), ""]
    for i in map(item, page.stories):
        carried = f"{i.sources} source{'s' if i.sources != 1 else ''}"
        lines.append(f"{i.rank:>2}. {i.title}")
        lines.append(f"    {i.source} · {i.published} · {carried}")
        for extra in (i.dek, photo_line(i), i.also, i.link or ""):
            if extra:
                lines.append(f"    {extra}")
        lines.append("")
    if not page.stories:
        lines.append("Nothing unread in this window.")
    return "\n".join(lines).rstrip() + "\n"


# -- Markdown ---------------------------------------------------------------------------------

# The punctuation that can start markup in CommonMark, GFM and the common extensions (emphasis,
# code, links and images, HTML tags and entities, headings, lists, tables, strikethrough,
# footnotes, math): each is backslash-escaped, which CommonMark allows for any ASCII punctuation.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&^$=:\"'])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """A safe (http(s), no whitespace) URL for `(<...>)`: the characters that could end the
    destination or the link are percent-encoded."""
    return "".join(f"%{ord(c):02X}" if c in "<>()[]\\`\"'" else c for c in url)


def to_markdown(page: FrontPage) -> str:
    lines = [f"# {md_escape(heading(page))}", ""]
    for i in map(item, page.stories):
        title = md_escape(i.title)
        head = f"[{title}](<{md_url(i.link)}>)" if i.link else title
        lines.append(f"## {i.rank}\\. {head}")
        lines.append("")
        carried = f"{i.sources} source{'s' if i.sources != 1 else ''}"
        lines.append(f"*{md_escape(i.source)} · {md_escape(i.published)} · {carried}*")
        for extra in (i.dek, photo_line(i), i.also):
            if extra:
                lines += ["", md_escape(extra)]
        lines.append("")
    if not page.stories:
        lines.append("Nothing unread in this window.")
    return "\n".join(lines).rstrip() + "\n"


# -- JSON -------------------------------------------------------------------------------------


def to_json(page: FrontPage) -> dict[str, Any]:
    def stamp(ts: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))

    stories = []
    for i in map(item, page.stories):
        stories.append(
            {
                "rank": i.rank,
                "sources": i.sources,
                "id": i.lead_id,
                "title": i.title,
                "link": i.link,
                "source": i.source,
                "published": i.published or None,
                "dek": i.dek or None,
                "photo_credit": i.credit or None,
                "photo_caption": i.caption or None,
                "unread": i.unread,
                "others": [{"source": s, "title": t, "link": u} for s, t, u in i.others],
                "others_count": i.others_count,
            }
        )
    return {"since": stamp(page.since), "until": stamp(page.until), "stories": stories}

"""Plain data shared by the core layers: parsed feeds and structured articles.

No I/O and no UI here; everything is a dataclass that round-trips through JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Media:
    """An image (or other media object) attached to an entry, with its caption and credit."""

    url: str | None = None
    caption: str | None = None
    credit: str | None = None
    type: str | None = None


def decode_media(text: str | None) -> list[Media]:
    """The one decoder of an entry's stored Media RSS objects (entries.media, JSON): whatever
    an old or damaged cache holds, a list of Media whose fields are text or None."""
    try:
        raw = json.loads(text or "[]")
    except (TypeError, ValueError):
        return []

    def text_of(value: Any) -> str | None:
        return str(value) if value not in (None, "") else None

    return [
        Media(*(text_of(m.get(k)) for k in ("url", "caption", "credit", "type")))
        for m in (raw if isinstance(raw, list) else [])
        if isinstance(m, dict)
    ]


def feed_photo(media: list[Media]) -> Media | None:
    """The entry's picture as the feed describes it: the first with a caption or a credit."""
    return next((m for m in media if m.caption or m.credit), None)


@dataclass
class Enclosure:
    url: str
    type: str | None = None
    length: int | None = None


@dataclass
class ParsedEntry:
    """One feed item, normalised. `key` is stable across refreshes (guid, else link, else hash)."""

    key: str
    title: str = ""
    link: str | None = None
    author: str | None = None
    published: float | None = None  # unix time, UTC
    updated: float | None = None
    summary_html: str = ""  # as delivered by the feed
    content_html: str = ""  # content:encoded / atom content, as delivered
    summary_text: str = ""  # plain text, control characters stripped
    media: list[Media] = field(default_factory=list)
    enclosures: list[Enclosure] = field(default_factory=list)


@dataclass
class ParsedFeed:
    title: str | None = None
    link: str | None = None  # the site's home page
    format: str = ""  # e.g. "rss20", "atom10", "json11"
    entries: list[ParsedEntry] = field(default_factory=list)
    warning: str | None = None  # set when the feed was malformed but partly recovered
    ttl: int | None = None  # minutes, from RSS <ttl>


@dataclass
class Teaser:
    """One unit of a page of teasers: a headline linking to its story, with its dek and photo."""

    title: str
    url: str | None = None
    dek: str | None = None
    credit: str | None = None
    caption: str | None = None
    kicker: str | None = None  # the label printed above the headline ("World", "Live")
    time: str | None = None  # when the story was published, as the page gives it

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kicker": self.kicker,
            "url": self.url,
            "dek": self.dek,
            "credit": self.credit,
            "caption": self.caption,
            "time": self.time,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Teaser:
        return cls(
            title=str(data.get("title") or ""),
            url=data.get("url"),
            dek=data.get("dek"),
            credit=data.get("credit"),
            caption=data.get("caption"),
            kicker=data.get("kicker"),
            time=data.get("time"),
        )


@dataclass
class Block:
    """One piece of an article in reading order. Which fields matter depends on `type`."""

    type: str
    text: str = ""
    level: int = 0  # headings
    items: list[str] = field(default_factory=list)  # lists
    rows: list[list[str]] = field(default_factory=list)  # tables
    caption: str | None = None  # figures
    credit: str | None = None
    src: str | None = None
    teasers: list[Teaser] = field(default_factory=list)  # a page of teasers' units

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape: only the fields that belong to this block type."""
        if self.type == "teasers":
            return {"type": "teasers", "items": [t.to_json() for t in self.teasers]}
        if self.type == "heading":
            return {"type": "heading", "level": self.level, "text": self.text}
        if self.type == "list":
            return {"type": "list", "items": list(self.items)}
        if self.type == "table":
            return {"type": "table", "rows": [list(r) for r in self.rows]}
        if self.type == "figure":
            return {
                "type": "figure",
                "caption": self.caption,
                "credit": self.credit,
                "src": self.src,
            }
        return {"type": self.type, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        kind = str(data.get("type", "paragraph"))
        items = list(data.get("items") or [])
        return cls(
            type=kind,
            text=data.get("text") or "",
            level=int(data.get("level") or 0),
            items=[] if kind == "teasers" else items,
            rows=[list(r) for r in data.get("rows") or []],
            caption=data.get("caption"),
            credit=data.get("credit"),
            src=data.get("src"),
            teasers=[Teaser.from_json(t) for t in items if isinstance(t, dict)]
            if kind == "teasers"
            else [],
        )


@dataclass
class Article:
    """A cleaned, structured article as shown in reader view."""

    url: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as found on the page
    site: str | None = None
    lead_image: str | None = None
    blocks: list[Block] = field(default_factory=list)
    notice: str | None = None  # what the reader should know ("no article: the page's text")

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "byline": self.byline,
            "published": self.published,
            "url": self.url,
            "site": self.site,
            "lead_image": self.lead_image,
            "blocks": [b.to_json() for b in self.blocks],
            "notice": self.notice,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        return cls(
            url=data.get("url"),
            title=data.get("title"),
            byline=data.get("byline"),
            published=data.get("published"),
            site=data.get("site"),
            lead_image=data.get("lead_image"),
            blocks=[Block.from_json(b) for b in data.get("blocks") or []],
            notice=data.get("notice"),
        )

    def body_text(self, figures: bool = False) -> str:
        """Plain text of the article, paragraphs separated by blank lines."""
        parts: list[str] = []
        for b in self.blocks:
            if b.type == "figure":
                if figures:
                    parts.append(" ".join(x for x in (b.caption, b.credit) if x))
            elif b.type == "list":
                parts.append("\n".join(b.items))
            elif b.type == "table":
                parts.append("\n".join(" | ".join(r) for r in b.rows))
            elif b.type == "teasers":
                parts.extend(_teaser_text(t, figures) for t in b.teasers)
            else:
                parts.append(b.text)
        return "\n\n".join(p for p in parts if p)


def _teaser_text(t: Teaser, figures: bool) -> str:
    parts = [t.title, t.dek or ""]
    if figures:
        parts += [t.caption or "", t.credit or ""]
    return "\n".join(p for p in parts if p)


NESTED = "\u25e6 "  # "◦ " before a list item, once per level it is nested below the list's own


def item_depth(item: str) -> tuple[int, str]:
    """(how deep a list item is nested, its text without the markers)."""
    depth = 0
    while item.startswith(NESTED, depth * len(NESTED)):
        depth += 1
    return depth, item[depth * len(NESTED) :]

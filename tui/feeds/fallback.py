"""Fallback: anything the fast path refuses goes through feedparser's forgiving parsers.

feedparser is only ever given bytes (it must never fetch a URL itself), and its output is reduced
to the same `RawEntry` the fast path builds so that both paths normalise identically.
"""

from __future__ import annotations

import html
import re
from itertools import islice
from typing import Any

import feedparser
from feedparser.namespaces.mediarss import Namespace as _MediaNamespace

from tui.feeds.common import (
    MAX_ENTRIES,
    FeedError,
    RawEntry,
    RawMedia,
    build_entry,
    enclosure,
    newest_items,
    one_per_photo,
    parse_date,
    resolve,
    struct_to_ts,
    text_of,
    to_int,
    width_of,
)
from tui.feeds.fast import _DECL_ENCODING, _codec, charset_of
from tui.models import ParsedFeed

_CAPTIONS = "newsdesk_media_captions"
_ITEM_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)


def _start_media_description(self: Any, attrs_d: dict[str, str]) -> None:
    self.push("newsdesk_media_caption", 1)


def _end_media_description(self: Any) -> None:
    value = self.pop("newsdesk_media_caption")
    if value and value.strip():
        self._get_context().setdefault(_CAPTIONS, []).append(value)


# feedparser files media:description under the entry's *summary*, so the caption cannot be told
# apart from the article summary. Keep captions in their own list instead. This is the only
# feedparser behaviour we change, and newsdesk is feedparser's only user in the process.
_MediaNamespace._start_media_description = _start_media_description
_MediaNamespace._end_media_description = _end_media_description


def parse_fallback(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    # Links are resolved against `url` later, so no content-location header is needed. Without a
    # content-type, headers stay empty: feedparser flags an incomplete header set as bozo.
    headers = {}
    ctype = (content_type or "").lower()
    # RFC 3023 makes text/xml without a charset US-ASCII, which would break most real feeds.
    if ctype and not (ctype.startswith("text/") and "charset" not in ctype):
        headers["content-type"] = content_type
    data, cut = first_items(repair_utf8(data, content_type))
    d = feedparser.parse(
        data, sanitize_html=False, resolve_relative_uris=False, response_headers=headers
    )
    items, warning = newest_items(d.entries, _entry_date)
    warning = warning or cut
    entries = [build_entry(_raw_entry(e, url)) for e in items]
    feed = d.feed
    if d.get("bozo") and not isinstance(d.get("bozo_exception"), feedparser.NonXMLContentType):
        reason = _reason(d.get("bozo_exception"))
        if not entries and not feed.get("title"):
            raise FeedError(f"not a feed: unparseable XML ({reason})")
        warning = f"malformed feed, recovered {len(entries)} entries: {reason}"
    elif not d.get("version") and not entries:
        raise FeedError("not a feed: no RSS or Atom elements found")
    title_detail = feed.get("title_detail") or {}
    return ParsedFeed(
        title=text_of(feed.get("title"), "html" in title_detail.get("type", "")) or None,
        link=resolve(feed.get("link"), url),
        format=d.get("version") or "unknown",
        entries=entries,
        warning=warning,
        ttl=to_int(feed.get("ttl")),
    )


def repair_utf8(data: bytes, content_type: str | None) -> bytes:
    """A UTF-8 document with a few invalid bytes, with those bytes as U+FFFD.

    feedparser decodes a document that fails as UTF-8 as windows-1252 instead, so one bad byte
    (or a body cut mid-character) would turn every accent of every entry into mojibake, and the
    refresh would overwrite good stored titles with it. A document with no valid multi-byte
    sequence at all is more likely Latin-1 mislabelled: that one is left to feedparser's guess.
    """
    if not data.startswith(b"<"):
        return data  # UTF-16/32: feedparser's detection decides
    declared = _DECL_ENCODING.match(data[:4096])
    for name in (charset_of(content_type), declared.group(1).decode() if declared else None):
        if name and _codec(name) != "utf-8":
            return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if c > "\x7f") - bad
    return text.encode("utf-8") if multibyte > bad else data


def first_items(data: bytes) -> tuple[bytes, str | None]:
    """The document cut after its first MAX_ENTRIES items, keeping its closing tags, and a
    warning when it was cut.

    feedparser spends ~0.5 ms an item, so 100,000 items would hold a refresh for a minute; the
    items beyond the cap would be dropped anyway. Feeds list newest first by convention (unlike
    the fast path, an oldest-first feed keeps its oldest items here).
    """
    ends = _ITEM_END.finditer(data)
    nth = next(islice(ends, MAX_ENTRIES - 1, None), None)
    last, more = None, 0
    for more, last in enumerate(ends, 1):  # noqa: B007 - keep the final values
        pass
    if nth is None or last is None:
        return data, None
    total = MAX_ENTRIES + more
    warning = f"feed lists {total} entries; kept the first {MAX_ENTRIES}"
    return data[: nth.end()] + data[last.end() :], warning


def _entry_date(e: Any) -> float | None:
    return struct_to_ts(e.get("published_parsed") or dict.get(e, "updated_parsed"))


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    text = str(exc).replace("<unknown>:", "line ").strip() or type(exc).__name__
    return text if len(text) < 200 else text[:199] + "…"


def _raw_entry(e: Any, url: str) -> RawEntry:
    raw = RawEntry(base=url or None)
    raw.id = e.get("id")
    title_detail = e.get("title_detail") or {}
    raw.title = e.get("title")
    raw.title_is_html = "html" in title_detail.get("type", "")
    raw.link = e.get("link")
    if e.get("guidislink") and raw.link == raw.id:  # feedparser sets the flag loosely for Atom
        raw.link, raw.guid_link = None, raw.link
    detail = e.get("author_detail") or {}
    raw.author = detail.get("name") or e.get("author")
    # Our own date parser reads some strings feedparser gives up on (non-English day names).
    raw.published = struct_to_ts(e.get("published_parsed")) or parse_date(e.get("published"))
    # dict.get: FeedParserDict would silently answer "updated" with the published date.
    raw.updated = struct_to_ts(dict.get(e, "updated_parsed")) or parse_date(dict.get(e, "updated"))
    contents = e.get("content") or []
    raw.content_html = _html_value(contents[0]) if contents else ""
    summary = e.get("summary_detail")
    raw.summary_html = _html_value(summary) if summary else ""
    if contents and raw.summary_html == raw.content_html:
        raw.summary_html = ""  # feedparser copies the content into an absent summary
    raw.enclosures = [
        enclosure(x.get("href"), x.get("type"), x.get("length"), raw.base)
        for x in e.get("enclosures") or []
    ]
    raw.media = _media(e)
    return raw


def _html_value(detail: Any) -> str:
    value = (detail.get("value") or "").strip()
    if "html" in (detail.get("type") or ""):
        return value
    return html.escape(value, quote=False)


def _media(e: Any) -> list[RawMedia]:
    """feedparser flattens Media RSS, so captions and credits are paired with objects by order."""
    objects = [m for m in e.get("media_content") or [] if m.get("url")]
    if not objects:
        objects = [m for m in e.get("media_thumbnail") or [] if m.get("url")][:1]
    captions = [c.strip() for c in e.get(_CAPTIONS) or []]
    credits = [c["content"].strip() for c in e.get("media_credit") or [] if c.get("content")]
    found = [
        (
            RawMedia(
                url=m.get("url"),
                type=m.get("type"),
                medium=m.get("medium"),
                caption=_pick(captions, i, len(objects)),
                credit=_pick(credits, i, len(objects)),
            ),
            width_of(m.get("width")),
        )
        for i, m in enumerate(objects)
    ]
    out = one_per_photo(found)  # sizes of one photo are one figure
    if not out and (captions or credits):
        out.append(RawMedia(caption=_pick(captions, 0, 1), credit=_pick(credits, 0, 1)))
    return out


def _pick(values: list[str], index: int, count: int) -> str | None:
    if not values:
        return None
    return values[index] if len(values) == count else values[0]

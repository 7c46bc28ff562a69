"""JSON Feed 1.0 / 1.1 (https://jsonfeed.org), which feedparser cannot read."""

from __future__ import annotations

import html
import json
from typing import Any

from tui.feeds.common import (
    FeedError,
    RawEntry,
    RawMedia,
    build_entry,
    enclosure,
    newest_items,
    resolve,
)
from tui.models import ParsedFeed
from tui.textclean import clean_line


def looks_like_json(data: bytes, content_type: str | None) -> bool:
    first = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if content_type and "json" in content_type.lower():
        return first != b"<"  # servers label XML feeds as JSON too
    return first == b"{"


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"invalid JSON Feed: {_short(exc)}") from None
    if not isinstance(doc, dict):
        raise FeedError("invalid JSON Feed: top level is not an object")
    version = _str(doc.get("version"))
    items = doc.get("items")
    if "jsonfeed.org" not in version and not isinstance(items, list):
        raise FeedError("not a feed: JSON without a JSON Feed version or items")
    base = resolve(_str(doc.get("feed_url")), url) or url
    dicts, warning = newest_items([i for i in items or [] if isinstance(i, dict)], _item_date)
    entries = [build_entry(_item(i, base)) for i in dicts]
    return ParsedFeed(
        title=clean_line(_str(doc.get("title"))) or None,
        link=resolve(_str(doc.get("home_page_url")), base),
        format="json11" if version.rstrip("/").endswith("1.1") else "json10",
        entries=entries,
        warning=warning,
    )


def _item_date(item: dict[str, Any]) -> str | None:
    return _str(item.get("date_published")) or _str(item.get("date_modified")) or None


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:159] + "…"


def _str(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


def _item(item: dict[str, Any], base: str | None) -> RawEntry:
    raw = RawEntry(base=base)
    raw.id = _str(item.get("id")) or None
    raw.title = _str(item.get("title"))
    raw.link = _str(item.get("url")) or _str(item.get("external_url")) or None
    raw.author = _author(item)
    raw.published = _str(item.get("date_published")) or None
    raw.updated = _str(item.get("date_modified")) or None
    text = _str(item.get("content_text"))
    raw.content_html = _str(item.get("content_html")) or (
        html.escape(text, quote=False) if text else ""
    )
    summary = _str(item.get("summary"))
    raw.summary_html = html.escape(summary, quote=False) if summary else ""
    attachments = [a for a in _list(item.get("attachments")) if isinstance(a, dict)]
    raw.enclosures = [
        enclosure(
            _str(a.get("url")),
            _str(a.get("mime_type")) or None,
            _str(a.get("size_in_bytes")) or None,
            base,
        )
        for a in attachments
        if _str(a.get("url"))
    ]
    lead = _str(item.get("image")) or _str(item.get("banner_image"))
    if lead:
        raw.media = [RawMedia(url=lead, medium="image")]
    return raw


def _author(item: dict[str, Any]) -> str | None:
    authors = [a for a in _list(item.get("authors")) if isinstance(a, dict)]
    if not authors and isinstance(item.get("author"), dict):
        authors = [item["author"]]
    names = [_str(a.get("name")) for a in authors if _str(a.get("name"))]
    return ", ".join(names) or None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []

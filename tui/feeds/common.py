"""Helpers shared by every feed parser: dates, keys, links, media and entry assembly.

Both the lxml fast path and the feedparser fallback reduce an item to a `RawEntry` of plain
strings and hand it to `build_entry`, so the two paths normalise identically.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_tz
from typing import TypeVar
from urllib.parse import urljoin

from tui.models import Enclosure, Media, ParsedEntry
from tui.textclean import clean_line, html_to_text, safe_url

SUMMARY_TEXT_LIMIT = 2000
# Entries kept from one feed document. Normalising costs ~0.1 ms an entry, so a hostile feed of
# 100,000 items would hold a refresh for many seconds; no real feed lists this many (retention
# keeps 2,000 a source by default).
MAX_ENTRIES = 2000
# html_to_text only needs enough HTML to fill SUMMARY_TEXT_LIMIT characters of text.
_SUMMARY_HTML_SCAN = 12_000
_MIN_YEAR = 1970
_MAX_YEAR = 9999
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_RFC822_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d{2,4})\b")
_IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|$)", re.IGNORECASE)
T = TypeVar("T")


class FeedError(ValueError):
    """The data is not a feed at all (HTML page, empty body, garbage)."""


@dataclass
class RawMedia:
    url: str | None = None
    type: str | None = None
    medium: str | None = None
    caption: str | None = None
    credit: str | None = None


def one_per_photo(renditions: list[tuple[RawMedia, float]]) -> list[RawMedia]:
    """Sizes of one photo (the same address but for the query string: `?w=140`, `?w=460`)
    are one figure, the widest; different photos keep their order. (media, width or 0)."""
    best: dict[str, tuple[RawMedia, float]] = {}
    for media, width in renditions:
        key = (media.url or "").split("?", 1)[0].split("#", 1)[0] or str(id(media))
        if key not in best or width > best[key][1]:
            best[key] = (media, width)
    return [media for media, _width in best.values()]


def width_of(value: object) -> float:
    """A media:content `width` attribute as a number (0 when absent or not a number)."""
    try:
        return float(str(value))
    except ValueError:
        return 0.0


@dataclass
class RawEntry:
    """One item as strings straight from the document, before normalisation."""

    id: str | None = None
    title: str | None = None
    title_is_html: bool = False
    link: str | None = None
    guid_link: str | None = None  # an RSS guid that may serve as the permalink
    author: str | None = None
    published: str | float | None = None  # a date string, or a timestamp already parsed
    updated: str | float | None = None
    summary_html: str = ""
    content_html: str = ""
    base: str | None = None
    media: list[RawMedia] = field(default_factory=list)
    enclosures: list[Enclosure] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Dates


def parse_date(value: str | None) -> float | None:
    """UTC unix time of an RFC 822 / ISO 8601 (or common variant) date, else None."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    ts = _rfc822(value) if value[:1].isalpha() or "," in value[:6] else _iso8601(value)
    if ts is None:
        ts = _feedparser_date(value)
    if ts is None:
        ts = _localized(value)
    return ts


def _localized(value: str) -> float | None:
    """A date with the month (and day) named in another language, read as RFC 822 once the
    month is in English; with no zone written, UTC."""
    from tui.feeds.localdates import english_date

    english = english_date(value)
    if english is None:
        return None
    if re.search(r"[+-]\d{4}\b|\b[A-Z]{1,4}$", english) is None:
        english += " +0000"
    return _rfc822(english)


def _rfc822(value: str) -> float | None:
    parts = parsedate_tz(value)
    if not parts or parts[0] is None:
        return None
    if parts[9] is None and not re.search(r"\b(GMT|UTC?|Z)\b", value):
        return None  # unknown zone name: let feedparser's table try
    year = parts[0]
    written = _RFC822_YEAR.search(value)
    if written and len(written.group(1)) == 4:
        year = int(written.group(1))  # email.utils turns "0001" into 2001
    elif year < 100:  # two-digit years, as feedparser reads them
        year += 2000 if year < 50 else 1900
    return _from_tuple((year, *parts[1:6]), parts[9] or 0)


def _iso8601(value: str) -> float | None:
    text = value.replace("Z", "+00:00").replace("z", "+00:00")
    if len(text) >= 11 and text[10] in " t":
        text = text[:10] + "T" + text[11:]
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    # Whole seconds, as feedparser gives them: both paths must agree on the same entry.
    return _checked(dt.year, float(int(dt.timestamp())))


def _feedparser_date(value: str) -> float | None:
    from feedparser.datetimes import _parse_date  # a private but long-stable helper

    try:
        parsed = _parse_date(value)
    except Exception:  # feedparser's date handlers can raise almost anything on junk
        return None
    return struct_to_ts(parsed)


def struct_to_ts(parsed: time.struct_time | None) -> float | None:
    """A feedparser `*_parsed` value (a UTC struct_time) as unix time, with the year checked."""
    if not parsed:
        return None
    try:
        return _checked(parsed[0], float(calendar.timegm(parsed)))
    except (OverflowError, ValueError, TypeError):
        return None


def _from_tuple(fields: tuple[int, ...], offset: int) -> float | None:
    try:
        return _checked(fields[0], float(calendar.timegm((*fields, 0, 0, 0)) - offset))
    except (OverflowError, ValueError, TypeError):
        return None


def _checked(year: int, ts: float) -> float | None:
    # Year 0, 1899 and friends are placeholders for "no date"; keep far-future dates as given.
    return ts if _MIN_YEAR <= year <= _MAX_YEAR else None


# ---------------------------------------------------------------------------------------------
# Entry assembly


def newest_items(
    items: list[T], date_of: Callable[[T], str | float | None]
) -> tuple[list[T], str | None]:
    """At most MAX_ENTRIES items, the newest, and a warning when some were dropped.

    Feeds list newest first by convention; when the last item is dated later than the first the
    feed runs oldest first and its tail is kept. Only two dates are read: the rest are not parsed.
    """
    if len(items) <= MAX_ENTRIES:
        return items, None
    first, last = _ts(date_of(items[0])), _ts(date_of(items[-1]))
    oldest_first = first is not None and last is not None and last > first
    kept = items[-MAX_ENTRIES:] if oldest_first else items[:MAX_ENTRIES]
    return kept, f"feed lists {len(items)} entries; kept the newest {MAX_ENTRIES}"


def resolve(url: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, resolved against `base`, or None."""
    if not url:
        return None
    url = url.strip()
    if base and not url.lower().startswith(("http://", "https://")):
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    return safe_url(url)


def text_of(value: str | None, is_html: bool) -> str:
    """One display line from a title-like field that may carry markup or escaped entities."""
    if not value:
        return ""
    if is_html or _TAG.search(value) or "&" in value:
        value = html_to_text(value) if _TAG.search(value) else html.unescape(value)
    return clean_line(value)


def make_key(raw: RawEntry, link: str | None, published: float | None) -> str:
    if raw.id and raw.id.strip():
        key = raw.id.strip()
        return key if len(key) <= 1000 else "sha1:" + hashlib.sha1(key.encode()).hexdigest()
    if link:
        return link
    seed = f"{raw.title or ''}\n{published or ''}".encode("utf-8", "replace")
    return "sha1:" + hashlib.sha1(seed).hexdigest()


def build_entry(raw: RawEntry) -> ParsedEntry:
    link = resolve(raw.link, raw.base)
    if not link and raw.guid_link and raw.guid_link.lower().startswith(("http://", "https://")):
        link = resolve(raw.guid_link, None)  # a bare "12345" guid is no permalink, whatever it says
    published = _ts(raw.published)
    updated = _ts(raw.updated)
    if published is None:
        published = updated
    media = build_media(raw)
    summary_source = raw.summary_html or raw.content_html
    if summary_source:
        summary_text = html_to_text(summary_source, limit=_SUMMARY_HTML_SCAN)
    else:
        summary_text = next((m.caption for m in media if m.caption), "")
    if len(summary_text) > SUMMARY_TEXT_LIMIT:
        summary_text = summary_text[: SUMMARY_TEXT_LIMIT - 1] + "…"
    return ParsedEntry(
        key=make_key(raw, link, published),
        title=text_of(raw.title, raw.title_is_html),
        link=link,
        author=clean_line(raw.author) or None,
        published=published,
        updated=updated,
        summary_html=raw.summary_html or "",
        content_html=raw.content_html or "",
        summary_text=summary_text,
        media=media,
        enclosures=[e for e in raw.enclosures if e.url],
    )


def _ts(value: str | float | None) -> float | None:
    if value is None or isinstance(value, float):
        return value if value is None or math.isfinite(value) else None  # NaN is no time
    return parse_date(value)


def build_media(raw: RawEntry) -> list[Media]:
    """Media RSS objects first; image enclosures only when the item has no media elements."""
    out: list[Media] = []
    seen: set[str] = set()
    for m in raw.media:
        url = resolve(m.url, raw.base)
        if url and url in seen:
            continue
        if url:
            seen.add(url)
        caption = clean_line(
            html_to_text(m.caption) if m.caption and "<" in m.caption else m.caption
        )
        out.append(
            Media(
                url=url,
                caption=caption or None,
                credit=clean_line(m.credit) or None,
                type=m.type or (f"{m.medium}/*" if m.medium else None),
            )
        )
    if not out:
        for enc in raw.enclosures:
            if is_image(enc.type, enc.url):
                out.append(Media(url=resolve(enc.url, raw.base), type=enc.type))
    return out


def is_image(mime: str | None, url: str | None) -> bool:
    if mime:
        return mime.lower().startswith("image/")
    return bool(url and _IMAGE_EXT.search(url))


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def enclosure(url: str | None, mime: str | None, length: str | None, base: str | None) -> Enclosure:
    return Enclosure(url=resolve(url, base) or "", type=mime or None, length=to_int(length))

"""Feed parsing: bytes in, a normalised `ParsedFeed` out. Core layer: no Textual here.

`parse_feed` tries, in order: JSON Feed, the lxml fast path for well-formed RSS/Atom, and
feedparser for everything else. It raises only `FeedError`, and only when the data is not a feed.
"""

from __future__ import annotations

import re

from tui.feeds.common import FeedError
from tui.feeds.fast import parse_fast
from tui.feeds.jsonfeed import looks_like_json, parse_json_feed
from tui.models import ParsedFeed

__all__ = ["FeedError", "parse_feed", "parse_fast", "parse_fallback", "parse_json_feed"]

_HTML_PAGE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def parse_fallback(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """feedparser's path, imported on first use: well-formed feeds never pay for feedparser."""
    from tui.feeds.fallback import parse_fallback as fallback

    return fallback(data, url, content_type)


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a fetched feed body. Raises FeedError (a ValueError) when it is not a feed."""
    if not data or not data.strip():
        raise FeedError("empty body")
    if looks_like_json(data, content_type):
        return parse_json_feed(data, url)
    if _HTML_PAGE.match(data[:4096]):
        raise FeedError("not a feed: got an HTML page")
    # Whitespace before the XML declaration is a fatal error for XML parsers and common in
    # podcast feeds; dropping it lets both paths read the document as its author meant.
    if data[:1].isspace() or data.startswith(b"\xef\xbb\xbf"):
        data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    try:
        feed = parse_fast(data, url, content_type)
        return feed if feed is not None else parse_fallback(data, url, content_type)
    except FeedError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile feed must never crash a refresh
        raise FeedError(f"not a feed: parser failed ({type(exc).__name__}: {exc})"[:200]) from exc

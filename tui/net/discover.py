"""Find a site's feeds from the <link rel="alternate"> tags of its HTML page."""

from __future__ import annotations

from urllib.parse import urljoin

from tui.textclean import url_is_clean

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "text/xml",
    "application/xml",
)


def looks_like_html(data: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def discover_feeds(html: bytes, base_url: str) -> list[str]:
    """Feed URLs a page advertises, in page order, absolute, without duplicates."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        doc = lxml_html.document_fromstring(html[:2_000_000])
    except (etree.ParserError, ValueError):
        return []
    base = doc.find(".//base[@href]")
    if base is not None:
        base_url = urljoin(base_url, base.get("href", ""))
    found: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        # a href holding controls would become the stored source URL, shown everywhere (and
        # urljoin quietly drops tabs and newlines, so it is checked before joining)
        if "alternate" in rel and kind in FEED_TYPES and href and url_is_clean(href):
            try:
                url = urljoin(base_url, href)
            except ValueError:
                continue
            if url.startswith(("http://", "https://")) and url_is_clean(url) and url not in found:
                found.append(url)
    return found

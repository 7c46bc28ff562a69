"""Fast path: well-formed RSS 2.0 / RSS 1.0 / Atom 1.0 read with lxml.

`parse_fast` returns None whenever the document holds anything it does not fully understand
(a parse error, a DOCTYPE, an unknown root, a charset conflict); the caller then falls back to
feedparser. The XML parser never loads DTDs, never expands entities and never touches the network.
"""

from __future__ import annotations

import codecs
import html
import re

from lxml import etree

from tui.feeds.common import (
    RawEntry,
    build_entry,
    enclosure,
    newest_items,
    resolve,
    text_of,
    to_int,
)
from tui.feeds.mediarss import Unsupported, media_of
from tui.models import ParsedFeed
from tui.textclean import clean_line

ATOM = "{http://www.w3.org/2005/Atom}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RSS10 = "{http://purl.org/rss/1.0/}"
RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
XHTML = "http://www.w3.org/1999/xhtml"

_RSS_VERSIONS = {
    "2.0": "rss20",
    "2.0.1": "rss20",
    "0.91": "rss091u",
    "0.92": "rss092",
    "0.93": "rss093",
    "0.94": "rss094",
}
_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_LEADING = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


def _parser() -> etree.XMLParser:
    # One per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
    )


def prepare(data: bytes, content_type: str | None) -> bytes | None:
    """The bytes lxml should see, or None when the document needs feedparser's care."""
    if data.startswith(_BOM):
        data = data[3:]
    data = data.lstrip(_LEADING)
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!doctype" in head or b"<!ENTITY" in head:
        return None
    if not data.startswith(b"<"):
        return None  # UTF-16/32 or junk: feedparser's encoding detection handles those
    declared = _DECL_ENCODING.match(head)
    charset = charset_of(content_type)
    if charset and _codec(charset) != _codec(declared.group(1).decode() if declared else "utf-8"):
        return None
    return data


def charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def parse_fast(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed | None:
    prepared = prepare(data, content_type)
    if prepared is None:
        return None
    try:
        root = etree.fromstring(prepared, _parser(), base_url=url or None)
    except (etree.XMLSyntaxError, ValueError, LookupError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    if root.tag == "rss":
        return _rss(root)
    if root.tag == ATOM + "feed":
        return _atom(root)
    if root.tag == RDF + "RDF":
        return _rdf(root)
    return None


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    if len(el):
        return None  # markup inside a text field: not something the fast path understands
    return (el.text or "").strip()


def _raw_text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    if len(el):
        raise Unsupported("unescaped markup in " + str(el.tag))
    return el.text or ""


def _child_text(parent: etree._Element, tag: str) -> str | None:
    el = parent.find(tag)
    if el is not None and len(el):
        raise Unsupported(tag)
    return None if el is None else (el.text or "").strip()


# ---------------------------------------------------------------------------------------------
# RSS 2.0 / 0.9x and RSS 1.0 / 0.90


def _rss(root: etree._Element) -> ParsedFeed | None:
    channel = root.find("channel")
    if channel is None:
        return None
    fmt = _RSS_VERSIONS.get((root.get("version") or "").strip(), "rss")
    items, warning = newest_items(list(channel.iterchildren("item")), _rss_date)
    return _channel_feed(channel, items, "", fmt, warning)


def _rdf(root: etree._Element) -> ParsedFeed | None:
    for ns, fmt in ((RSS10, "rss10"), (RSS090, "rss090")):  # noqa: B007 - used after the loop
        channel = root.find(ns + "channel")
        if channel is not None:
            break
    else:
        return None
    items, warning = newest_items(list(root.iterchildren(ns + "item")), _rss_date)
    return _channel_feed(channel, items, ns, fmt, warning)


def _channel_feed(
    channel: etree._Element, items: list[etree._Element], ns: str, fmt: str, warning: str | None
) -> ParsedFeed | None:
    """The feed an RSS channel and its items make, or None where a field holds markup (left to
    the fallback parser). RSS 1.0 (ns set) has no <ttl>."""
    try:
        entries = [build_entry(_rss_item(item, ns)) for item in items]
        title = _child_text(channel, ns + "title")
        link = _child_text(channel, ns + "link")
        ttl = None if ns else to_int(_child_text(channel, "ttl"))
    except Unsupported:
        return None
    return ParsedFeed(
        title=clean_line(title) or None,
        link=_site(link, channel.base),
        format=fmt,
        entries=entries,
        ttl=ttl,
        warning=warning,
    )


def _rss_date(item: etree._Element) -> str | None:
    return item.findtext("pubDate") or item.findtext(DC + "date")


def _site(link: str | None, base: str | None) -> str | None:
    return resolve(link, base)


def _index(parent: etree._Element) -> dict[str, etree._Element]:
    """The first child of each tag: one pass instead of a find() per field."""
    first: dict[str, etree._Element] = {}
    for child in parent:
        tag = child.tag
        if isinstance(tag, str) and tag not in first:
            first[tag] = child
    return first


def _get(first: dict[str, etree._Element], *tags: str) -> str | None:
    for tag in tags:
        el = first.get(tag)
        if el is not None:
            if len(el):
                raise Unsupported(tag)
            value = (el.text or "").strip()
            if value:
                return value
    return None


def _rss_item(item: etree._Element, ns: str) -> RawEntry:
    first = _index(item)
    raw = RawEntry(base=item.base)
    guid = first.get("guid")
    if guid is not None:
        raw.id = _text(guid)
        if (guid.get("isPermaLink") or "true").strip().lower() != "false":
            raw.guid_link = raw.id
    elif ns:
        raw.id = item.get(RDF + "about")
    raw.title = _get(first, ns + "title")
    raw.link = _get(first, ns + "link")
    raw.author = _get(first, "author", DC + "creator")
    raw.published = _get(first, "pubDate", DCTERMS + "issued", DC + "date")
    raw.updated = _get(first, DCTERMS + "modified", ATOM + "updated")
    raw.summary_html = _raw_text(first.get(ns + "description")).strip()
    raw.content_html = _raw_text(first.get(CONTENT + "encoded")).strip()
    if "enclosure" in first:
        raw.enclosures = [
            enclosure(e.get("url"), e.get("type"), e.get("length"), raw.base)
            for e in item.iterchildren("enclosure")
        ]
    raw.media = media_of(item)
    return raw


# ---------------------------------------------------------------------------------------------
# Atom 1.0


def _atom(root: etree._Element) -> ParsedFeed | None:
    items, warning = newest_items(list(root.iterchildren(ATOM + "entry")), _atom_date)
    try:
        entries = [build_entry(_atom_entry(e)) for e in items]
        title, _ = _atom_text(root.find(ATOM + "title"))
    except Unsupported:
        return None
    link = _atom_link(root)
    return ParsedFeed(
        title=text_of(title, True) or None,
        link=resolve(*link) if link else None,
        format="atom10",
        entries=entries,
        warning=warning,
    )


def _atom_date(entry: etree._Element) -> str | None:
    return entry.findtext(ATOM + "updated") or entry.findtext(ATOM + "published")


def _atom_link(parent: etree._Element) -> tuple[str, str | None] | None:
    """The href of the first alternate link, preferring HTML, and the base to resolve it by."""
    best = None
    for el in parent.iterchildren(ATOM + "link"):
        rel = (el.get("rel") or "alternate").strip()
        href = el.get("href")
        if rel != "alternate" or not href:
            continue
        kind = (el.get("type") or "text/html").lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return href, el.base
        best = best or (href, el.base)
    return best


def _atom_text(el: etree._Element | None) -> tuple[str | None, bool]:
    """(value, is_html) of an Atom text construct; xhtml is serialised to HTML."""
    if el is None:
        return None, False
    kind = (el.get("type") or "text").lower()
    if kind in ("xhtml", "application/xhtml+xml"):
        div = el.find(f"{{{XHTML}}}div")
        if div is None:
            raise Unsupported("xhtml without div")
        inner = (div.text or "") + "".join(
            etree.tostring(c, encoding="unicode", method="html", with_tail=True) for c in div
        )
        return _strip_xhtml_ns(inner).strip(), True
    if len(el):
        raise Unsupported("markup in atom text")
    value = (el.text or "").strip()
    if kind in ("html", "text/html"):
        return value, True
    if kind in ("text", "text/plain"):
        return value, False
    raise Unsupported("atom content type " + kind)


def _strip_xhtml_ns(markup: str) -> str:
    return re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", markup).replace("html:", "")


def _as_html(value: str | None, is_html: bool) -> str:
    if not value:
        return ""
    return value if is_html else html.escape(value, quote=False)


def _atom_entry(entry: etree._Element) -> RawEntry:
    first = _index(entry)
    raw = RawEntry(base=entry.base)
    raw.id = _get(first, ATOM + "id")
    raw.title, raw.title_is_html = _atom_text(first.get(ATOM + "title"))
    link = _atom_link(entry)
    if link:
        raw.link, raw.base = link
    author = first.get(ATOM + "author")
    if author is not None:
        names = _index(author)
        raw.author = _get(names, ATOM + "name", ATOM + "email")
    raw.published = _get(first, ATOM + "published", DCTERMS + "issued")
    raw.updated = _get(first, ATOM + "updated")
    raw.summary_html = _as_html(*_atom_text(first.get(ATOM + "summary")))
    content = first.get(ATOM + "content")
    if content is not None and content.get("src") is None:
        raw.content_html = _as_html(*_atom_text(content))
    raw.enclosures = [
        enclosure(el.get("href"), el.get("type"), el.get("length"), el.base)
        for el in entry.iterchildren(ATOM + "link")
        if (el.get("rel") or "").strip() == "enclosure" and el.get("href")
    ]
    raw.media = media_of(entry)
    return raw

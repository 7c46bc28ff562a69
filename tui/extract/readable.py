"""Never nothing: the page's readable text when no article is found in it, and a clear reason
when the input is not a web page at all.

The readable text is the page's headings, paragraphs and lists (navigation, footers, forms and
scripts left out), in page order, with a one-line notice saying that this is what it is.
"""

from __future__ import annotations

import re
from typing import Any

from tui.models import Article, Block

NOTICE = "No article found on this page: showing its text."
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "select",
    "button",
    "svg",
    "iframe",
    "object",
    "head",
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_MAX_BLOCKS = 2000
# Magic numbers of the files a link most often turns out to be instead of a page.
_MAGIC = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"%PDF", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
)
_WEB_TYPES = re.compile(r"html|xml|text/plain|^$", re.IGNORECASE)
_FEED_ROOT = re.compile(
    rb"^(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)[\s>]", re.S | re.I
)


def not_html(data: bytes, content_type: str | None = None) -> str | None:
    """Why `data` is not a web page ("not an HTML page (got image/png)"), or None if it may be."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    head = data[:512].lstrip()
    sniffed = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    if sniffed is None and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        sniffed = "image/webp"
    if sniffed:
        return f"not an HTML page (got {sniffed})"
    if kind and not _WEB_TYPES.search(kind) and kind != "application/octet-stream":
        return f"not an HTML page (got {kind})"
    if _FEED_ROOT.search(head) and not re.search(rb"<html", head, re.IGNORECASE):
        return "not an HTML page (got an RSS or Atom feed)"  # `read` given a feed's URL
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\x00" in data[:4096]:
        return "not an HTML page (got binary data)"
    if not utf16 and b"<" not in data[:65536]:
        return "not an HTML page (got plain text)"  # /etc/passwd, a README: no tag at all
    return None


def readable_article(html: str | bytes, url: str | None) -> Article | None:
    """The page's headings, paragraphs and lists, or None when it has no text at all."""
    from tui.extract.blocks import body_blocks
    from tui.extract.meta import article_from_meta, page_meta

    try:
        from trafilatura.utils import load_html

        root = load_html(html)
    except Exception:  # noqa: BLE001 - unparseable: no text to show
        return None
    if root is None:
        return None
    meta = page_meta(root, url)
    _strip(root)
    body = root.find("body")
    blocks = body_blocks(body if body is not None else root, url)[:_MAX_BLOCKS]
    if not any(_has_words(b) for b in blocks):
        return None
    return article_from_meta(meta, url, blocks, notice=NOTICE)


def _strip(root: Any) -> None:
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.xpath("//*[@hidden or @aria-hidden='true' or @style]")):
        hidden = el.get("hidden") is not None or el.get("aria-hidden") == "true"
        if (hidden or _HIDDEN.search(el.get("style") or "")) and el.getparent() is not None:
            el.drop_tree()


def _has_words(b: Block) -> bool:
    text = " ".join(b.items) if b.type == "list" else (b.text or b.caption or "")
    return bool(re.search(r"\w", text))

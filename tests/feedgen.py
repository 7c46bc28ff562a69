"""Build small RSS and Atom documents for tests."""

from __future__ import annotations

from email.utils import formatdate
from xml.sax.saxutils import escape


def rss(title: str, items: list[dict], link: str = "http://example.org/") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>",
        "<description>test feed</description>",
    ]
    for i, item in enumerate(items):
        guid = item.get("guid", f"{link}item/{i}")
        parts.append("<item>")
        parts.append(f"<title>{escape(item.get('title', f'Item {i}'))}</title>")
        parts.append(f"<link>{escape(item.get('link', guid))}</link>")
        parts.append(f'<guid isPermaLink="false">{escape(guid)}</guid>')
        if "date" in item:
            parts.append(f"<pubDate>{formatdate(item['date'], usegmt=True)}</pubDate>")
        parts.append(f"<description>{escape(item.get('summary', 'Summary text.'))}</description>")
        if "image" in item:
            parts.append(f'<media:content url="{escape(item["image"])}" medium="image">')
            if "caption" in item:
                parts.append(f"<media:description>{escape(item['caption'])}</media:description>")
            if "credit" in item:
                parts.append(f"<media:credit>{escape(item['credit'])}</media:credit>")
            parts.append("</media:content>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def atom(title: str, items: list[dict], link: str = "http://example.org/") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f'<title>{escape(title)}</title><link href="{escape(link)}"/>',
        f"<id>{escape(link)}</id><updated>2026-11-25T10:00:00Z</updated>",
    ]
    for i, item in enumerate(items):
        ident = item.get("guid", f"{link}entry/{i}")
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.get('title', f'Entry {i}'))}</title>")
        parts.append(f'<link href="{escape(item.get("link", ident))}"/>')
        parts.append(f"<id>{escape(ident)}</id>")
        parts.append(f"<updated>{item.get('iso', '2026-11-25T09:00:00Z')}</updated>")
        parts.append(f"<summary>{escape(item.get('summary', 'Summary text.'))}</summary>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts)

"""Subscription lists in and out: OPML 1.0/2.0 and newsboat `urls` files."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from email.utils import formatdate
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:  # lxml is imported when a file is read, not when the module is
    from lxml import etree


class ImportError_(ValueError):
    """The file is neither OPML nor a newsboat urls list."""


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str | None = None
    folder: str | None = None


def read_subscriptions(data: bytes) -> list[Subscription]:
    """Parse OPML (nested outlines become folders) or a newsboat urls file (tags become folders)."""
    head = data.lstrip()[:512].lower()
    if head.startswith(b"<") and (b"<opml" in data[:4096].lower() or head.startswith(b"<?xml")):
        return _read_opml(data)
    return _read_urls(data.decode("utf-8", errors="replace"))


def _read_opml(data: bytes) -> list[Subscription]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportError_(f"not valid OPML: {exc}") from None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ImportError_("not an OPML file (no <opml> root)")
    body = root.find("body")
    out: list[Subscription] = []
    if body is not None:
        _walk_outlines(body, [], out)
    return out


def _walk_outlines(node: etree._Element, folders: list[str], out: list[Subscription]) -> None:
    for outline in node.iterfind("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        title = outline.get("title") or outline.get("text")
        if url:
            folder = "/".join(folders) or None
            out.append(Subscription(url, title.strip() if title else None, folder))
        else:
            name = (title or "").strip()
            _walk_outlines(outline, folders + [name] if name else folders, out)


def _read_urls(text: str) -> list[Subscription]:
    out: list[Subscription] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parts = shlex.split(line, comments=True)
        except ValueError:
            parts = line.split()
        if not parts:
            continue
        url, tags = parts[0], parts[1:]
        if url.startswith(("query:", "exec:", "filter:")):
            continue  # newsboat-only pseudo feeds
        title = next((t[1:] for t in tags if t.startswith("~")), None)
        folders = [t for t in tags if not t.startswith(("~", "!"))]
        out.append(Subscription(url, title, folders[0] if folders else None))
    if not out and text.strip():
        raise ImportError_("no feed URLs found (expected OPML or one URL per line)")
    return out


def write_opml(subs: list[Subscription], title: str = "newsdesk subscriptions") -> str:
    """OPML 2.0; folders become parent outlines so the file re-imports to the same set."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_esc(title)}</title><dateCreated>{formatdate()}</dateCreated></head>",
        "  <body>",
    ]
    by_folder: dict[str | None, list[Subscription]] = {}
    for sub in subs:
        by_folder.setdefault(sub.folder, []).append(sub)
    for sub in by_folder.pop(None, []):
        lines.append("    " + _outline(sub))
    for folder, items in sorted(by_folder.items(), key=lambda kv: kv[0] or ""):
        lines.append(
            f"    <outline text={quoteattr(folder or '')} title={quoteattr(folder or '')}>"
        )
        lines.extend("      " + _outline(sub) for sub in items)
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _outline(sub: Subscription) -> str:
    name = sub.title or sub.url
    return (
        f'<outline type="rss" text={quoteattr(name)} title={quoteattr(name)} '
        f"xmlUrl={quoteattr(sub.url)}/>"
    )


def _esc(text: str) -> str:
    return quoteattr(text)[1:-1]

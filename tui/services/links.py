"""The links of an entry, numbered for the links screen: its own link, figure images, enclosures
(podcasts, videos) and the links inside its feed HTML. Only http(s) URLs survive (`safe_url`).

No Textual here; `collect_links` parses HTML, so the app calls it from a thread worker.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from tui.models import Article
from tui.store import EntryRow
from tui.textclean import clean_line, safe_url

MAX_LINKS = 200


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    kind: str  # "article", "image", "enclosure", "link", "teaser" (a story it lists)
    media_type: str = ""

    @property
    def playable(self) -> bool:
        return self.kind == "enclosure"


def collect_links(entry: EntryRow, article: Article | None = None) -> list[Link]:
    """Every distinct safe link of an entry (`article`: a models.Article for figure images)."""
    found: list[Link] = []
    base = entry.link or ""
    found.append(Link(entry.link or "", "The article", "article"))
    for enc in _json_list(entry.enclosures):
        kind = str(enc.get("type") or "")
        found.append(Link(str(enc.get("url") or ""), _enclosure_label(enc), "enclosure", kind))
    blocks = article.blocks if article is not None else []
    for block in blocks:
        for t in block.teasers if block.type == "teasers" else []:
            if t.url:
                found.append(Link(urljoin(base, t.url), clean_line(t.title, 80) or t.url, "teaser"))
        if block.type == "figure" and block.src:
            label = clean_line(block.caption, 80) or "Image"
            found.append(Link(urljoin(base, block.src), label, "image"))
    for media in entry.pictures:
        if media.url:
            label = clean_line(media.caption, 80) or "Image"
            found.append(Link(media.url, label, "image"))
    for href, text in _html_links(entry.content_html or entry.summary_html or ""):
        found.append(Link(urljoin(base, href), clean_line(text, 80) or href, "link"))
    return _distinct_safe(found)


def _json_list(raw: str | None) -> list[dict[str, Any]]:
    try:
        value = json.loads(raw or "[]")
    except (TypeError, ValueError):
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _enclosure_label(enc: dict[str, Any]) -> str:
    kind = clean_line(str(enc.get("type") or "media"), 40)
    try:
        size = int(enc.get("length") or 0)
    except (TypeError, ValueError):
        size = 0
    return f"Enclosure ({kind}{f', {size / 1e6:.1f} MB' if size > 0 else ''})"


def _html_links(html: str) -> list[tuple[str, str]]:
    if not html.strip():
        return []
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return []
    return [(href, a.text_content()) for a in root.iter("a") if (href := a.get("href"))]


def _distinct_safe(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    out = []
    for link in links:
        url = safe_url(link.url)
        if url is None or url in seen:
            continue
        seen.add(url)
        out.append(Link(url, link.label, link.kind, link.media_type))
    return out[:MAX_LINKS]


def play(player: list[str], url: str) -> subprocess.Popen[bytes]:
    """Start the configured player on a URL: an argument list, never a shell string."""
    if safe_url(url) is None:
        raise ValueError("only http(s) links can be played")
    return subprocess.Popen(
        [*player, url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def browser_command(browser: list[str], url: str) -> list[str]:
    """The configured browser's argument list for `url`: `%u` in an argument is replaced by
    it, or it is appended (as newsboat's `browser` setting). Never a shell string."""
    if safe_url(url) is None:
        raise ValueError("only http(s) links are opened")
    if not any("%u" in arg for arg in browser):
        return [*browser, url]
    return [arg.replace("%u", url) for arg in browser]

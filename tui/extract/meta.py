"""Title, byline, date, site name and lead image from the page's own markup.

Cheaper than trafilatura's metadata pass (no date guessing over the whole page): Open Graph and
article meta tags, then JSON-LD, then the visible `<h1>`/`<title>`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from tui.models import Article, Block
from tui.textclean import clean_line, safe_url

if TYPE_CHECKING:  # types only: lxml.html is loaded with the first page
    from lxml.html import HtmlElement

_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# Through the attribute axis: much faster than testing every element's attributes.
_AUTHOR_XPATH = "(//@rel[. = 'author'] | //@itemprop[. = 'author'])/.."
_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "byline": (
        "author",
        "article:author",
        "dc.creator",
        "byl",
        "parsely-author",
        "sailthru.author",
    ),
    "published": (
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "sailthru.date",
        "parsely-pub-date",
    ),
    "site": ("og:site_name", "application-name", "twitter:site"),
    "lead_image": ("og:image", "og:image:url", "twitter:image", "twitter:image:src"),
}


# The elements metadata reads, in one walk over the page rather than one each: meta tags (those
# below the root, as `root.iter` finds them), headlines, the <title>, time stamps and JSON-LD.
_MARKS = etree.XPath(
    "descendant-or-self::meta | //h1 | //title | //time[@datetime]"
    " | //script[@type='application/ld+json']"
)


@dataclasses.dataclass
class PageMarks:
    """The page's elements of each kind `_MARKS` finds, in page order."""

    meta: list[Any] = dataclasses.field(default_factory=list)
    h1: list[Any] = dataclasses.field(default_factory=list)
    title: list[Any] = dataclasses.field(default_factory=list)
    time: list[Any] = dataclasses.field(default_factory=list)
    script: list[Any] = dataclasses.field(default_factory=list)


def page_marks(root: HtmlElement) -> PageMarks:
    marks = PageMarks()
    for el in _MARKS(root):
        getattr(marks, el.tag).append(el)
    return marks


def article_from_meta(
    meta: dict[str, str | None], url: str | None, blocks: list[Block], **more: Any
) -> Article:
    """An Article of these blocks with the page's title, byline, date and site."""
    return Article(
        url=url,
        title=meta["title"],
        byline=meta["byline"],
        published=meta["published"],
        site=meta["site"],
        blocks=blocks,
        **more,
    )


def page_meta(
    root: HtmlElement, url: str | None, marks: PageMarks | None = None
) -> dict[str, str | None]:
    marks = page_marks(root) if marks is None else marks
    metas: dict[str, str] = {}
    for m in marks.meta:
        name = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if name and content and name not in metas:
            metas[name] = content
    out: dict[str, str | None] = {}
    for field, keys in _META_KEYS.items():
        out[field] = next((metas[k] for k in keys if metas.get(k)), None)
    # JSON-LD only fills gaps; most pages need no parsing of it at all
    needs_ld = not all(out.values()) or (out["byline"] or "").startswith("http")
    ld = _json_ld(marks.script) if needs_ld else {}
    out["title"] = out["title"] or ld.get("headline") or _text(marks.h1) or _text(marks.title)
    byline = out["byline"]
    if not byline or byline.startswith("http"):
        byline = ld.get("author") or _text(root.xpath(_AUTHOR_XPATH))
    out["byline"] = byline
    out["published"] = _iso(out["published"] or ld.get("datePublished") or _time_attr(marks.time))
    out["site"] = out["site"] or ld.get("publisher") or (urlsplit(url).hostname if url else None)
    image = out["lead_image"] or ld.get("image")
    out["lead_image"] = safe_url(urljoin(url, image)) if image and url else safe_url(image)
    for key in ("title", "byline", "site"):
        out[key] = clean_line(out[key], limit=300) or None
    return out


def _text(found: Any) -> str | None:
    """The first element's text."""
    if found:
        return clean_line(" ".join(found[0].itertext())) or None
    return None


def _time_attr(times: list[HtmlElement]) -> str | None:
    for el in times[:3]:
        value: str = el.get("datetime") or ""
        if _DATE.search(value):
            return value
    return None


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    m = _DATE.search(value)
    return m.group(0).replace(" ", "T") if m else None


def _json_ld(scripts: list[HtmlElement]) -> dict[str, str]:
    found: dict[str, str] = {}
    for script in scripts[:5]:
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            for key in ("headline", "datePublished"):
                if isinstance(item.get(key), str):
                    found.setdefault(key, item[key])
            for key in ("author", "publisher", "image"):
                name = _ld_name(item.get(key), "url" if key == "image" else "name")
                if name:
                    found.setdefault(key, name)
    return found


def _ld_items(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 3:
        return
    if isinstance(data, list):
        for d in data:
            yield from _ld_items(d, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)
        if str(data.get("@type", "")).lower().endswith(("article", "posting", "report")):
            yield data


def _ld_name(value: Any, field: str) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v, field) for v in value[:5]) if n]
        return ", ".join(names) if field == "name" else (names[0] if names else None)
    if isinstance(value, dict):
        v = value.get(field)
        return v if isinstance(v, str) else None
    return value if isinstance(value, str) else None

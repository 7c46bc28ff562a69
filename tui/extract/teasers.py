"""Pages of teasers (section fronts, topic pages, rivers of headlines), told by their structure.

A teaser unit is a small element holding one headline link, an image and at most a short text
(the dek), with the photo's caption and credit. A page is a page of teasers when several such
units repeat the same shape (same tag and class) and hold more text than the article found on
the page; then the reader shows the units as one `teasers` block, each headline a link.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any
from urllib.parse import urljoin

from tui.extract.figtext import caption_and_credit
from tui.extract.images import has_image
from tui.models import Block, Teaser
from tui.textclean import clean_line, safe_url

MIN_UNITS = 4  # fewer is a "related stories" box, not a page of them
_HEADLINE_WORDS = (3, 30)
_DEK_WORDS = 80
_UNIT_WORDS = 160  # a unit holding more text is a section of the page, not a teaser
_MAX_LINKS = 3000
_HEADING = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_SKIP = frozenset(("script", "style", "noscript", "template", "svg", "button"))
_CHROME = frozenset(("nav", "footer", "header", "aside", "form"))
_MODIFIER = re.compile(r"--[\w-]*|\b\d+\b")


def find_teasers(root: Any, base_url: str | None) -> Block | None:
    """The page's river of teasers as one block, or None when it has no such repeated units."""
    units = _units(root)
    groups: dict[tuple[str, str], list[tuple[Any, Any]]] = defaultdict(list)
    for unit, link in units:
        groups[_shape(unit)].append((unit, link))
    best = max(groups.values(), key=lambda g: (len(g), _words(g)), default=[])
    if len(best) < MIN_UNITS:
        return None
    items = [t for t in (_teaser(u, a, base_url) for u, a in best) if t is not None]
    return Block(type="teasers", teasers=items) if len(items) >= MIN_UNITS else None


def teaser_words(block: Block) -> int:
    return sum(len(f"{t.title} {t.dek or ''}".split()) for t in block.teasers)


def _units(root: Any) -> list[tuple[Any, Any]]:
    """(unit, headline link) pairs: the smallest ancestor of a headline link that holds an
    image, one story link and little text."""
    found: dict[Any, Any] = {}
    for n, a in enumerate(root.iter("a")):
        if n > _MAX_LINKS:
            break
        href = a.get("href") or ""
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        words = len(" ".join(a.itertext()).split())
        if not _HEADLINE_WORDS[0] <= words <= _HEADLINE_WORDS[1]:
            continue
        unit = _unit_of(a, href)
        if unit is not None and unit not in found:
            found[unit] = a
    # a unit inside another unit is the inner one's image box: keep the outer only
    return [(u, a) for u, a in found.items() if not any(p in found for p in u.iterancestors())]


def _unit_of(a: Any, href: str) -> Any:
    node = a
    for _ in range(5):
        node = node.getparent()
        if node is None or node.tag in ("body", "html", "main", "ul", "ol") or node.tag in _CHROME:
            return None
        if has_image(node):
            other = {x.get("href") for x in node.iter("a") if x.get("href")} - {href}
            # another story's link inside: we have climbed past the unit
            if any(
                len(" ".join(x.itertext()).split()) >= 3
                for x in node.iter("a")
                if x.get("href") in other
            ):
                return None
            return node if _text_words(node) <= _UNIT_WORDS else None
    return None


def _shape(unit: Any) -> tuple[str, str]:
    return unit.tag, _MODIFIER.sub("", unit.get("class") or "").strip()


def _words(group: list[tuple[Any, Any]]) -> int:
    return sum(_text_words(u) for u, _ in group)


def _text_words(el: Any) -> int:
    return len(" ".join(_texts(el)).split())


def _texts(el: Any) -> list[str]:
    out: list[str] = []
    _walk(el, out)
    return out


def _walk(el: Any, out: list[str]) -> None:
    if not isinstance(el.tag, str) or el.tag in _SKIP:
        return
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out)
        if child.tail:
            out.append(child.tail)


def _teaser(unit: Any, link: Any, base_url: str | None) -> Teaser | None:
    heading = next((h for h in link.iterancestors() if h.tag in _HEADING), None)
    title = clean_line(" ".join(_texts(heading if heading is not None else link)), 500)
    if not title:
        return None
    href = link.get("href") or ""
    try:
        url = safe_url(urljoin(base_url, href) if base_url else href)
    except ValueError:
        url = None
    caption, credit = caption_and_credit(unit)
    if caption and _alt_only(unit, caption):
        caption = None  # an image's alt text is no caption: often the headline again
    return Teaser(
        title=title,
        url=url,
        dek=_dek(unit, heading if heading is not None else link, {caption, credit}),
        credit=credit,
        caption=caption if caption != title else None,
    )


def _alt_only(unit: Any, caption: str) -> bool:
    visible = clean_line(" ".join(_texts(unit)))
    return caption not in visible


def _dek(unit: Any, head: Any, taken: set[str | None]) -> str | None:
    """The unit's short text that is not its headline, caption or credit."""
    head_text = clean_line(" ".join(_texts(head)))
    for el in unit.iter("p", "div", "span"):
        if el is head or head in el.iterancestors() or el in head.iterancestors():
            continue
        if any(c.tag in ("p", "div") for c in el):
            continue  # a wrapper: its paragraphs come next
        text = clean_line(" ".join(_texts(el)))
        words = len(text.split())
        if words >= 4 and words <= _DEK_WORDS and text != head_text and not _taken(text, taken):
            return text
    return None


def _taken(text: str, taken: set[str | None]) -> bool:
    return any(t and (t in text or text in t) for t in taken)

"""Where a figure's image is: `<img>`, `<picture>`/`<source>`, lazy `data-*` attributes, or the
`<noscript>` copy a lazy loader leaves for readers without scripts."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from tui.textclean import safe_url

LAZY_ATTRS = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-image",
)
_SRCSET_ATTRS = ("data-srcset", "srcset", "data-lazy-srcset")
_PLACEHOLDER = re.compile(
    r"^data:|placeholder|blank\.|spacer|1x1|transparent\.gif|^/?$|grey\.gif|pixel\.", re.IGNORECASE
)
_NOSCRIPT_IMG = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
# An empty box a script fills with the image ("lazyload-placeholder", "image-container").
_IMAGE_BOX = re.compile(r"image|img|photo|picture|lazy", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|webp|gif|avif)(?:$|[?#])", re.IGNORECASE)


_ANY_IMG = etree.XPath("boolean(.//img | .//picture)")
_LAZY_OR_NOSCRIPT = etree.XPath(
    ".//*[@data-src or @data-lazy-src or @data-original or @data-url or @data-hi-res-src"
    " or @data-full-src or @data-image] | .//noscript"
)
_BOXES = etree.XPath(
    ".//*[@class[contains(., 'mage') or contains(., 'img') or contains(., 'hoto')"
    " or contains(., 'icture') or contains(., 'azy')]]"
)


def has_image(el: Any) -> bool:
    """An image in any of its forms (a lazy placeholder `<div data-src=…>` counts)."""
    if el.tag in ("img", "picture") or _ANY_IMG(el):
        return True
    for sub in _LAZY_OR_NOSCRIPT(el):
        if sub.tag == "noscript" and "<img" in (sub.text or "").lower():
            return True
        if any(_IMAGE_FILE.search(sub.get(a) or "") for a in LAZY_ATTRS):
            return True
    return any(_IMAGE_BOX.search(sub.get("class") or "") and _empty(sub) for sub in _BOXES(el))


def _empty(el: Any) -> bool:
    return not "".join(el.itertext()).strip()


def image_src(fig: Any, base_url: str | None) -> str | None:
    """The best address of the figure's image, absolute when the page's address is known."""
    # the <img> first: a <picture>'s <source> may offer a format a terminal's viewer lacks
    for tags in (("img",), ("source", "noscript", "div", "span")):
        for el in fig.iter(*tags):
            src = _src_of(el)
            if src:
                return _absolute(src, base_url)
    return None


def _src_of(el: Any) -> str | None:
    if el.tag == "noscript":
        m = _NOSCRIPT_IMG.search(el.text or "")
        return m.group(1) if m and not _PLACEHOLDER.search(m.group(1)) else None
    for attr in LAZY_ATTRS:
        value = el.get(attr)
        if value and (el.tag in ("img", "source") or _IMAGE_FILE.search(value)):
            return str(value)
    if el.tag not in ("img", "source"):
        return None
    src = el.get("src")
    if src and not _PLACEHOLDER.search(src):
        return str(src)
    for attr in _SRCSET_ATTRS:
        if el.get(attr):
            return best_srcset(el.get(attr))
    return None


def best_srcset(srcset: str) -> str:
    best, best_w = "", -1.0
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        width = 0.0
        if len(bits) > 1 and bits[1][:-1].replace(".", "", 1).isdigit():
            width = float(bits[1][:-1])
        if width > best_w:
            best, best_w = bits[0], width
    return best


def _absolute(src: str, base_url: str | None) -> str | None:
    src = src.strip()
    if not src or src.startswith("data:"):
        return None
    if base_url:
        try:
            src = urljoin(base_url, src)
        except ValueError:
            return None
    return safe_url(src) or (src if not base_url and "://" not in src and " " not in src else None)


def same_image(a: str | None, b: str | None) -> bool:
    """The same picture at another size or with other query parameters."""
    if not a or not b:
        return False
    if a == b:
        return True
    path_a, path_b = a.split("?", 1)[0].rstrip("/"), b.split("?", 1)[0].rstrip("/")
    if path_a == path_b:
        return "." in path_a.rsplit("/", 1)[-1]  # "…/quality/90/?url=…" names no file
    stem_a, stem_b = path_a.rsplit("/", 1)[-1], path_b.rsplit("/", 1)[-1]
    # a resizer's "960x0.jpg" names a size, not a picture
    return stem_a == stem_b and len(stem_a) >= 12 and not _SIZE_NAME.match(stem_a)


_SIZE_NAME = re.compile(r"^(?:\d+x\d+|image|photo|img|original|large|default)\b", re.IGNORECASE)

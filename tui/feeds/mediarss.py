"""Media RSS (media:content, media:thumbnail, media:group) read with lxml for the fast path:
each image with the nearest caption (media:description) and credit (media:credit)."""

from __future__ import annotations

from lxml import etree

from tui.feeds.common import RawMedia, one_per_photo, width_of

_MEDIA_PREFIXES = ("{http://search.yahoo.com/mrss/}", "{http://search.yahoo.com/mrss}")


class Unsupported(Exception):
    """Raised inside the fast path to hand the document to feedparser."""


def _media_children(parent: etree._Element) -> dict[str, list[etree._Element]]:
    """Media RSS children of `parent` by local name, in document order."""
    found: dict[str, list[etree._Element]] = {}
    for child in parent:
        tag = child.tag
        if isinstance(tag, str) and tag.startswith(_MEDIA_PREFIXES):
            found.setdefault(tag[tag.index("}") + 1 :], []).append(child)
    return found


def media_of(item: etree._Element) -> list[RawMedia]:
    """media:content (else media:thumbnail) objects, each with the nearest caption and credit;
    one per photo: a media:group, or sizes of one image, give its widest rendition."""
    children = _media_children(item)
    if not children:
        return []
    caption = _first_text(children, "description")
    credit = _first_text(children, "credit")
    found: list[tuple[RawMedia, float]] = []
    for group in children.get("group", []):
        inner = _media_children(group)
        sizes = _media_objects(
            inner,
            _first_text(inner, "description") or caption,
            _first_text(inner, "credit") or credit,
        )
        if sizes:  # a group is one object in several renditions
            found.append(max(sizes, key=lambda size: size[1]))
    found.extend(_media_objects(children, caption, credit))
    out = one_per_photo(found)
    if not out and (caption or credit):
        out.append(RawMedia(caption=caption, credit=credit))
    return out


def _media_objects(
    children: dict[str, list[etree._Element]], caption: str | None, credit: str | None
) -> list[tuple[RawMedia, float]]:
    """Each object with its width (isDefault="true" counts as the widest)."""
    objects = children.get("content") or children.get("thumbnail", [])[:1]
    out = []
    for el in objects:
        own = _media_children(el)
        media = RawMedia(
            url=el.get("url"),
            type=el.get("type"),
            medium=el.get("medium"),
            caption=_first_text(own, "description") or caption,
            credit=_first_text(own, "credit") or credit,
        )
        default = (el.get("isDefault") or "").lower() == "true"
        out.append((media, float("inf") if default else width_of(el.get("width"))))
    return out


def _first_text(children: dict[str, list[etree._Element]], local: str) -> str | None:
    for el in children.get(local, ()):
        if len(el):
            raise Unsupported("markup in media:" + local)
        if el.text and el.text.strip():
            return el.text.strip()
    return None

"""Media RSS (media:content, media:thumbnail, media:group) read with lxml for the fast path:
each image with the nearest caption (media:description) and credit (media:credit)."""

from __future__ import annotations

from lxml import etree

from tui.feeds.common import RawMedia

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
    """media:content (else media:thumbnail) objects, each with the nearest caption and credit."""
    children = _media_children(item)
    if not children:
        return []
    caption = _first_text(children, "description")
    credit = _first_text(children, "credit")
    out: list[RawMedia] = []
    for group in children.get("group", []):
        inner = _media_children(group)
        out.extend(
            _media_objects(
                inner,
                _first_text(inner, "description") or caption,
                _first_text(inner, "credit") or credit,
            )
        )
    out.extend(_media_objects(children, caption, credit))
    if not out and (caption or credit):
        out.append(RawMedia(caption=caption, credit=credit))
    return out


def _media_objects(
    children: dict[str, list[etree._Element]], caption: str | None, credit: str | None
) -> list[RawMedia]:
    objects = children.get("content") or children.get("thumbnail", [])[:1]
    out = []
    for el in objects:
        own = _media_children(el)
        out.append(
            RawMedia(
                url=el.get("url"),
                type=el.get("type"),
                medium=el.get("medium"),
                caption=_first_text(own, "description") or caption,
                credit=_first_text(own, "credit") or credit,
            )
        )
    return out


def _first_text(children: dict[str, list[etree._Element]], local: str) -> str | None:
    for el in children.get(local, ()):
        if len(el):
            raise Unsupported("markup in media:" + local)
        if el.text and el.text.strip():
            return el.text.strip()
    return None

"""A river page's teasers, each read from its unit's markup (`river` finds the units).

Per unit: the headline (the heading that holds or sits in the story's link, else the link with
the most words), a kicker printed as its own first piece of the headline or just before it, the
dek (the unit's other text that is no byline, time, caption or credit), the picture's caption and
credit read from the picture's own box, and the time.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from tui.extract.classes import class_tokens, token_words
from tui.extract.figtext import caption_and_credit
from tui.extract.images import has_image
from tui.extract.river import Unit, river_units
from tui.models import Block, Teaser
from tui.textclean import clean_line, safe_url

_HEADING = ("h1", "h2", "h3", "h4", "h5", "h6")
_SKIP = frozenset(("script", "style", "noscript", "template", "svg", "button", "time", "figure"))
_KICKER_WORDS = 6
_TITLE_WORDS = 30  # a link holding more words is a whole card, not a headline
_DEK_WORDS = (4, 120)
_BYLINE_WORDS = frozenset(("byline", "author", "authors", "meta", "date", "time", "timestamp"))
_BYLINE_TEXT = re.compile(r"^(?:by|von|par|di|por|door|av)\s+\S", re.IGNORECASE)
# "Eine Kolumne von Sascha Lobo", "Analysis by Jane Doe": a short line naming its writer
_CREDITISH = re.compile(
    r"^(?:\w+\s+)?(?:photo(?:graph)?|image|illustration|video|foto|bild)s?\s*(?:by|via|:|von)\s",
    re.IGNORECASE,
)
_NAME = r"(?-i:[A-ZÀ-Þ])[\w.'’-]*"
_WRITER = re.compile(
    rf"(?:^|\s)(?:by|von|par|di|por|door|av)\s+{_NAME}(?:\s+(?:{_NAME}|und|and|&|et|e|y))*\s*$",
    re.IGNORECASE,
)


def find_teasers(root: Any, base_url: str | None) -> Block | None:
    """The page's river of teasers as one block, or None when the page is no river."""
    units = river_units(root)
    if units is None:
        return None
    items = [t for t in (_teaser(u, base_url) for u in units) if t is not None]
    return Block(type="teasers", teasers=items) if len(items) >= 3 else None


def teaser_words(block: Block) -> int:
    return sum(len(f"{t.title} {t.dek or ''}".split()) for t in block.teasers)


def _teaser(unit: Unit, base_url: str | None) -> Teaser | None:
    head = _headline(unit)
    if head is None:
        return None
    kicker, title = _split_kicker(head)
    if not title:
        return None
    kicker = kicker or _kicker_before(unit.box, head)
    try:
        url = safe_url(urljoin(base_url, unit.href) if base_url else unit.href)
    except ValueError:
        url = None
    caption, credit = _photo_words(unit.box, head)
    return Teaser(
        title=title,
        kicker=kicker,
        url=url,
        dek=_dek(unit.box, head, {caption, credit, kicker}),
        credit=credit,
        caption=caption,
        time=_time(unit.box),
    )


def _headline(unit: Unit) -> Any:
    for a in unit.links:
        if not _words(a):
            continue  # a picture's link, or an overlay stretched over the card
        heading = next((h for h in a.iterancestors() if h.tag in _HEADING), None)
        if heading is not None and _words(heading):
            return heading
        # a kicker may be a heading of its own above the headline: the longest one is the title
        inner = max((h for h in a.iter(*_HEADING) if _words(h)), key=_words, default=None)
        if inner is not None:
            return inner
    linked = [
        h
        for h in unit.box.iter(*_HEADING)
        if _words(h) and any(a in unit.links for a in h.iter("a"))
    ]
    if linked:
        return max(linked, key=_words)
    if not any(_words(a) for a in unit.links):
        # the only link is an overlay: the card's heading is its headline
        return max((h for h in unit.box.iter(*_HEADING) if _words(h)), key=_words, default=None)
    best = max(unit.links, key=_words, default=None)
    if best is None or not _words(best):
        return None
    return (
        _first_line(best) if best.find(".//p") is not None or _words(best) > _TITLE_WORDS else best
    )


def _first_line(card: Any) -> Any:
    """A whole card made one link: its headline is its first line of text that is no label,
    time or byline (the lines after it are the dek)."""
    for el in card.iter("p", "div", "span", "strong", "b"):
        if any(c.tag in ("p", "div") for c in el) or el is card:
            continue
        text = clean_line(" ".join(_texts(el)))
        if len(text.split()) < 3 or _bylineish(el, text, card) or not _wordy(text):
            continue
        if _CREDITISH.match(text) or any(
            a.tag in ("figure", "figcaption") for a in el.iterancestors()
        ):
            continue  # the picture's words, not the headline
        return el
    return card


def _split_kicker(head: Any) -> tuple[str | None, str]:
    """(kicker, title): a headline printed in parts, a short first one then the rest, has its
    kicker first; a link whose title attribute is the tail of its text names the title."""
    parts = [p for p in _parts(head) if not _bylineish(p, clean_line(" ".join(_texts(p))), head)]
    whole = clean_line(
        " ".join(" ".join(_texts(p)) for p in parts) if parts else " ".join(_texts(head)), 500
    )
    if len(parts) >= 2:
        first = clean_line(" ".join(_texts(parts[0]))).strip(" :|–—-")
        rest = clean_line(" ".join(" ".join(_texts(p)) for p in parts[1:]), 500).strip(" :|–—-")
        # a longer kicker when the page sets it off with a colon ("Ja zu Katar, …: DAS …")
        most = (
            _KICKER_WORDS * 2
            if re.search(r":\s*$", _plain(parts[0])) or _plain(parts[1]).lstrip().startswith(":")
            else _KICKER_WORDS
        )
        if first and rest and len(first.split()) <= most and len(rest.split()) >= 2:
            return first, rest
    named = clean_line(head.get("title") or "")
    if named and whole.endswith(named) and len(named) < len(whole):
        kicker = whole[: -len(named)].strip(" :|–—-")
        if kicker and len(kicker.split()) <= _KICKER_WORDS:
            return kicker, named
    return None, whole


def _plain(el: Any) -> str:
    return " ".join(_texts(el)).strip()


def _parts(head: Any) -> list[Any]:
    """The headline's pieces: the children that carry its words, down through a lone wrapper."""
    node = head
    for _ in range(4):
        kids = [c for c in node if isinstance(c.tag, str) and c.tag not in _SKIP and _words(c)]
        if (node.text or "").strip() or any((c.tail or "").strip() for c in node):
            return []  # words outside the pieces: one headline with markup in it
        if len(kids) != 1:
            return kids
        node = kids[0]
    return []


def _kicker_before(box: Any, head: Any) -> str | None:
    """A short label printed just before the headline, in its own element."""
    prev = head.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None or prev.tag in ("img", "picture", "figure") or has_image(prev):
        return None
    text = clean_line(" ".join(_texts(prev)))
    if text and len(text.split()) <= _KICKER_WORDS and not _bylineish(prev, text, box):
        return text
    return None


def _photo_words(box: Any, head: Any) -> tuple[str | None, str | None]:
    """Caption and credit from the picture's own box (never the dek, never alt text)."""
    for fig in box.iter("figure", "picture", "img"):
        part = fig
        for anc in fig.iterancestors():
            if anc is box or head in anc.iterdescendants():
                break
            part = anc
        if part.find(".//figcaption") is None and not _captioned(part):
            return None, None
        return caption_and_credit(part)
    return None, None


def _captioned(part: Any) -> bool:
    return any(
        w in ("caption", "credit", "copyright", "photographer", "cutline")
        for e in part.iter()
        if isinstance(e.tag, str)
        for t in class_tokens(e)
        for w in token_words(t)
    )


def _dek(box: Any, head: Any, taken: set[str | None]) -> str | None:
    """The unit's text that is not its headline, kicker, byline, caption or credit."""
    for tags in (("p",), ("div", "span", "a")):
        for el in box.iter(*tags):
            if el is head or head in el.iterancestors() or el in head.iterancestors():
                continue
            if any(c.tag in ("p", "div") for c in el) or any(
                a.tag == "figure" for a in el.iterancestors()
            ):
                continue  # a wrapper (its paragraphs come next), or the picture's caption
            text = _without_bylines(el, box)
            words = len(text.split())
            if not _DEK_WORDS[0] <= words <= _DEK_WORDS[1] or _bylineish(el, text, box):
                continue
            if not _wordy(text):
                continue  # "29. Juli 2024, 16.17 Uhr • 6 Min": a time line
            if not any(t and text in t for t in taken):  # the caption or credit again
                return text
    return None


def _wordy(text: str) -> bool:
    return sum(len(w) >= 3 and w.isalpha() for w in text.split()) >= 4


def _without_bylines(el: Any, box: Any) -> str:
    """The element's text less a byline printed at its end ("… Von Markus Böhm")."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if kids and _bylineish(kids[-1], clean_line(" ".join(_texts(kids[-1]))), box):
        skip = kids[-1]
        out: list[str] = [el.text or ""]
        for c in kids:
            if c is not skip:
                out.extend(_texts(c))
            out.append(c.tail or "")
        return clean_line(" ".join(out))
    return clean_line(" ".join(_texts(el)))


def _bylineish(el: Any, text: str, box: Any) -> bool:
    """A byline, date or meta line: by its wording, or by a class of it or its boxes in the unit."""
    if _BYLINE_TEXT.match(text) or (len(text.split()) <= 8 and _WRITER.search(text)):
        return True
    chain = [el]
    for anc in el.iterancestors():
        if anc is box:
            break
        chain.append(anc)
    named = any(w in _BYLINE_WORDS for e in chain for t in class_tokens(e) for w in token_words(t))
    return named and len(text.split()) <= 12


def _time(box: Any) -> str | None:
    el = next(box.iter("time"), None)
    if el is None:
        return None
    return clean_line(el.get("datetime") or el.text_content()) or None


def _words(el: Any) -> int:
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

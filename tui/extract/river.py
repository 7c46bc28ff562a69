"""The page's kind, told from its structure before any text extraction: a river of teasers (a
homepage, section front, tag or author page, blog index, aggregator) or an article.

A story unit is the largest box around a headline link that holds no other story's headline
link: its kicker, dek, picture, credit and time go with it, whatever its class names. Links to
one address (the picture, the headline, the dek) are one story. The main river is the column
holding most of the units, richer units (a heading, a picture, a dek) weighing more than the bare
links of a side list; side boxes inside it (navigation, "most read", tickers, footers) are left
out. A page is a river when its units outweigh the running text outside them: an article with a
rail of teasers beside it stays an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from tui.extract.images import has_image

MIN_UNITS = 5  # fewer is a "related stories" box, not a page of them
COLUMN_SHARE = 0.8  # the main column holds at least this share of the units' weight
_RUN_CHARS = 50  # a run of text this long is a sentence, not a label
_PIECE_CHARS = 20  # a piece of a sentence between two links or emphases
_ARTICLE_CHARS = 400  # running text beyond this, on a page that says it is an article, is one
_EXTRA_CHARS = 700  # the most text a teaser's box holds beside its headline link (about 100 words)
_MAX_LINKS = 4000
_CARD_WORDS = 120
_HEADING = ("h1", "h2", "h3", "h4", "h5", "h6")
_STOP = frozenset(("body", "html", "main"))
_INLINE = frozenset(("span", "em", "strong", "b", "i", "font", "u", "small", "mark", "cite"))
_SIDE_TAGS = frozenset(("nav", "footer", "aside"))
_LAYOUT = (
    r"stories|story|posts?|articles?|links?|list|box|bar|module|items?|wrap(?:per)?|container"
    r"|block|section|area|widget|panel|col(?:umn)?|inner|outer|holder|cards?|slot|zone|\d+"
)
# Side lists and chrome beside or inside the river's column, as whole class tokens.
_SIDE = re.compile(
    r"(?:[a-z0-9]+[-_]+)*(?:sidebar|aside|rail|most[-_]+(?:read|popular|viewed|commented)"
    r"|popular|trending|ticker|newsticker|newsletters?|ads?|advert\w*|sponsor\w*|footer|nav"
    r"|navbar|navigation|menu|breadcrumbs?|related|recommend\w*|outbrain|taboola|partners?"
    rf"|share|social|comments?)(?:[-_]+(?:{_LAYOUT}))*"
)
_ARTICLE_TYPES = re.compile(r'"@type"\s*:\s*"(?:\w*Article|BlogPosting|Report)"')
_TEXT_LENGTH = etree.XPath("string-length()")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
# The text of long paragraphs (300 characters and more) that are no link's words, in C.
_PROSE = etree.XPath("//p[not(ancestor::a)][string-length() >= 300]")
_SHORT_PROSE = etree.XPath("//p[not(ancestor::a)][string-length() >= 100]")
_PROSE_CHARS = 1500
_APART = etree.XPath(
    "//a | //nav | //footer | //aside | //script | //style | //noscript | //template | //option"
)
_TEXTS = etree.XPath("//body//text()")


@dataclass
class Unit:
    """One story on a river page: its box, its address as written, and the links to it."""

    box: Any
    key: str  # `link_key` of the story's address
    links: list[Any]
    weight: int = 1

    @property
    def href(self) -> str:
        """The story's address as the page writes it (in its first link)."""
        return (self.links[0].get("href") or "").strip()


def river_units(root: Any) -> list[Unit] | None:
    """The main river's units in page order when the page is a river of teasers, else None."""
    # paragraphs of an article's length, outside links (no teaser prints those); on a page
    # that says it is an article, paragraphs of a few lines are enough
    declared = _declared_article(root)
    prose = _SHORT_PROSE if declared else _PROSE
    if sum(int(_TEXT_LENGTH(p)) for p in prose(root)) >= (300 if declared else _PROSE_CHARS):
        return None
    units = _units(root)
    if len(units) < MIN_UNITS:
        return None
    river = _once(_main_column(units))
    if len(river) < MIN_UNITS:
        return None
    return river if _outweighs_text(root, units, river, declared) else None


def link_key(href: str) -> str:
    """One story's address, written two ways in one box ("/a/", "/a#top"), is one key."""
    key = href.split("#", 1)[0].rstrip("/")
    for prefix in ("https://", "http://", "//", "www."):
        key = key.removeprefix(prefix)
    return key


def _story_links(root: Any) -> list[tuple[Any, str]]:
    out = []
    for n, a in enumerate(root.iter("a")):
        if n > _MAX_LINKS:
            break
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        out.append((a, link_key(href)))
    return out


def _headline_like(a: Any) -> bool:
    """A link that reads as a story's headline: a few words, or inside or around a heading."""
    size = int(_TEXT_LENGTH(a))
    if size > 12 * _CARD_WORDS:
        return False
    words = len(" ".join(a.itertext()).split()) if size else 0
    if 3 <= words <= _CARD_WORDS:  # a headline, or a whole card made one link
        return True
    if not words:  # an overlay link stretched over the card, named for screen readers
        return len((a.get("aria-label") or a.get("title") or "").split()) >= 3
    if words and (a.find(".//h2") is not None or a.find(".//h3") is not None):
        return True
    return bool(words) and any(p.tag in _HEADING for p in a.iterancestors())


def _in_prose(a: Any) -> bool:
    """A link set among the words of running text ("… said in a statement on Tuesday"), in a
    paragraph or between line breaks: a reference, not a teaser's headline."""
    block = a.getparent()
    while block is not None and block.tag in _INLINE:
        block = block.getparent()
    if block is None:
        return False
    if block.tag == "p":
        own = int(_TEXT_LENGTH(block)) - sum(int(_TEXT_LENGTH(x)) for x in block.iter("a"))
        return own >= _RUN_CHARS and own >= int(_TEXT_LENGTH(a))
    # the words set directly in the block, beside its elements: a teaser card has none
    loose = (block.text or "").strip().__len__() + sum(len((c.tail or "").strip()) for c in block)
    return loose >= _RUN_CHARS


def _units(root: Any) -> list[Unit]:
    links = _story_links(root)
    strong = [(a, k) for a, k in links if k and _headline_like(a) and not _in_prose(a)]
    below: dict[Any, set[str]] = {}  # the (first two) story keys inside each element
    for a, key in strong:
        for anc in a.iterancestors():
            seen = below.setdefault(anc, set())
            if len(seen) >= 2:
                break
            seen.add(key)
    boxes: dict[Any, Unit] = {}
    for a, key in strong:
        box = _box(a, below)
        if box is None:
            continue
        unit = boxes.get(box)
        if unit is None:
            boxes[box] = Unit(box, key, [a])
        elif unit.key == key:
            unit.links.append(a)
    # the other links to each story (its picture, its dek) inside the box
    for a, key in links:
        unit = next((boxes[b] for b in a.iterancestors() if b in boxes), None)
        if unit is not None and unit.key == key and a not in unit.links:
            unit.links.append(a)
    units = [u for u in boxes.values() if not any(p in boxes for p in u.box.iterancestors())]
    for u in units:
        u.weight = _weight(u)
    return units


def _once(units: list[Unit]) -> list[Unit]:
    """One story in two places (a live band and its card): the richer one stands for it."""
    best: dict[str, Unit] = {}
    for u in units:
        if u.key not in best or _rank(u) > _rank(best[u.key]):
            best[u.key] = u
    return [u for u in units if best[u.key] is u]


def _box(a: Any, below: dict[Any, set[str]]) -> Any:
    """The largest ancestor of `a` (or `a`) that holds only its story and little text."""
    box = a
    # besides its headline a teaser holds a dek, a kicker and a byline: more text than that is
    # a section of the page (an article's body with one link in it)
    most = _TEXT_LENGTH(a) + _EXTRA_CHARS
    for anc in a.iterancestors():
        if anc.tag in _STOP or len(below.get(anc, ())) > 1 or _side(anc):
            break
        if _TEXT_LENGTH(anc) > most:
            break
        box = anc
    return box


def _side(el: Any) -> bool:
    if el.tag in _SIDE_TAGS:
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
    return any(_SIDE.fullmatch(re.sub(r"--[\w-]*$", "", n)) for n in names)


def _weight(unit: Unit) -> int:
    box = unit.box
    heading = box.tag in _HEADING or next(box.iter(*_HEADING), None) is not None
    linked = sum(len(" ".join(a.itertext()).split()) for a in unit.links)
    dek = len(" ".join(box.itertext()).split()) - linked >= 8
    return 1 + heading + has_image(box) + dek


def _rank(unit: Unit) -> tuple[int, int]:
    return unit.weight, int(_TEXT_LENGTH(unit.box))


def _main_column(units: list[Unit]) -> list[Unit]:
    """The units of the deepest element holding most of the weight, less those in side boxes."""
    total = sum(u.weight for u in units)
    weight: dict[Any, int] = {}
    depth: dict[Any, int] = {}
    for u in units:
        chain = list(u.box.iterancestors())
        for d, anc in enumerate(reversed(chain)):
            weight[anc] = weight.get(anc, 0) + u.weight
            depth[anc] = d
    column = max(
        (el for el, w in weight.items() if w >= COLUMN_SHARE * total),
        key=lambda el: depth[el],
        default=None,
    )
    if column is None:
        return []
    out = []
    for u in units:
        chain = []
        for anc in u.box.iterancestors():
            if anc is column:
                break
            chain.append(anc)
        else:
            continue  # outside the column
        if not any(_side(anc) for anc in chain):
            out.append(u)
    return out


def _outweighs_text(root: Any, units: list[Unit], river: list[Unit], declared: bool) -> bool:
    """Whether the river, not an article, is what the page holds: the running text outside
    every unit (runs of a sentence and more, in paragraphs or between line breaks; links and
    chrome aside) is small beside it. Counted in characters: Chinese and Japanese have no
    spaces between words."""
    apart = {el for u in units for el in u.box.iter()}  # a teaser's words, chrome, a link's
    for el in _APART(root):
        if el not in apart:
            apart.update(el.iter())
    loose = 0
    for text in _TEXTS(root):
        size = _size(text)
        if size < _PIECE_CHARS:
            continue
        el = text.getparent()  # a tail's words belong to the element around it
        holder = el.getparent() if el is not None and text.is_tail else el
        if holder is None or holder in apart:
            continue
        loose += size
    river_chars = sum(_size(" ".join(u.box.itertext())) for u in river)
    if declared:
        return loose < _ARTICLE_CHARS
    return loose < max(2 * _ARTICLE_CHARS, 0.6 * river_chars)


def _size(text: str) -> int:
    """Characters of text, a Chinese, Japanese or Korean one counted as three: a sentence of
    them is a third as long as the same sentence in a spaced script."""
    text = text.strip()
    return len(text) + 2 * len(_WIDE.findall(text))


def _declared_article(root: Any) -> bool:
    for m in root.iter("meta"):
        if (m.get("property") or m.get("name") or "").lower() == "og:type":
            return (m.get("content") or "").strip().lower() == "article"
    for s in root.iter("script"):
        if s.get("type") == "application/ld+json" and _ARTICLE_TYPES.search(s.text or ""):
            return True
    return False

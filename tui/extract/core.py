"""`extract_article`: trafilatura for the text, the page itself for figures and metadata."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from tui.extract.blocks import trafilatura_blocks
from tui.extract.boilerplate import remove_boilerplate
from tui.extract.captions import figure_candidates
from tui.extract.continued import continuation_blocks
from tui.extract.locate import PageIndex, common_container, link_density, text_key, text_length
from tui.extract.meta import article_from_meta, page_marks, page_meta
from tui.extract.placement import (
    Placed,
    block_text,
    drop_caption_paragraphs,
    merge,
    place_figures,
)
from tui.extract.readable import readable_article
from tui.extract.teasers import find_teasers, teaser_words
from tui.models import Article, Block

MAX_HTML = 5 * 1024 * 1024
MAX_ELEMENTS = 150_000  # trafilatura is superlinear beyond this; let the caller use the feed
MIN_BODY_WORDS = 10
_WORD = re.compile(r"\w+")
_PAYWALL = re.compile(
    r"subscribe\s+(?:now\s+)?to\s+(?:continue|read)|to\s+continue\s+reading|already\s+a\s+subscriber"
    r"|for\s+subscribers\s+only|subscriber[- ]only|this\s+(?:article|content)\s+is\s+(?:for|available\s+to)\s+(?:subscribers|members)",
    re.IGNORECASE,
)
# Numeric references to C0 controls other than tab, newline and carriage return.
_CONTROL_ENTITY_PATTERN = r"&#(?:0*(?:1[124-9]|2\d|3[01]|[0-8])(?!\d)|[xX]0*(?:1[\da-fA-F]|[0-8bBcCeEfF])(?![\da-fA-F]));?"
_CONTROL_ENTITY = re.compile(_CONTROL_ENTITY_PATTERN)
_CONTROL_ENTITY_B = re.compile(_CONTROL_ENTITY_PATTERN.encode())
# A media player's box (a player holds a few menu words; a "player" wrapper round a whole
# story is not one: only boxes under 2000 characters count).
_PLAYER = re.compile(r"player|vjs", re.IGNORECASE)
_COUNTER = re.compile(r"^\s*\d{1,3}\s*(?:/|of)\s*\d{1,3}\b")
log = logging.getLogger(__name__)


def extract_article(
    html: str | bytes, url: str | None = None, readable: bool = False
) -> Article | None:
    """The article in `html` (or the page's teasers), or None when there is no body: the caller
    falls back to the feed. With `readable`, a page with text but no article gives its readable
    text with a notice instead of None (`newsdesk read`: never nothing)."""
    if len(html) > MAX_HTML:
        return None  # a cut page would give a cut article; the feed's text is better
    try:
        article = _extract(html, url)
    except (Exception, RecursionError) as err:  # noqa: BLE001 - any failure means "use the feed"
        log.debug("extraction failed for %s: %r", url, err)
        article = None
    if article is None and readable:
        try:
            article = readable_article(_drop_control_entities(html), url)
        except (Exception, RecursionError) as err:  # noqa: BLE001
            log.debug("no readable text in %s: %r", url, err)
    return article


def _extract(html: str | bytes, url: str | None) -> Article | None:
    import trafilatura
    from trafilatura.utils import load_html

    if not html or not html.strip():
        return None
    root = load_html(_drop_control_entities(html))
    if root is None or _too_many_elements(root):
        return None
    _drop_scripts(root)
    if _few_words(root):
        return None  # an app shell or an all-script page: nothing to read
    # the page's kind first, from its structure: a river of teasers is read as its list (what
    # trafilatura would make of it is one teaser's text, or a run of headlines)
    river = find_teasers(root, url)
    if river is not None:
        # a section front: a date found on it is its first teaser's, not the page's
        meta = {**page_meta(root, url), "published": None}
        return article_from_meta(meta, url, [river], lead_image=meta["lead_image"])
    doc = trafilatura.bare_extraction(
        root,
        url=url,
        include_formatting=True,
        include_tables=True,
        include_images=False,
        # fast: no second opinion from the readability/justext fallbacks; measured on the
        # scrapinghub corpus it scores as well (F1 0.963) at two thirds of the time
        include_comments=False,
        with_metadata=False,
        fast=True,
    )
    marks = page_marks(root)
    meta = page_meta(root, url, marks)
    blocks, figures = _article_blocks(root, doc, meta, url, marks.h1)
    if not blocks or not _has_body(blocks, root):
        return None
    lead = meta["lead_image"] or next((f.src for _, f in figures if f.src), None)
    if all(b.type in ("teasers", "heading") for b in blocks):
        # a section front: the date the page gave is its first teaser's, not the page's
        meta = {**meta, "published": None}
    return article_from_meta(meta, url, blocks, lead_image=lead)


def _article_blocks(
    root: Any, doc: object, meta: dict[str, str | None], url: str | None, headlines: list[Any]
) -> tuple[list[Block], Placed]:
    """The text trafilatura found, less boilerplate, with the page's figures put back."""
    from trafilatura.settings import Document

    if not isinstance(doc, Document) or doc.body is None:  # not a dict: as_dict is off
        return [], []
    blocks = trafilatura_blocks(doc.body)
    if (
        blocks
        and blocks[0].type == "heading"
        and text_key(blocks[0].text) == text_key(meta["title"] or "")
    ):
        blocks.pop(0)
    candidates = figure_candidates(root)
    keys = [_block_key(b) for b in blocks]
    anchors = {candidates.anchor(f): f for f in candidates.found}
    index = PageIndex(root, anchors, set(keys))
    positions = _positions(keys, index)
    figures = place_figures(candidates, index, blocks, positions, url, headlines, meta)
    blocks, positions = drop_caption_paragraphs(blocks, positions, figures)
    blocks, positions = _drop_chrome(blocks, positions, index)
    kept = remove_boilerplate(blocks, _Densities(blocks, positions, index))
    kept_ids = {id(b) for b in kept}
    positions = [p for b, p in zip(blocks, positions, strict=False) if id(b) in kept_ids]
    merged = merge(kept, positions, figures)
    container = _container(blocks, positions, index)
    if container is not None:
        merged += continuation_blocks(container, url, set(keys))
    return merged, figures


def _container(blocks: list[Block], positions: list[int | None], index: PageIndex) -> Any:
    located = [
        (index.elements[p], len(block_text(b)) + 1)
        for b, p in zip(blocks, positions, strict=False)
        if p is not None and p in index.elements
    ]
    return common_container([el for el, _ in located], [w for _, w in located])


def _drop_chrome(
    blocks: list[Block], positions: list[int | None], index: PageIndex
) -> tuple[list[Block], list[int | None]]:
    """A video player's menus ("Chapters", "This is a modal window") and a slideshow's "1/50"
    captions listed out: the page's machinery, not its text."""
    in_player: dict[Any, bool] = {}  # element -> it or an ancestor is a player
    keep = []
    for i, (b, pos) in enumerate(zip(blocks, positions, strict=True)):
        el = index.elements.get(pos) if pos is not None else None
        if el is not None and _under_player(el, in_player):
            continue
        if b.type == "list" and len(b.items) >= 3:
            if sum(bool(_COUNTER.match(x)) for x in b.items) >= 0.6 * len(b.items):
                continue
        keep.append(i)
    return [blocks[i] for i in keep], [positions[i] for i in keep]


def _under_player(el: Any, memo: dict[Any, bool]) -> bool:
    """Whether an ancestor of `el` is a media player's box. Blocks share their ancestors: each
    is looked at once, from the nearest one already known."""
    found = False
    chain = []
    for anc in el.iterancestors():
        if anc in memo:
            found = memo[anc]
            break
        chain.append(anc)
    for anc in reversed(chain):
        found = found or _is_player(anc)
        memo[anc] = found
    return found


def _is_player(el: Any) -> bool:
    names = el.get("class")
    return bool(
        names
        and ("layer" in names or "vjs" in names)
        and _PLAYER.search(names)
        and text_length(el) < 2000
    )


class _Densities(Sequence[float | None]):
    """Link density of each block's source element, computed when a boilerplate rule asks."""

    def __init__(self, blocks: list[Block], positions: list[int | None], index: PageIndex) -> None:
        self._blocks, self._positions, self._index = blocks, positions, index
        self._cache: dict[int, float | None] = {}

    def __len__(self) -> int:
        return len(self._blocks)

    def __getitem__(self, i: int) -> float | None:  # type: ignore[override]  # ints only
        if i not in self._cache:
            pos = self._positions[i]
            el = self._index.elements.get(pos) if pos is not None else None
            usable = el is not None and self._blocks[i].type in ("paragraph", "list")
            self._cache[i] = link_density(el) if el is not None and usable else None
        return self._cache[i]


def _drop_control_entities(html: str | bytes) -> str | bytes:
    """`&#27;` and kin put characters in the tree that XML cannot hold: trafilatura's output tree
    then fails and the whole body is lost. Text never needs them."""
    if isinstance(html, bytes):
        return _CONTROL_ENTITY_B.sub(b"", html)
    return _CONTROL_ENTITY.sub("", html)


def _too_many_elements(root: Any) -> bool:
    count = root.xpath("count(//*)")
    return isinstance(count, float) and count > MAX_ELEMENTS


def _drop_scripts(root: Any) -> None:
    """Scripts and styles carry no text and only cost time; JSON-LD, which metadata reads, stays."""
    keep = root.xpath("//script[@type='application/ld+json']")
    for el in keep:
        el.drop_tree()  # its tail text stays in place
        el.tail = None
    etree.strip_elements(root, "script", "style", with_tail=False)
    head = root.find("head")
    (head if head is not None else root).extend(keep)


def _block_key(b: Block) -> str:
    if b.type == "list":
        return text_key(b.items[0]) if b.items else ""
    if b.type == "table":
        return text_key(" ".join(b.rows[0])) if b.rows else ""
    return text_key(b.text)


def _positions(keys: list[str], index: PageIndex) -> list[int | None]:
    out: list[int | None] = []
    last = -1
    for key in keys:
        pos = index.locate(key, last)
        out.append(pos)
        if pos is not None:
            last = max(last, pos)
    return out


def _few_words(root: Any) -> bool:
    """Whether the first 20,000 characters of the body's text hold fewer than
    `MIN_BODY_WORDS` words. Reads only as far as it must: most pages show ten words at once."""
    # the document's <body>, as `//body` finds it (a fragment's root sits below it)
    body = next(root.getroottree().getroot().iter("body"), None)
    parts: list[str] = []
    size = words = 0
    for text in body.itertext() if body is not None else ():
        parts.append(text)
        size += len(text)
        words += len(text.split())
        # pieces join up ("foo" "bar" is one word): the joined count decides, once it may
        if words >= MIN_BODY_WORDS and _split_words(parts) >= MIN_BODY_WORDS:
            return False
        if size >= 20_000:
            break
    return _split_words(parts) < MIN_BODY_WORDS


def _split_words(parts: list[str]) -> int:
    return len("".join(parts)[:20_000].split())


def _has_body(blocks: list[Block], root: Any) -> bool:
    words = 0
    for b in blocks:
        words += _word_count(b)
        if words >= 150:
            return True
    if words < MIN_BODY_WORDS:
        return False
    return not _paywalled(root.xpath("string(//body)")[:200_000])


def _paywalled(text: str) -> bool:
    """`_PAYWALL.search(text)`, skipped when no phrase of it can be there: each needs words that
    a lower-cased copy shows ("subscribe", "continue" and "reading", or "members"), unless the
    text holds one of the non-ASCII letters IGNORECASE also takes for "s" or "i" (ſ, İ, ı)."""
    low = text.lower()
    if not (
        "subscribe" in low
        or ("continue" in low and "reading" in low)
        or "members" in low
        or any(c in text for c in "\u017f\u0130\u0131")
    ):
        return False
    return _PAYWALL.search(text) is not None


def _word_count(b: Block) -> int:
    if b.type == "teasers":
        return teaser_words(b)
    if b.type == "list":
        return sum(len(x.split()) for x in b.items)
    if b.type == "table":
        return sum(len(c.split()) for row in b.rows for c in row)
    return 0 if b.type == "figure" else len(b.text.split())

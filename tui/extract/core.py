"""`extract_article`: trafilatura for the text, the page itself for figures and metadata."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from tui.extract.blocks import trafilatura_blocks
from tui.extract.boilerplate import remove_boilerplate
from tui.extract.captions import figure_block, figure_candidates, is_foreign
from tui.extract.locate import PageIndex, common_container, link_density, text_key
from tui.extract.meta import page_meta
from tui.models import Article, Block

if TYPE_CHECKING:  # types only: lxml.html is loaded with the first page
    from lxml.html import HtmlElement

Figures = list[tuple[int, Block]]
"""Accepted figures with their page positions, in page order."""
CaptionForms = tuple[str, str, str]

MAX_HTML = 5 * 1024 * 1024
MAX_ELEMENTS = 150_000  # trafilatura is superlinear beyond this; let the caller use the feed
MIN_BODY_WORDS = 10
_WORD = re.compile(r"\w+")
_SCOPE = re.compile(r"article|story|post|entry|content|main", re.IGNORECASE)
_PAYWALL = re.compile(
    r"subscribe\s+(?:now\s+)?to\s+(?:continue|read)|to\s+continue\s+reading|already\s+a\s+subscriber"
    r"|for\s+subscribers\s+only|subscriber[- ]only|this\s+(?:article|content)\s+is\s+(?:for|available\s+to)\s+(?:subscribers|members)",
    re.IGNORECASE,
)
# Numeric references to C0 controls other than tab, newline and carriage return.
_CONTROL_ENTITY_PATTERN = r"&#(?:0*(?:1[124-9]|2\d|3[01]|[0-8])(?!\d)|[xX]0*(?:1[\da-fA-F]|[0-8bBcCeEfF])(?![\da-fA-F]));?"
_CONTROL_ENTITY = re.compile(_CONTROL_ENTITY_PATTERN)
_CONTROL_ENTITY_B = re.compile(_CONTROL_ENTITY_PATTERN.encode())
log = logging.getLogger(__name__)


def extract_article(html: str | bytes, url: str | None = None) -> Article | None:
    """The article in `html`, or None when there is no body (the caller falls back to the feed)."""
    if len(html) > MAX_HTML:
        return None  # a cut page would give a cut article; the feed's text is better
    try:
        return _extract(html, url)
    except (Exception, RecursionError) as err:  # noqa: BLE001 - any failure means "use the feed"
        log.debug("extraction failed for %s: %r", url, err)
        return None


def _extract(html: str | bytes, url: str | None) -> Article | None:
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    if not html or not html.strip():
        return None
    root = load_html(_drop_control_entities(html))
    if root is None or _too_many_elements(root):
        return None
    _drop_scripts(root)
    page_text = root.xpath("string(//body)")
    if len(page_text[:20_000].split()) < MIN_BODY_WORDS:
        return None  # an app shell or an all-script page: nothing to read
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
    if not isinstance(doc, Document) or doc.body is None:  # not a dict: as_dict is off
        return None
    meta = page_meta(root, url)
    blocks = trafilatura_blocks(doc.body)
    if (
        blocks
        and blocks[0].type == "heading"
        and text_key(blocks[0].text) == text_key(meta["title"] or "")
    ):
        blocks.pop(0)
    candidates = figure_candidates(root)
    keys = [_block_key(b) for b in blocks]
    index = PageIndex(root, candidates, set(keys))
    positions = _positions(keys, index)
    figures = _figures(candidates, index, blocks, positions, url)
    _drop_headline_captions(figures, meta["title"])
    blocks, positions = _drop_caption_paragraphs(blocks, positions, figures)
    kept = remove_boilerplate(blocks, _Densities(blocks, positions, index))
    kept_ids = {id(b) for b in kept}
    positions = [p for b, p in zip(blocks, positions, strict=False) if id(b) in kept_ids]
    if not _has_body(kept, page_text):
        return None
    lead = meta["lead_image"] or next((f.src for _, f in figures if f.src), None)
    return Article(
        url=url,
        title=meta["title"],
        byline=meta["byline"],
        published=meta["published"],
        site=meta["site"],
        lead_image=lead,
        blocks=_merge(kept, positions, figures),
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


def _too_many_elements(root: HtmlElement) -> bool:
    count = root.xpath("count(//*)")
    return isinstance(count, float) and count > MAX_ELEMENTS


def _drop_scripts(root: HtmlElement) -> None:
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


def _block_key_text(b: Block) -> str:
    if b.type == "list":
        return " ".join(b.items)
    if b.type == "table":
        return " ".join(" ".join(r) for r in b.rows)
    return b.text or ""


def _positions(keys: list[str], index: PageIndex) -> list[int | None]:
    out: list[int | None] = []
    last = -1
    for key in keys:
        pos = index.locate(key, last)
        out.append(pos)
        if pos is not None:
            last = max(last, pos)
    return out


def _figures(
    candidates: list[HtmlElement],
    index: PageIndex,
    blocks: list[Block],
    positions: list[int | None],
    url: str | None,
) -> Figures:
    """Accepted figures with their page positions: inside the body, or the article's lead image."""
    located = [
        (index.elements[p], len(_block_key_text(b)) + 1)
        for b, p in zip(blocks, positions, strict=False)
        if p is not None and p in index.elements
    ]
    container = common_container([el for el, _ in located], [w for _, w in located])
    if container is None or not candidates:
        return []
    scope = _scope(container)
    first = _first_inside(container, positions, index)
    found: Figures = []
    seen: set[str] = set()
    leads = 0
    for fig in candidates:
        order = index.order.get(fig)
        if order is None:
            continue
        inside = any(a is container for a in fig.iterancestors())
        if not inside and (
            leads or order > first or not any(a is scope for a in fig.iterancestors())
        ):
            continue
        if is_foreign(fig, container if inside else scope):
            continue
        block = figure_block(fig, url)
        if block is None:
            continue
        ident = block.src or block.caption or ""
        if ident in seen or (block.caption and block.caption in seen):
            continue
        seen.update(x for x in (block.src, block.caption) if x)
        leads += 0 if inside else 1
        found.append((order, block))
    found.sort(key=lambda f: f[0])
    return found


def _first_inside(container: HtmlElement, positions: list[int | None], index: PageIndex) -> int:
    """Position of the first block inside the body: a standfirst above it may precede the lead figure."""
    for pos in sorted(p for p in positions if p is not None and p in index.elements):
        el = index.elements[pos]
        if any(a is container for a in el.iterancestors()):
            return pos
    return 0


def _scope(container: HtmlElement) -> HtmlElement:
    """Where a header/lead figure may live: the enclosing article element, a few levels up."""
    chain: list[HtmlElement] = []
    for anc in container.iterancestors():
        if anc.tag in ("body", "html") or len(chain) >= 5:
            break
        chain.append(anc)
    for anc in chain:
        if anc.tag in ("article", "main"):
            return anc
    named = [a for a in chain[:4] if _SCOPE.search(f"{a.get('class') or ''} {a.get('id') or ''}")]
    if named:
        return named[-1]
    return chain[0] if chain else container


def _drop_headline_captions(figures: Figures, title: str | None) -> None:
    """An image whose alt text is the headline has no caption of its own."""
    head = set(_tokens(title).split())
    for _, fig in figures:
        words = _tokens(fig.caption).split()
        if (
            head
            and words
            and len(words) <= 1.5 * len(head)
            and len(head & set(words)) >= 0.8 * len(head)
        ):
            fig.caption = None


def _drop_caption_paragraphs(
    blocks: list[Block], positions: list[int | None], figures: Figures
) -> tuple[list[Block], list[int | None]]:
    """trafilatura sometimes keeps a figcaption as a paragraph; the figure block carries it now."""
    captions = [_caption_forms(f) for _, f in figures]
    firsts = {form.split(" ", 1)[0] for forms in captions for form in forms if form}
    if not firsts:
        return blocks, positions
    keep = [
        i
        for i, b in enumerate(blocks)
        if not (
            b.type == "paragraph"
            and len(b.text) < 600
            and _first_word(b.text) in firsts
            and _is_caption(_tokens(b.text), captions)
        )
    ]
    return [blocks[i] for i in keep], [positions[i] for i in keep]


def _first_word(text: str) -> str:
    m = _WORD.search(text[:200].lower())
    return m.group() if m else ""


def _tokens(text: str | None) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


def _caption_forms(fig: Block) -> CaptionForms:
    return (
        _tokens(fig.caption),
        _tokens(fig.credit),
        _tokens(f"{fig.caption or ''} {fig.credit or ''}"),
    )


def _is_caption(text: str, captions: list[CaptionForms]) -> bool:
    """The paragraph is one figure's caption, credit or both (not a paragraph it quotes)."""
    for cap, credit, both in captions:
        if text and text in (cap, credit, both):
            return True
        if cap and text.startswith(cap) and len(text) <= len(both) + 2:
            return True
    return False


def _merge(blocks: list[Block], positions: list[int | None], figures: Figures) -> list[Block]:
    """Blocks in order with each figure after the block that precedes it in the page."""
    out: list[Block] = []
    pending = list(figures)
    current = -1
    for b, pos in zip(blocks, positions, strict=False):
        if pos is not None and pos > current:
            current = pos
        while pending and pending[0][0] < current:
            out.append(pending.pop(0)[1])
        out.append(b)
    out.extend(f for _, f in pending)
    return out


def _has_body(blocks: list[Block], page_text: str) -> bool:
    words = 0
    for b in blocks:
        words += _word_count(b)
        if words >= 150:
            return True
    return words >= MIN_BODY_WORDS and not _PAYWALL.search(page_text[:200_000])


def _word_count(b: Block) -> int:
    if b.type == "list":
        return sum(len(x.split()) for x in b.items)
    if b.type == "table":
        return sum(len(c.split()) for row in b.rows for c in row)
    return 0 if b.type == "figure" else len(b.text.split())

"""Which of the page's figures belong to the article, and where they go among its blocks.

A figure belongs when it sits inside the body container (the deepest element holding most of
the extracted text), or when it is the lead image: above the first body block, inside the
element that holds both the body and the headline (the article's header). Each figure appears
once: the same image at two sizes, or a lead image shown twice, is one figure.
"""

from __future__ import annotations

import re
from typing import Any

from tui.extract.boilerplate import looks_like_appeal
from tui.extract.captions import Figures, figure_block, is_foreign
from tui.extract.images import same_image
from tui.extract.locate import PageIndex, common_container, text_key, text_length
from tui.models import Block

_WORD = re.compile(r"\w+")
_HEADER_CHARS = 1500  # the most text a header box (headline, dek, byline, crumbs) holds
_SCOPE = re.compile(r"article|story|post|entry|content|main", re.IGNORECASE)


def block_text(b: Block) -> str:
    if b.type == "list":
        return " ".join(b.items)
    if b.type == "table":
        return " ".join(" ".join(r) for r in b.rows)
    return b.text or ""


Placed = list[tuple[int, Block]]  # (page position, figure block)
Forms = list[tuple[str, str, str]]  # each figure's caption, credit and both, as tokens


def place_figures(
    figs: Figures,
    index: PageIndex,
    blocks: list[Block],
    positions: list[int | None],
    url: str | None,
    headlines: list[Any],
    meta: dict[str, str | None],
) -> Placed:
    """Accepted figures with their page positions: inside the body, or the article's lead."""
    located = [
        (index.elements[p], len(block_text(b)) + 1)
        for b, p in zip(blocks, positions, strict=False)
        if p is not None and p in index.elements
    ]
    container = common_container([el for el, _ in located], [w for _, w in located])
    if container is None or not figs.found:
        return []
    scope = _scope(container, headlines, meta.get("title"))
    head = _headline(headlines, meta.get("title"))
    first = _first_inside(container, positions, index)
    layout = {container, *container.iterancestors()}
    region, span = _region(located, index)
    found: list[tuple[int, Block]] = []
    leads = 0
    for fig in figs.found:
        order = index.order.get(fig)
        if order is None:
            continue
        inside = any(a is container for a in fig.iterancestors()) or (
            span[0] < order < span[1] and _within(fig, region)
        )
        if not inside and (
            leads or order > first or not (_within(fig, scope) or _by_headline(fig, head))
        ):
            continue
        if is_foreign(fig, container if inside else scope, layout):
            continue
        block = figure_block(fig, url, figs.outside.get(fig))
        if block is None or _promo(block) or _seen(block, found, inside):
            continue
        leads += 0 if inside else 1
        found.append((order, block))
    found.sort(key=lambda f: f[0])
    return found


def _region(located: list[tuple[Any, int]], index: PageIndex) -> tuple[Any, tuple[int, int]]:
    """The article region when its text is split over several boxes (ads or rails between
    them): the element holding nearly all of the text, and the page positions of its first and
    last text block. A figure between two of its text groups belongs to the article."""
    region = common_container([el for el, _ in located], [w for _, w in located], share=0.97)
    if region is None:
        return None, (0, -1)
    order = {id(el): pos for pos, el in index.elements.items()}
    inside = [order[id(el)] for el, _ in located if _within(el, region)]
    return region, ((min(inside), max(inside)) if inside else (0, -1))


def _by_headline(fig: Any, head: Any) -> bool:
    """The lead image of a header box: it and the headline share a box of little text (the
    article's header), however much the page puts between that header and the body."""
    if head is None:
        return False
    mine = set(fig.iterancestors())
    box = next((a for a in head.iterancestors() if a in mine), None)
    return box is not None and box.tag not in ("body", "html") and text_length(box) <= _HEADER_CHARS


def _within(el: Any, scope: Any) -> bool:
    return any(a is scope for a in el.iterancestors())


def _seen(block: Block, found: list[tuple[int, Block]], inside: bool) -> bool:
    for _, other in found:
        if block.src and other.src and same_image(block.src, other.src):
            if not (other.caption or other.credit):
                # a thumbnail strip showed it first, bare: the words come with the big one
                other.caption, other.credit = block.caption, block.credit
            return True
        # one caption twice: a lead shown at two sizes (a gallery may repeat a caption)
        if block.caption and block.caption == other.caption and (not inside or not block.src):
            return True
    return False


def _promo(block: Block) -> bool:
    """A "subscribe to our magazine" box dressed as a figure."""
    return bool(block.caption) and looks_like_appeal(block.caption or "")


def _first_inside(container: Any, positions: list[int | None], index: PageIndex) -> int:
    """Position of the first block inside the body: a standfirst above it may precede the lead."""
    for pos in sorted(p for p in positions if p is not None and p in index.elements):
        el: Any = index.elements[pos]
        if any(a is container for a in el.iterancestors()):
            return int(pos)
    return 0


def _scope(container: Any, headlines: list[Any], title: str | None) -> Any:
    """Where a lead figure may live: the element holding the body and its headline (not a page
    wrapper that also holds sidebars and lists), else the article element a few levels up."""
    near = _near_scope(container)
    head = _headline(headlines, title)
    if head is None:
        return near
    body_line = set(container.iterancestors())  # elements, not ids: lxml proxies come and go
    lca = next((a for a in head.iterancestors() if a in body_line), None)
    if lca is None or lca.tag in ("body", "html") or lca is near or _within(lca, near):
        return near
    extra = text_length(lca) - text_length(container)
    return lca if extra <= 3000 else near


def _headline(h1s: list[Any], title: str | None) -> Any:
    """The <h1> that carries the title (of the page's `h1s`), or the page's only one."""
    key = text_key(title or "")
    for h in h1s[:5]:
        if key and text_key(h.text_content()) == key:
            return h
    return h1s[0] if len(h1s) == 1 else None


def _near_scope(container: Any) -> Any:
    chain: list[Any] = []
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


def drop_caption_paragraphs(
    blocks: list[Block], positions: list[int | None], figures: Placed
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


def _caption_forms(fig: Block) -> tuple[str, str, str]:
    return (
        _tokens(fig.caption),
        _tokens(fig.credit),
        _tokens(f"{fig.caption or ''} {fig.credit or ''}"),
    )


def _is_caption(text: str, captions: Forms) -> bool:
    """The paragraph is one figure's caption, credit or both (not a paragraph it quotes)."""
    for cap, credit, both in captions:
        if text and text in (cap, credit, both):
            return True
        if cap and text.startswith(cap) and len(text) <= len(both) + 2:
            return True
    return False


def merge(blocks: list[Block], positions: list[int | None], figures: Placed) -> list[Block]:
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

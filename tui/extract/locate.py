"""Find where extracted blocks came from in the page, so figures can be put back in place.

One pass over the page assigns every element its document-order position and indexes the
text-bearing ones by a short key (their first words). A block's key then tells us its source
element, its position, and (for boilerplate rules) the source's link density.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")
_KEY_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li blockquote pre td th dd dt figcaption caption".split()
)


def text_key(text: str, words: int = 8) -> str:
    """First few lower-cased words; empty when too short to identify anything."""
    tokens = _WORD.findall(text.lower()[:400])[:words]
    key = " ".join(tokens)
    return key if len(key) >= 6 else ""


class PageIndex:
    """Document-order positions of the page's text blocks and figures, and a text-key lookup."""

    def __init__(self, root, watch: list) -> None:
        self.keys: dict[str, list[int]] = {}
        self.elements: dict[int, object] = {}
        self.order: dict[object, int] = {}
        # Figures that are not <figure> are placed by their first image.
        anchors = {}
        for el in watch:
            anchor = el if el.tag == "figure" else next(el.iter("img"), None)
            if anchor is not None:
                anchors[anchor] = el
        for i, el in enumerate(root.iter(*_KEY_TAGS, "figure", "img")):
            if el in anchors:
                self.order[anchors[el]] = i
            if el.tag in _KEY_TAGS:
                key = text_key(el.text_content()[:400])
                if key:
                    self.keys.setdefault(key, []).append(i)
                    self.elements[i] = el

    def locate(self, key: str, after: int) -> int | None:
        """Position of the first element with this key after `after`, else the first one."""
        found = self.keys.get(key) if key else None
        if not found:
            return None
        for pos in found:
            if pos > after:
                return pos
        return found[0]


def link_density(el) -> float:
    text = "".join(el.itertext())
    total = len(text.strip())
    if not total:
        return 0.0
    linked = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return min(1.0, linked / total)


def common_container(elements: list, weights: list[int] | None = None):
    """The deepest ancestor holding at least 80% of the given elements (the article body).

    With `weights` (the blocks' text lengths) the share is of text, so a headline or standfirst
    that sits apart from a short body cannot pull the body up into the page header.
    """
    if not elements:
        return None
    weights = weights or [1] * len(elements)
    counts: Counter = Counter()
    depth: dict = {}
    for el, w in zip(elements, weights):
        chain = [el, *el.iterancestors()]
        for d, anc in enumerate(reversed(chain)):
            counts[anc] += w
            depth[anc] = d
    need = max(1, 0.8 * sum(weights))
    best = None
    for anc, n in counts.items():
        if n >= need and (best is None or depth[anc] > depth[best]):
            best = anc
    # A single matched paragraph is not a container: widen to its parent.
    if best is not None and best in elements and best.getparent() is not None:
        best = best.getparent()
    return best

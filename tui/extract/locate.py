"""Find where extracted blocks came from in the page, so figures can be put back in place.

One pass over the page assigns every element its document-order position and indexes the
text-bearing ones by a short key (their first words). A block's key then tells us its source
element, its position, and (for boilerplate rules) the source's link density.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:  # types only: lxml.html is loaded with the first page
    from lxml.html import HtmlElement

_WORD = re.compile(r"\w+")
# The length of an element's text, counted in C: `"".join(el.itertext())` would make a Python
# object of every element below it.
_TEXT_LENGTH = etree.XPath("string-length()")
_FIRST_WORDS = re.compile(r"\w+(?:\W+\w+){0,7}")
_PREFIX_WORDS = 3
_KEY_TAGS = frozenset(
    (
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "td",
        "th",
        "dd",
        "dt",
        "figcaption",
        "caption",
    )
)


def text_key(text: str) -> str:
    """First eight lower-cased words; empty when too short to identify anything."""
    m = _FIRST_WORDS.search(text[:400].lower())
    key = " ".join(_WORD.findall(m.group())) if m else ""
    return key if len(key) >= 6 else ""


class PageIndex:
    """Document-order positions of the page's text blocks and figures, and a text-key lookup.

    Only keys in `wanted` (the extracted blocks' keys) are indexed. An element whose own
    leading text already shows a first word no wanted key starts with is skipped without
    reading its whole text: most of a page is navigation and teasers we never look up.
    """

    def __init__(
        self, root: HtmlElement, anchors: dict[HtmlElement, HtmlElement], wanted: set[str]
    ) -> None:
        self.keys: dict[str, list[int]] = {}
        self.elements: dict[int, HtmlElement] = {}
        self.order: dict[HtmlElement, int] = {}
        self.root = root
        prefixes = key_prefixes(wanted)
        # `anchors`: the element that places each figure (itself, its image, its caption)
        for i, el in enumerate(root.iter(*_KEY_TAGS, "figure", "img")):
            if el in anchors:
                self.order[anchors[el]] = i
            if el.tag in _KEY_TAGS and _may_start(el, prefixes):
                key = text_key(el.text_content()[:400])
                if key in wanted:
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


def _may_start(el: HtmlElement, prefixes: set[str]) -> bool:
    """False only when the element's text surely starts with words no wanted key starts with.

    Reads the first text that has words: the element's own, or down its first children
    (`<li><a><span>Home</span></a></li>`). A last word that may run on into the next piece of
    text is left out of the comparison.
    """
    node = el
    for _ in range(4):
        text = node.text or ""
        head = text[:80]
        m = _WORD.search(head) if head else None
        if m is not None:
            first = m.group().lower()
            if m.end() < len(head) and first.isalnum() and first not in prefixes:
                return False  # the usual case: a whole first word no key starts with
            tokens = _WORD.findall(head.lower())
            if (head[-1].isalnum() or head[-1] == "_") and (len(text) > 80 or _runs_on(node, el)):
                tokens.pop()
            return not tokens or " ".join(tokens[:_PREFIX_WORDS]) in prefixes
        if not len(node):
            return node is not el  # no words of its own: none at all, or they come later
        node = node[0]
        if not isinstance(node.tag, str):
            return True  # a comment first: not worth the trouble
    return True


def _runs_on(node: HtmlElement, top: HtmlElement) -> bool:
    """Whether text inside `top` may continue straight after `node`'s own text."""
    if len(node):
        return True
    while node is not top:
        if node.tail:
            return _WORD.match(node.tail) is not None
        if node.getnext() is not None:
            return True
        parent = node.getparent()
        if parent is None:  # not inside `top` after all
            return False
        node = parent
    return False


def key_prefixes(keys: set[str]) -> set[str]:
    """Every key's first one to `_PREFIX_WORDS` words, for `_may_start`."""
    out: set[str] = set()
    for key in keys:
        words = key.split(" ")
        out.update(" ".join(words[:n]) for n in range(1, _PREFIX_WORDS + 1))
    return out


def text_length(el: Any) -> int:
    """`len("".join(el.itertext()))`, without a Python object per element."""
    return int(_TEXT_LENGTH(el))


def link_density(el: HtmlElement) -> float:
    text = el.text_content()
    total = len(text.strip())
    if not total:
        return 0.0
    linked = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return min(1.0, linked / total)


def common_container(
    elements: list[HtmlElement], weights: list[int] | None = None, share: float = 0.8
) -> HtmlElement | None:
    """The deepest ancestor holding at least `share` of the given elements (the article body).

    With `weights` (the blocks' text lengths) the share is of text, so a headline or standfirst
    that sits apart from a short body cannot pull the body up into the page header.
    """
    if not elements:
        return None
    weights = weights or [1] * len(elements)
    counts: Counter[HtmlElement] = Counter()
    depth: dict[HtmlElement, int] = {}
    for el, w in zip(elements, weights, strict=False):
        chain = [el, *el.iterancestors()]
        for d, anc in enumerate(reversed(chain)):
            counts[anc] += w
            depth[anc] = d
    need = max(1, share * sum(weights))
    best: HtmlElement | None = None
    for anc, n in counts.items():
        if n >= need and (best is None or depth[anc] > depth[best]):
            best = anc
    # A single matched paragraph is not a container: widen to its parent.
    if best is not None and best in elements and best.getparent() is not None:
        best = best.getparent()
    return best

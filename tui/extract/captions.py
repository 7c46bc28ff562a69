"""Find the page's figures (image, caption, credit) wherever the page puts them.

trafilatura keeps at most an image's alt text; the caption and the photographer's credit live in
`<figcaption>`, in caption/credit-role elements, or in plain text beside the image. Shapes found:
a `<figure>`; a wrapper holding an image and a caption-role element; an image container followed
by a caption container (siblings between paragraphs); a small wrapper holding one image and a
short text after it. `core` then keeps the figures inside the article and places them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from tui.extract.classes import PHOTO_CREDIT_WORDS, credit_named, foreign_named
from tui.extract.figtext import caption_and_credit
from tui.extract.images import has_image, image_src, same_image
from tui.models import Article, Block, Media
from tui.textclean import clean_line

_FOREIGN_TAGS = frozenset(("aside", "nav", "footer", "form"))
_WRAPPER_WORDS = 40  # text a wrapper may hold beside its caption before it is a section
_SHORT_TEXT_WORDS = 50  # the most a plain text beside an image may be to count as its caption
_TEXT_TAGS = frozenset(("p", "div", "span", "em", "i", "small", "font", "figcaption", "strong"))

# What the figure search reads, in one walk over the page instead of three: top-level figures,
# caption candidates and loose images. Caption roles are reached through the attributes and by
# word stems ("Caption" matches without translate(), which costs three times as much); they are
# checked again in Python. `_survey` sorts the union back into its three parts.
_CLASS_STEMS = ("aption", "redit", "utline", "hotographer", "egend")
_ITEMPROP_STEMS = ("caption", "copyright")
_SURVEY = etree.XPath(
    "//figure[not(ancestor::figure)] | //figcaption"
    " | //@class[contains(., 'aption') or contains(., 'redit') or contains(., 'utline')"
    " or contains(., 'hotographer') or contains(., 'egend')]/.."
    " | //@itemprop[contains(., 'caption') or contains(., 'copyright')]/.."
    " | //img[not(ancestor::figure or ancestor::noscript)]"
    " | //picture[not(ancestor::figure) and not(.//img)]"
)
_PLACED = " or ".join(
    f"self::{t}" for t in ("p", "h2", "h3", "h4", "li", "figcaption", "figure", "img", "td")
)
_PLACE = etree.XPath(f"(descendant-or-self::*[{_PLACED}] | following::*[{_PLACED}])[1]")
_ROLE = re.compile(r"caption|credit|cutline|photographer|legend|copyright", re.IGNORECASE)


@dataclass
class Figures:
    """Figure elements in page order of discovery; `outside` maps an image container to the
    caption element that sits beside it rather than inside it."""

    found: list[Any]
    outside: dict[Any, Any]

    def anchor(self, fig: Any) -> Any:
        """The element whose page position places the figure: one of the elements the page
        index walks (a lazy image's <div> is placed by its caption, or what follows it)."""
        if fig.tag == "figure":
            return fig
        img = next(fig.iter("img"), None)
        if img is not None:
            return img
        cap = self.outside.get(fig)
        found = _PLACE(cap if cap is not None else fig)
        return found[0] if found else fig


def figure_candidates(root: Any) -> Figures:
    figures, captions, images = _survey(root)
    figs = Figures(figures, {})
    seen = set(figs.found)
    for cap in captions:
        if cap in seen or any(a in seen or a.tag == "figure" for a in cap.iterancestors()):
            continue
        if cap.tag == "figure" or not (cap.tag == "figcaption" or _ROLE.search(_roles(cap))):
            continue
        _place_caption(cap, figs, seen)
    # images inside a figure found so far are taken: one look down each figure, not one look up
    # from every image
    taken = {d for f in seen for d in f.iterdescendants("img", "picture")}
    for img in images:
        if img in taken:
            continue
        before = len(figs.found)
        _image_with_text(img, figs, seen)
        for fig in figs.found[before:]:
            taken.update(fig.iterdescendants("img", "picture"))
    for fig in figs.found:
        if fig in figs.outside:
            continue
        line = _italic_after(fig) if not _words(fig) else _credit_after(fig)
        if line is not None:
            figs.outside[fig] = line
    return figs


def _credit_after(fig: Any) -> Any:
    """A credit line printed just after a captioned figure, outside it (`</figure><p
    class="credit">`)."""
    if fig.find(".//figcaption") is None:
        return None
    nxt = fig.getnext()
    if nxt is None or not isinstance(nxt.tag, str) or not credit_named(nxt, PHOTO_CREDIT_WORDS):
        return None
    return nxt if 1 <= _words(nxt) <= 15 and not has_image(nxt) else None


def _italic_after(fig: Any) -> Any:
    """A wordless figure's caption set as the next line in italics (`<p><em>…</em></p>`), as
    galleries and plain blog layouts print it."""
    node = fig
    for _ in range(2):  # out of wrappers that hold only the figure
        parent = node.getparent()
        if parent is None or len([c for c in parent if isinstance(c.tag, str)]) != 1:
            break
        node = parent
    nxt = node.getnext()
    for _ in range(3):
        if nxt is None or not isinstance(nxt.tag, str):
            return None
        words = _words(nxt)
        if words:
            break
        nxt = nxt.getnext()  # an empty paragraph between
    else:
        return None
    if not 2 <= words <= _SHORT_TEXT_WORDS or has_image(nxt):
        return None
    italic = sum(len(e.text_content().split()) for e in _outer_italics(nxt))
    return nxt if italic == words else None


def _outer_italics(el: Any) -> list[Any]:
    found = [
        e for e in el.iter("em", "i") if not any(a.tag in ("em", "i") for a in e.iterancestors())
    ]
    return found


def _survey(root: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """The page's top-level figures, caption candidates and images outside figures, each in
    page order. An element the union holds for its caption role alone is checked here."""
    figures, captions, images = [], [], []
    for el in _SURVEY(root):
        role = el.tag == "figcaption" or _role_stem(el)
        if role:
            captions.append(el)
        if el.tag == "figure":
            if not role or not any(a.tag == "figure" for a in el.iterancestors()):
                figures.append(el)
        elif el.tag in ("img", "picture") and (not role or _loose_image(el)):
            images.append(el)
    return figures, captions, images


def _role_stem(el: Any) -> bool:
    cls, prop = el.get("class"), el.get("itemprop")
    return bool(
        (cls and any(w in cls for w in _CLASS_STEMS))
        or (prop and any(w in prop for w in _ITEMPROP_STEMS))
    )


def _loose_image(el: Any) -> bool:
    """An image outside figures (and, for an <img>, outside a lazy loader's <noscript>); a
    <picture> only when it holds no <img> of its own."""
    banned = ("figure", "noscript") if el.tag == "img" else ("figure",)
    if any(a.tag in banned for a in el.iterancestors()):
        return False
    return el.tag == "img" or el.find(".//img") is None


def _place_caption(cap: Any, figs: Figures, seen: set[Any]) -> None:
    """The image a loose caption belongs to: inside a small wrapper, or the container just
    before it (or before one of its first ancestors)."""
    node = cap
    cap_words = len(cap.text_content().split())
    for _ in range(4):
        if node is not cap and has_image(node):
            if _words(node) - cap_words <= _WRAPPER_WORDS and _images(node) <= 3:
                _add_wrapper(node, figs, seen)
            return
        prev = _image_before(node)
        if prev is not None:
            inner = (
                prev if prev in seen else next((f for f in prev.iter("figure") if f in seen), None)
            )
            if inner is not None and inner.find(".//figcaption") is None:
                figs.outside[inner] = node  # a bare <figure>, its caption just after it
            elif inner is None and not any(a in seen for a in prev.iterancestors()):
                figs.found.append(prev)
                figs.outside[prev] = node
                seen.update((prev, node))
            return
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return
        # climb only through wrappers that hold the caption and at most a credit line
        if _words(parent) - cap_words > 12 and not has_image(parent):
            return
        node = parent


def _image_before(node: Any) -> Any:
    """The previous sibling when it is an image container with next to no text."""
    prev = node.getprevious()
    for _ in range(2):
        if prev is None:
            return None
        if not isinstance(prev.tag, str) or (not len(prev) and not (prev.text or "").strip()):
            prev = prev.getprevious()  # a comment or an empty clearing div
            continue
        if has_image(prev) and _images(prev) <= 2 and _words(prev) <= 12:
            return prev
        return None
    return None


def _add_wrapper(wrapper: Any, figs: Figures, seen: set[Any]) -> None:
    inner = [f for f in wrapper.iter("figure") if f in seen]
    if len(inner) > 1 or (inner and inner[0].find(".//figcaption") is not None):
        return  # a gallery of figures, or a figure with its own caption: keep those
    for fig in inner:
        figs.found.remove(fig)
        seen.discard(fig)
    figs.found.append(wrapper)
    seen.add(wrapper)


def _image_with_text(img: Any, figs: Figures, seen: set[Any]) -> None:
    """A small wrapper holding one image and, after it, one short text: the image's caption
    even without a caption role (`<div><img><p>text</p></div>`)."""
    node = img
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html", "a", "li", "ul", "ol", "main"):
            return
        kids = [c for c in parent if isinstance(c.tag, str)]
        after = kids[kids.index(node) + 1 :] if node in kids else []
        texts = _wordy(after)
        if texts:
            _accept_text(parent, node, texts, figs, seen)
            return
        if len(kids) > 3 or (parent.text or "").strip():
            return
        node = parent


def _accept_text(
    parent: Any, image_part: Any, texts: list[Any], figs: Figures, seen: set[Any]
) -> None:
    text = texts[0]
    if len(texts) != 1 or text.tag not in _TEXT_TAGS:
        return
    words = _words(text)
    if (
        not 2 <= words <= _SHORT_TEXT_WORDS
        or _words(image_part) > 0
        or _images(parent) != 1
        or (parent.text or "").strip()
        or any((c.tail or "").strip() for c in parent)
        or text.find(".//a") is not None
        and _link_words(text) * 2 > words
        or any(h is not None for h in (text.find(".//h2"), text.find(".//h3")))
    ):
        return
    figs.found.append(parent)
    figs.outside[parent] = text
    seen.add(parent)


def _wordy(elements: list[Any]) -> list[Any]:
    """The first two of `elements` that hold words: one is a caption, two are not."""
    out = []
    for el in elements:
        if any(text.strip() for text in el.itertext()):
            out.append(el)
            if len(out) == 2:
                break
    return out


def _roles(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('itemprop') or ''}"


def _words(el: Any, limit: int = 200) -> int:
    """Words of text in `el`, counted up to a little past `limit` (a big section stops early)."""
    n = 0
    for text in el.itertext():
        n += len(text.split())
        if n > limit:
            break
    return n


def _link_words(el: Any) -> int:
    return sum(len("".join(a.itertext()).split()) for a in el.iter("a"))


def _images(el: Any) -> int:
    """Images shown: a lazy image's <noscript> copy is the same picture."""
    n = sum(1 for i in el.iter("img") if not any(a.tag == "noscript" for a in i.iterancestors()))
    return n or (1 if has_image(el) else 0)


def is_foreign(el: Any, stop: Any, layout: frozenset[Any] | set[Any] = frozenset()) -> bool:
    """True when `el` sits in a sidebar, teaser, ad or similar box (below `stop`). `layout`: the
    elements that hold the article body, whatever their class says ("l-sidebar-fixed")."""
    for anc in [el, *el.iterancestors()]:
        if anc is stop or anc in layout:
            return False
        if (anc.tag in _FOREIGN_TAGS or foreign_named(anc)) and not (
            anc.tag == "aside" and image_box(anc)
        ):
            return True
        parent = anc.getparent() if anc.tag == "a" else None
        # a linked image with a headline next to it is a teaser for another story
        if (
            parent is not None
            and anc.find(".//img") is not None
            and (parent.find(".//h2") is not None or parent.find(".//h3") is not None)
        ):
            return True
    return False


def image_box(el: Any) -> bool:
    """An `<aside>` (or any box) whose content is one image and its caption: a figure, however
    the page tags it, not a side box."""
    return (
        has_image(el)
        and next(el.iter("h1", "h2", "h3", "h4", "h5", "h6"), None) is None
        and _images(el) == 1
        and _words(el) <= _SHORT_TEXT_WORDS + 10
        and _link_words(el) <= 12
    )


_PLAYER = re.compile(r"video|player", re.IGNORECASE)


def _is_video(fig: Any) -> bool:
    """A video player's poster and its caption: not a photo of the article."""
    return any(
        e.tag in ("video", "iframe") or _PLAYER.search(e.get("class") or "")
        for e in fig.iter()
        if isinstance(e.tag, str)
    )


def figure_block(fig: Any, base_url: str | None, caption_el: Any = None) -> Block | None:
    if _is_video(fig) or not (has_image(fig) or _empty_frame(fig)):
        return None  # a figure that holds a chart, a quote or a video embed: not an image
    caption, credit = caption_and_credit(fig, caption_el)
    src = image_src(fig, base_url)
    if not (src or caption or credit):
        return None
    return Block(type="figure", caption=caption, credit=credit, src=src)


_NOT_PHOTO = ("svg", "canvas", "table", "blockquote", "iframe", "video", "audio", "pre", "math")


def _empty_frame(fig: Any) -> bool:
    """A `<figure>` whose picture a script puts in later: nothing in it but an empty box and its
    caption (a chart, a quote or an embed holds words or markup of its own)."""
    if fig.tag != "figure" or fig.find(".//figcaption") is None:
        return False
    if any(e.tag in _NOT_PHOTO for e in fig.iter() if isinstance(e.tag, str)):
        return False
    outside = [c for c in fig if isinstance(c.tag, str) and c.tag != "figcaption"]
    return bool(outside) and not any(_words(c) for c in outside) and not (fig.text or "").strip()


def apply_feed_media(article: Article, media: list[Media]) -> Article:
    """Give the article the feed's lead image caption/credit when the page gave it none."""
    lead = next((m for m in media if m.url and (m.type or "image").startswith("image")), None)
    if lead is None:
        return article
    caption, credit = clean_line(lead.caption) or None, clean_line(lead.credit) or None
    for b in article.blocks:
        if b.type == "figure" and b.src and same_image(b.src, lead.url):
            b.caption = b.caption or caption
            b.credit = b.credit or credit
            return article
    if caption or credit:
        article.blocks.insert(0, Block(type="figure", caption=caption, credit=credit, src=lead.url))
    if not article.lead_image:
        article.lead_image = lead.url
    return article

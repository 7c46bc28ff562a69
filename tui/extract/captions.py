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

from tui.extract.figtext import caption_and_credit
from tui.extract.images import has_image, image_src, same_image
from tui.models import Article, Block, Media
from tui.textclean import clean_line

# Containers that hold other stories, ads or chrome: their figures never belong to the article.
_FOREIGN = re.compile(
    r"related|recommend|teaser|promo|sidebar|aside|more-?(?:stories|news|from|on)|also-?read"
    r"|newsletter|\bads?\b|advert|sponsor|outbrain|taboola|trending|popular|most-?read|widget"
    r"|share|social|comment|footer|\bnav|menu|carousel-other|read-?next|next-?up|partner"
    r"|\bauthor|avatar|byline|headshot|profile-?(?:pic|photo|image)|\bbio\b|subscri",
    re.IGNORECASE,
)
# A class that names an image's own wrapper ("article-image", "media-widget"): not a foreign box.
_IMAGE_ROLE = re.compile(r"image|photo|figure|picture|media|gallery|slide", re.IGNORECASE)
_FOREIGN_TAGS = frozenset(("aside", "nav", "footer", "form"))
_MODIFIER = re.compile(r"--[\w-]*")
_WRAPPER_WORDS = 40  # text a wrapper may hold beside its caption before it is a section
_SHORT_TEXT_WORDS = 50  # the most a plain text beside an image may be to count as its caption
_TEXT_TAGS = frozenset(("p", "div", "span", "em", "i", "small", "font", "figcaption", "strong"))

_FIGURES = etree.XPath("//figure[not(ancestor::figure)]")
# Reached through the attributes: a third faster than testing every element's @class.
# Through the attributes, and by word stems so "Caption" matches too without translate(),
# which costs three times as much; the roles are checked again in Python.
_LOOSE_CAPTIONS = etree.XPath(
    "//figcaption | //@class[contains(., 'aption') or contains(., 'redit')"
    " or contains(., 'utline') or contains(., 'hotographer') or contains(., 'egend')]/.."
    " | //@itemprop[contains(., 'caption') or contains(., 'copyright')]/.."
)
_PLACED = " or ".join(
    f"self::{t}" for t in ("p", "h2", "h3", "h4", "li", "figcaption", "figure", "img", "td")
)
_PLACE = etree.XPath(f"(descendant-or-self::*[{_PLACED}] | following::*[{_PLACED}])[1]")
_ROLE = re.compile(r"caption|credit|cutline|photographer|legend|copyright", re.IGNORECASE)
_IMAGES = etree.XPath(
    "//img[not(ancestor::figure or ancestor::noscript)]"
    " | //picture[not(ancestor::figure) and not(.//img)]"
)


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
    figs = Figures(list(_FIGURES(root)), {})
    seen = set(figs.found)
    for cap in _LOOSE_CAPTIONS(root):
        if cap in seen or any(a in seen or a.tag == "figure" for a in cap.iterancestors()):
            continue
        if cap.tag == "figure" or not (cap.tag == "figcaption" or _ROLE.search(_roles(cap))):
            continue
        _place_caption(cap, figs, seen)
    for img in _IMAGES(root):
        if not any(a in seen for a in img.iterancestors()):
            _image_with_text(img, figs, seen)
    return figs


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
        texts = [c for c in after if _words(c)]
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
    words = _words(text)
    if (
        len(texts) != 1
        or text.tag not in _TEXT_TAGS
        or not 2 <= words <= _SHORT_TEXT_WORDS
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


def _class_id(el: Any) -> str:
    # BEM modifiers describe the block, they do not name it: "content-header--social-icons-left"
    return _MODIFIER.sub("", f"{el.get('class') or ''} {el.get('id') or ''}")


def is_foreign(el: Any, stop: Any, layout: frozenset[Any] | set[Any] = frozenset()) -> bool:
    """True when `el` sits in a sidebar, teaser, ad or similar box (below `stop`). `layout`: the
    elements that hold the article body, whatever their class says ("l-sidebar-fixed")."""
    for anc in [el, *el.iterancestors()]:
        if anc is stop or anc in layout:
            return False
        names = _class_id(anc)
        if anc.tag in _FOREIGN_TAGS or (_FOREIGN.search(names) and not _IMAGE_ROLE.search(names)):
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


_PLAYER = re.compile(r"video|player", re.IGNORECASE)


def _is_video(fig: Any) -> bool:
    """A video player's poster and its caption: not a photo of the article."""
    return any(
        e.tag in ("video", "iframe") or _PLAYER.search(e.get("class") or "")
        for e in fig.iter()
        if isinstance(e.tag, str)
    )


def figure_block(fig: Any, base_url: str | None, caption_el: Any = None) -> Block | None:
    if not has_image(fig) or _is_video(fig):
        return None  # a figure that holds a chart, a quote or a video embed: not an image
    caption, credit = caption_and_credit(fig, caption_el)
    src = image_src(fig, base_url)
    if not (src or caption or credit):
        return None
    return Block(type="figure", caption=caption, credit=credit, src=src)


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

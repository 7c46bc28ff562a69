"""Recover figures (image, caption, credit) from the page and put them back among the blocks.

trafilatura keeps at most an image's alt text; the caption and the photographer's credit live
in `<figcaption>` or caption/credit-classed elements that it drops. We read them from the page
ourselves, keep only figures inside the article (body or header), and place each after the
block that precedes it in the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree

from tui.extract.credits import CREDIT_CLASS, looks_like_credit, split_credit
from tui.models import Article, Block, Media
from tui.textclean import clean_line, safe_url

if TYPE_CHECKING:  # types only: lxml.html is loaded with the first page
    from lxml.html import HtmlElement

_CAPTION_CLASS = re.compile(r"caption|credit|legend|cutline", re.IGNORECASE)
_CAPTION_ONLY = re.compile(r"caption|legend|cutline", re.IGNORECASE)
_HIDDEN_CLASS = re.compile(r"\b(?:sr-only|visually-hidden|screen-reader|hidden)\b", re.IGNORECASE)
# Containers that hold other stories, ads or chrome: their figures never belong to the article.
_FOREIGN = re.compile(
    r"related|recommend|teaser|promo|sidebar|aside|more-?(?:stories|news|from|on)|also-?read"
    r"|newsletter|\bads?\b|advert|sponsor|outbrain|taboola|trending|popular|most-?read|widget"
    r"|share|social|comment|footer|\bnav|menu|carousel-other|read-?next|next-?up|partner"
    r"|\bauthor|avatar|byline|headshot|profile-?(?:pic|photo|image)|\bbio\b",
    re.IGNORECASE,
)
_FOREIGN_TAGS = frozenset(("aside", "nav", "footer", "form"))
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "button", "svg"))
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")
_MODIFIER = re.compile(r"--[\w-]*")
_WORDY = re.compile(r"\w")
_PLACEHOLDER = re.compile(r"^data:|placeholder|blank\.|spacer|1x1|transparent\.gif", re.IGNORECASE)


_FIGURES = etree.XPath("//figure[not(ancestor::figure)]")
# Reached through the class attributes: a third faster than testing every element's @class.
_LOOSE_CAPTIONS = etree.XPath(
    "(//figcaption | //@class[contains(., 'caption') or contains(., 'credit')]/..)"
    "[not(ancestor-or-self::figure)]"
)


def figure_candidates(root: HtmlElement) -> list[HtmlElement]:
    """`<figure>` elements, plus image wrappers that carry a caption/credit-classed child.

    A wrapper whose caption sits beside a bare `<figure>` (image in the figure, figcaption after
    it) takes that figure's place, so image and caption come out as one.
    """
    found = list(_FIGURES(root))
    seen = set(found)
    for cap in _LOOSE_CAPTIONS(root):
        for anc in islice_ancestors(cap, 3):
            if anc in seen:
                break
            if anc.find(".//img") is not None:
                if not any(a in seen for a in anc.iterancestors()):
                    _add_wrapper(anc, found, seen)
                break
    return found


def _add_wrapper(wrapper: HtmlElement, found: list[HtmlElement], seen: set[HtmlElement]) -> None:
    inner = [f for f in wrapper.iter("figure") if f in seen]
    if len(inner) > 1 or (inner and inner[0].find(".//figcaption") is not None):
        return  # a gallery of figures, or a figure with its own caption: keep those
    for fig in inner:
        found.remove(fig)
        seen.discard(fig)
    found.append(wrapper)
    seen.add(wrapper)


def islice_ancestors(el: HtmlElement, n: int) -> list[HtmlElement]:
    out: list[HtmlElement] = []
    for anc in el.iterancestors():
        out.append(anc)
        if len(out) >= n:
            break
    return out


def _class_id(el: HtmlElement) -> str:
    # BEM modifiers describe the block, they do not name it: "content-header--social-icons-left"
    return _MODIFIER.sub("", f"{el.get('class') or ''} {el.get('id') or ''}")


def is_foreign(el: HtmlElement, stop: HtmlElement) -> bool:
    """True when `el` sits in a sidebar, teaser, ad or similar box (below `stop`)."""
    for anc in [el, *el.iterancestors()]:
        if anc is stop:
            return False
        if anc.tag in _FOREIGN_TAGS or _FOREIGN.search(_class_id(anc)):
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


def image_src(fig: HtmlElement, base_url: str | None) -> str | None:
    for img in fig.iter("img", "source"):
        for attr in _LAZY_ATTRS:
            lazy = img.get(attr)
            if lazy:
                return _absolute(lazy, base_url)
        src = img.get("src")
        if src and not _PLACEHOLDER.search(src):
            return _absolute(src, base_url)
        for attr in ("data-srcset", "srcset", "data-lazy-srcset"):
            srcset = img.get(attr)
            if srcset:
                return _absolute(_best_srcset(srcset), base_url)
    return None


def _best_srcset(srcset: str) -> str:
    best, best_w = "", -1.0
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        width = 0.0
        if len(bits) > 1 and bits[1][:-1].replace(".", "", 1).isdigit():
            width = float(bits[1][:-1])
        if width > best_w:
            best, best_w = bits[0], width
    return best


def _absolute(src: str, base_url: str | None) -> str | None:
    src = src.strip()
    if not src or src.startswith("data:"):
        return None
    if base_url:
        try:
            src = urljoin(base_url, src)
        except ValueError:
            return None
    return safe_url(src) or (src if not base_url and "://" not in src and " " not in src else None)


def _walk_text(el: HtmlElement, skip: set[HtmlElement], out: list[str]) -> None:
    if el in skip or el.tag in _SKIP_TAGS:
        return
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _walk_text(child, skip, out)
        if child.tail:
            out.append(child.tail)


def caption_and_credit(fig: HtmlElement) -> tuple[str | None, str | None]:
    """Caption and credit of one figure, credits told apart by markup first, then by wording."""
    cap_el = fig.find(".//figcaption")
    if cap_el is None:
        cap_el = next(
            (
                e
                for e in fig.iter()
                if isinstance(e.tag, str)
                and e is not fig
                and _CAPTION_CLASS.search(e.get("class") or "")
            ),
            None,
        )
    credit_els = [
        e
        for e in fig.iter()
        if isinstance(e.tag, str)
        and e is not fig
        and e is not cap_el
        and CREDIT_CLASS.search(e.get("class") or "")
        and e.tag not in ("img", "picture", "source", "a")
    ]
    # a wrapper whose utility class says "attribution" but that holds the caption is no credit
    credit_els = [
        e
        for e in credit_els
        if not any(
            c is not e and _CAPTION_ONLY.search(c.get("class") or "")
            for c in e.iter()
            if isinstance(c.tag, str)
        )
    ]
    credit_els = [e for e in credit_els if not any(a in credit_els for a in e.iterancestors())]
    hidden = {
        e
        for e in fig.iter()
        if isinstance(e.tag, str) and _HIDDEN_CLASS.search(e.get("class") or "")
    }
    credit = clean_line(" ".join(clean_line(_text_of(e, hidden)) for e in credit_els)) or None
    caption = ""
    if cap_el is not None:
        caption = clean_line(_text_of(cap_el, set(credit_els) | hidden))
    if credit and caption.endswith(credit):
        caption = caption[: -len(credit)].strip()
    if caption and not credit:
        caption, credit = split_credit(caption)
    elif caption and looks_like_credit(caption):
        caption, credit = "", clean_line(f"{caption} {credit}")
    if not _WORDY.search(caption):
        caption = _alt_caption(fig)
        if caption and not credit:
            caption, credit = split_credit(caption)
    return _tidy(caption) or None, credit or None


def _alt_caption(fig: HtmlElement) -> str:
    img = fig if fig.tag == "img" else fig.find(".//img")
    alt = clean_line(img.get("alt")) if img is not None else ""
    return alt if len(alt.split()) >= 3 else ""


def _tidy(caption: str) -> str:
    """Drop the punctuation a split credit leaves behind (". Imagen: Télam" gives ".")."""
    return caption.strip(" ,;:|-–—") if _WORDY.search(caption) else ""


def _text_of(el: HtmlElement, skip: set[HtmlElement]) -> str:
    out: list[str] = []
    _walk_text(el, skip, out)
    return " ".join(out)


def figure_block(fig: HtmlElement, base_url: str | None) -> Block | None:
    caption, credit = caption_and_credit(fig)
    src = image_src(fig, base_url)
    if not (src or caption):
        return None
    has_image = (
        fig.tag == "img" or fig.find(".//img") is not None or fig.find(".//picture") is not None
    )
    if not has_image:
        return None  # a figure that holds a chart, a quote or a video embed: not an image
    return Block(type="figure", caption=caption, credit=credit, src=src)


def apply_feed_media(article: Article, media: list[Media]) -> Article:
    """Give the article the feed's lead image caption/credit when the page gave it none."""
    lead = next((m for m in media if m.url and (m.type or "image").startswith("image")), None)
    if lead is None:
        return article
    caption, credit = clean_line(lead.caption) or None, clean_line(lead.credit) or None
    for b in article.blocks:
        if b.type == "figure" and b.src and _same_image(b.src, lead.url):
            b.caption = b.caption or caption
            b.credit = b.credit or credit
            return article
    if caption or credit:
        article.blocks.insert(0, Block(type="figure", caption=caption, credit=credit, src=lead.url))
    if not article.lead_image:
        article.lead_image = lead.url
    return article


def _same_image(a: str, b: str | None) -> bool:
    if not b:
        return False

    def strip(u: str) -> str:
        return u.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]

    return a == b or strip(a) == strip(b)

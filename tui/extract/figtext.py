"""A figure's caption and credit, read from its markup: which element is the caption, which the
credit, what is a label for screen readers only, and what is a gallery's "1 of 4".

Roles come from the markup first (`<figcaption>`, `<cite>`, class or `itemprop` roles), then from
the wording (`credits.split_credit`). Labels ("Credit", "Image caption", "Photo:") are dropped
from captions; a credit keeps a visible label once and never a doubled or hidden one.
"""

from __future__ import annotations

import re
from typing import Any

from tui.extract.classes import credit_named
from tui.extract.credits import CREDIT_CLASS, looks_like_credit, split_credit
from tui.textclean import clean_line

CAPTION_ROLE = re.compile(r"caption|legend|cutline|description|\bdesc\b|summary", re.IGNORECASE)
# Whole class names (a "hidden-xs" element shows on larger screens).
HIDDEN_CLASS = re.compile(
    r"(?:[\w-]*(?:sr-only|sr-text|visually-?hidden|screen-?reader(?:-text|-only)?|off-?screen"
    r"|a11y[\w-]*|assistive[\w-]*)|hidden|hide|hide-text|u-hidden|element-invisible|invisible)",
    re.IGNORECASE,
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "button", "svg", "img"))
_CREDIT_TAGS = frozenset(("cite", "small"))
_CREDIT_PROP = re.compile(r"copyright|creator|author|credit|provider", re.IGNORECASE)
_WORDY = re.compile(r"\w")
# Labels that say what the next words are, for screen readers or as printed.
_LABEL = r"(?:image|photo|picture|media|video)?\s*(?:caption|copyright|credit|source)s?"
_LEAD_LABEL = re.compile(rf"^\s*(?:{_LABEL}\s*(?:[:.…|]+\s*|\s+(?=\S)))+", re.IGNORECASE)
_CAPTION_LABEL = re.compile(rf"^\s*(?:{_LABEL})\b\s*[:.…|]*\s*", re.IGNORECASE)
_DOUBLED = re.compile(r"\b(\w+)(\W+\1\b)+", re.IGNORECASE)
_COUNTER = re.compile(
    r"^\s*(?:(?:image|photo|picture|slide)\s*)?\d{1,3}\s*(?:of|/)\s*\d{1,3}\b\s*[:.|–—-]?\s*",
    re.IGNORECASE,
)
_TOGGLE = re.compile(r"\s*\b(?:(?:show|read|see)\s+)?(?:more|less|hide caption|expand)\s*$", re.I)


def _role(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('itemprop') or ''}"


def _elements(fig: Any) -> list[Any]:
    return [e for e in fig.iter() if isinstance(e.tag, str) and e is not fig]


def caption_and_credit(fig: Any, area: Any = None) -> tuple[str | None, str | None]:
    """Caption and credit of one figure; `area` holds them when they sit outside `fig`."""
    elements = _elements(fig) + ([area, *_elements(area)] if area is not None else [])
    hidden = {e for e in elements if _is_hidden(e)}
    cap_el = _caption_element(fig, elements, area)
    credit_els = _credit_elements(elements, cap_el, hidden)
    credit = clean_line(" ".join(_credit_text(e, hidden) for e in credit_els)) or ""
    caption = clean_line(_text_of(cap_el, set(credit_els) | hidden)) if cap_el is not None else ""
    if credit and caption.endswith(credit):
        caption = caption[: -len(credit)].strip()
    caption = _strip_caption_labels(caption)
    if caption and not credit:
        caption, found = split_credit(caption)
        credit = found or ""
    elif caption and looks_like_credit(caption):
        caption, credit = "", clean_line(f"{caption} {credit}")
    # an image's alt text describes the picture for those who cannot see it (often it is the
    # headline again, or "main article image"): it is never the caption the page prints
    return _tidy(caption) or None, tidy_credit(credit) or None


def _is_hidden(el: Any) -> bool:
    if any(HIDDEN_CLASS.fullmatch(c) for c in (el.get("class") or "").split()):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None


def _caption_element(fig: Any, elements: list[Any], area: Any) -> Any:
    found = next(
        (e for e in elements if e.tag == "figcaption" and _WORDY.search(e.text_content())), None
    )
    if found is not None:
        return found
    roles = [
        e
        for e in elements
        if CAPTION_ROLE.search(_role(e))
        and not credit_named(e)
        and e.tag not in _SKIP_TAGS
        and _WORDY.search(e.text_content())
    ]
    if roles:
        return roles[0]
    if area is not None:
        return area
    if fig.tag == "figure":
        # a <figure> with no figcaption: its own line of text under the picture ("<em>…</em>")
        own = next((e for e in elements if _own_line(e)), None)
        if own is not None:
            return own
    # a caption under another name ("credit" only): the credit code below sorts it out
    return next((e for e in elements if CREDIT_CLASS.search(_role(e)) and e.tag != "img"), None)


def _own_line(el: Any) -> bool:
    return (
        el.tag in ("p", "em", "i", "span", "div", "small")
        and not credit_named(el)
        and el.find(".//img") is None
        and el.find(".//a") is None
        and bool(_WORDY.search(el.text_content()))
    )


def _credit_elements(elements: list[Any], cap_el: Any, hidden: set[Any]) -> list[Any]:
    found = []
    for e in elements:
        if e is cap_el or e in hidden or e.tag in ("img", "picture", "source", "a"):
            continue
        role = _role(e)
        by_role = CREDIT_CLASS.search(e.get("class") or "") or _CREDIT_PROP.search(
            e.get("itemprop") or ""
        )
        # <cite>, or a <small> closing the caption: how HTML marks a source
        by_tag = e.tag in _CREDIT_TAGS and _WORDY.search(e.text_content() or "")
        if not (by_role or by_tag):
            continue
        # a wrapper whose utility class says "attribution" but that holds the caption: no credit
        if any(
            c is not e and CAPTION_ROLE.search(_role(c)) for c in e.iter() if isinstance(c.tag, str)
        ):
            continue
        if cap_el is not None and e in cap_el.iterancestors():
            continue
        if CAPTION_ROLE.search(role) and not by_tag and not credit_named(e):
            continue
        found.append(e)
    found = [e for e in found if not any(a in found for a in e.iterancestors())]
    return found + [e for c in found for e in _credit_tail(c, found, hidden)]


def _credit_tail(credit: Any, found: list[Any], hidden: set[Any]) -> list[Any]:
    """The rest of a credit printed in the next element ("Name" + "/ AGENCY"): an element just
    after the credit, nothing between them, whose text starts with the separator."""
    out: list[Any] = []
    node = credit
    while not (node.tail or "").strip():
        node = node.getnext()
        if node is None or not isinstance(node.tag, str) or node in found or node in hidden:
            break
        if not re.match(r"\s*[/|]", node.text_content()) or len(node.text_content().split()) > 8:
            break
        out.append(node)
    return out


def _credit_text(el: Any, hidden: set[Any]) -> str:
    return clean_line(_text_of(el, hidden))


def _walk_text(el: Any, skip: set[Any], out: list[str]) -> None:
    if el in skip or el.tag in _SKIP_TAGS:
        return
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _walk_text(child, skip, out)
        if child.tail:
            out.append(child.tail)


def _text_of(el: Any, skip: set[Any]) -> str:
    out: list[str] = []
    _walk_text(el, skip, out)
    return " ".join(out)


def _strip_caption_labels(caption: str) -> str:
    """ "Image caption …", "1 of 4 …", a trailing "more": what a caption says about itself."""
    caption = _COUNTER.sub("", caption)
    caption = _CAPTION_LABEL.sub("", caption) if _CAPTION_LABEL.match(caption) else caption
    caption = _TOGGLE.sub("", caption) if len(caption) > 20 else caption
    return caption.strip()


def tidy_credit(credit: str) -> str:
    """One label at most, never a doubled one ("Credit Credit Jane Doe/Agency" reads "Jane
    Doe/Agency"); screen-reader labels ("Image copyright") go."""
    credit = clean_line(credit)
    if not credit:
        return ""
    m = _LEAD_LABEL.match(credit)
    if m:
        label = m.group(0)
        rest = credit[m.end() :].strip()
        words = re.findall(r"\w+", label.lower())
        hidden_style = len(words) > 1 or not re.search(r"[:.…]", label)
        if rest and _WORDY.search(rest) and (hidden_style or _DOUBLED.search(label)):
            credit = rest
    return credit.strip(" |")


def _tidy(caption: str) -> str:
    """Drop the punctuation a split credit leaves behind (". Imagen: Télam" gives ".")."""
    return caption.strip(" ,;:|-–—") if _WORDY.search(caption) else ""

"""What an element's class names and id say about it, read as whole class tokens.

A class token is one whitespace-separated class name (or the id), lower-cased, its BEM modifier
("--large") dropped. Its words are its hyphen/underscore parts. Rules match whole tokens: a
box is a "share" box when a token is `share`, `share-bar` or `article-share`, never because a
token merely holds those letters (`shareable-item`) or names a part inside one
(`widget__contents`).
"""

from __future__ import annotations

import re
from typing import Any

_MODIFIER = re.compile(r"--[\w-]*$")
_SPLIT = re.compile(r"[-_]+")

# What a foreign box (other stories, ads, chrome) calls itself, as the last name in its token
# ("article-share", "most-read"), optionally followed by a word for a part of a page layout
# ("related-stories-list", "share-bar"). Several words are one name: "read-next", "more-news".
_FOREIGN_NAMES = (
    r"related|recommend(?:ed|ations?)?|teasers?|promos?|promoted|sidebar|aside|more[-_]+(?:stories|news|from|on)"
    r"|also[-_]+read|newsletters?|ads?|advert(?:s|isement|ising)?|sponsor(?:s|ed)?|outbrain|taboola"
    r"|trending|popular|most[-_]+(?:read|popular|viewed)|widgets?|share|sharing|sharebar|social"
    r"|comments?|footer|nav|navbar|navigation|menu|read[-_]+next|next[-_]+up|partners?|authors?"
    r"|author[-_]+(?:info|box|card)|avatar|byline|headshot|profile[-_]+(?:pic|photo|image)|bio"
    r"|subscribe|subscription|subscriber|paywall"
)
_LAYOUT_PARTS = (
    r"stories|story|posts?|articles?|links?|list|box|bar|module|items?|wrap(?:per)?|container"
    r"|block|section|area|tools?|buttons?|icons?|widget|panel|rail|col(?:umn)?|inner|outer"
    r"|holder|cards?|slot|unit|zone|region|\d+"
)
_FOREIGN_TOKEN = re.compile(
    rf"(?:[a-z0-9]+[-_]+)*(?:{_FOREIGN_NAMES})(?:[-_]+(?:{_LAYOUT_PARTS}))*", re.IGNORECASE
)
# Words that name an image's own wrapper ("article-image", "media-widget"): not a foreign box.
_IMAGE_WORDS = ("image", "img", "photo", "figure", "picture", "media", "gallery", "slide")
# Words that name a credit line ("caption-credit", "image-copyright"): a credit even inside a
# caption-named box.
_CREDIT_WORDS = frozenset(
    (
        "credit",
        "credits",
        "copyright",
        "byline",
        "photographer",
        "courtesy",
        "attribution",
        "source",
        "rights",
    )
)


def class_tokens(el: Any) -> list[str]:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
    return [_MODIFIER.sub("", n) for n in names]


def token_words(token: str) -> list[str]:
    return [w for w in _SPLIT.split(token) if w]


def foreign_named(el: Any) -> bool:
    """A class token names a box of other stories, ads or page chrome, and no token names an
    image's own wrapper."""
    tokens = class_tokens(el)
    return any(_FOREIGN_TOKEN.fullmatch(t) for t in tokens) and not image_named(tokens)


def image_named(tokens: list[str]) -> bool:
    return any(w.startswith(_IMAGE_WORDS) for t in tokens for w in token_words(t))


def credit_named(el: Any, words: frozenset[str] = _CREDIT_WORDS) -> bool:
    """A class token whose words name a credit line."""
    return any(w in words for t in class_tokens(el) for w in token_words(t))


# A picture's credit only: not an article's byline or source line.
PHOTO_CREDIT_WORDS = frozenset(("credit", "credits", "copyright", "photographer", "courtesy"))

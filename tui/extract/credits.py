"""Split a figure caption into the caption proper and its credit line.

Credits come in a few shapes across publishers: a trailing "Photograph: Name/Agency", a
"© Agency" notice, a parenthesised "(Reuters/Name)", or a "Name/Getty Images" tail. We only
split at a sentence or clause boundary so a caption that merely mentions a photo stays whole.
"""

from __future__ import annotations

import re

_LABELS = (
    r"photo(?:graph)?s?|pictures?|pic|images?|illustrations?|graphics?|credits?|sources?"
    r"|video|courtesy(?: of)?|foto(?:s|grafie)?|bild|crédits? photos?|photo credit"
)
_AGENCIES = (
    r"reuters|ap|afp|epa|getty(?: images)?|ap photo|associated press|shutterstock|alamy"
    r"|pa(?: wire| media)?|anadolu|xinhua|sipa|dpa|aton|bestimage|efe|ansa|imago|rex"
)
# "… Photograph: Jane Doe for The Paper", "… Credit: …", "… © Agency 2024".
_LABELLED = re.compile(
    rf"(?:^|(?<=[.!?…”’»\"')\]])\s+|\s+[-–—|]\s*|\s{{2,}})((?:{_LABELS})\s*:\s*\S.*|©.*)$",
    re.IGNORECASE,
)
# "… (Reuters/Denis Balibouse)" or "… (Photo by Jane Doe)".
_PAREN = re.compile(
    rf"\s*([(\[](?=[^()\[\]]*(?:\b(?:{_AGENCIES})\b|(?:{_LABELS}|file)\s*:|[A-Za-z]\s*/\s*[A-Za-z]|^(?:{_LABELS})\b))"
    rf"[^()\[\]]+[)\]])\s*$",
    re.IGNORECASE,
)
# "… Jane Doe/Getty Images" after a sentence end.
_SLASH = re.compile(
    rf"(?<=[.!?…”’\"'])\s+([A-Z][\w.'’ -]{{1,60}}\s*/\s*(?:{_AGENCIES})\b[^.]*?)\s*$",
    re.IGNORECASE,
)
_WHOLE = re.compile(rf"^\s*(?:©|(?:{_LABELS})\s*:|\((?:{_AGENCIES})\b)", re.IGNORECASE)

CREDIT_CLASS = re.compile(
    r"credit|byline|copyright|source|attribution|photographer|courtesy|author|rights",
    re.IGNORECASE,
)


def looks_like_credit(text: str) -> bool:
    """True when the whole text is a credit line ("© AP", "Photo: Jane Doe")."""
    return bool(_WHOLE.match(text)) or bool(re.fullmatch(rf"(?:{_AGENCIES})\s*(?:/.*)?", text.strip(), re.I))


def split_credit(text: str) -> tuple[str, str | None]:
    """(caption, credit) from one caption string; credit is None when none is recognised."""
    text = text.strip()
    if not text:
        return "", None
    if looks_like_credit(text):
        return "", text
    for pattern in (_LABELLED, _PAREN, _SLASH):
        m = pattern.search(text)
        if m and m.start(1) > 0:
            caption = text[: m.start(1)].rstrip(" -–—|")
            return caption.strip(), m.group(1).strip()
    return text, None

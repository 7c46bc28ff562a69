"""Split a figure caption into the caption proper and its credit line.

Credits come in a few shapes across publishers: a trailing "Photograph: Name/Agency", a
"© Agency" notice, a parenthesised "(Reuters/Name)", or a "Name/Getty Images" tail. We only
split at a sentence or clause boundary so a caption that merely mentions a photo stays whole.
"""

from __future__ import annotations

import re

# Credit labels in the languages our feeds come in (en, es/pt, fr, de, it, nl).
_LABELS = (
    r"photo(?:graph)?s?|pictures?|pic|images?|illustrations?|graphics?|credits?|sources?"
    r"|video|courtesy(?: of)?|photo credit|crédits? photos?|photographie|crédito|créditos"
    r"|foto(?:s|grafie|grafía|grafia)?|imagen(?:es)?|imagem|fuente|fonte|immagine"
    r"|bild(?:er|quelle)?|quelle|beeld|afbeelding"
)
_AGENCIES = (
    r"reuters|ap|afp|epa(?:-efe)?|getty(?: images)?|ap photo|associated press|shutterstock|alamy"
    r"|pa(?: wire| media)?|anadolu|xinhua|sipa|dpa|aton|bestimage|efe|ansa|imago|rex|télam|telam"
    r"|europa press|kyodo|yonhap|tass|ria novosti|bloomberg|nurphoto|picture alliance|keystone"
)
# "… Photograph: Jane Doe for The Paper", "… Credit: …", "… © Agency 2024".
_LABELLED = re.compile(
    rf"(?:^|(?<=[.!?…”’»\"')\]])\s+|\s+[-–—|]\s*|\s{{2,}})((?:{_LABELS})\s*:\s*\S.*|©.*)$",
    re.IGNORECASE,
)
# "… (Reuters/Denis Balibouse)" or "… (Photo by Jane Doe)".
_PAREN = re.compile(
    rf"\s*([(\[](?=\s*(?:{_LABELS})\b|[^()\[\]]*(?:\b(?:{_AGENCIES})\b|(?:{_LABELS}|file)\s*:|[A-Za-z]\s*/\s*[A-Za-z]))"
    rf"[^()\[\]]+[)\]])\s*$",
    re.IGNORECASE,
)
# "… Jane Doe/Getty Images" after a sentence end.
_SLASH = re.compile(
    rf"(?<=[.!?…”’\"'])\s+([A-Z][\w.'’ -]{{1,60}}\s*/\s*(?:{_AGENCIES})\b[^.]*?)\s*$",
    re.IGNORECASE,
)
# "… Mike Blake/Reuters files", "… AFP via Getty Images": names ending in an agency.
_NAME = r"[A-ZÀ-Þ][\w.'’-]*"
_AGENCY_TAIL = re.compile(
    rf"(?<=[.!?…”’\"'])\s+((?:(?:{_NAME}|via|for|by|and|&|/)\s*){{0,6}}"
    rf"(?i:\b(?:{_AGENCIES}))\b(?:\s*/\s*{_NAME}(?:\s+{_NAME}){{0,3}})?(?i:\s+(?:files?|images|photos?|pool))?\.?)\s*$"
)
_WHOLE = re.compile(
    rf"^\s*(?:©|\(?\s*(?:{_LABELS})\s*:|\((?:{_AGENCIES})\b|(?:{_LABELS})\s+(?:by|via)\s+(?-i:[A-Z]))",
    re.IGNORECASE,
)

_WORD = re.compile(r"\w")

CREDIT_CLASS = re.compile(
    r"credit|byline|copyright|source|attribution|photographer|courtesy|author|rights",
    re.IGNORECASE,
)


def looks_like_credit(text: str) -> bool:
    """True when the whole text is a credit line ("© AP", "Photo: Jane Doe").

    A long "Video: In this talk …" is a caption that names its medium, not a credit.
    """
    if len(text.split()) > 12 and not text.lstrip().startswith("©"):
        return False
    return bool(_WHOLE.match(text)) or bool(
        re.fullmatch(rf"(?:{_AGENCIES})\s*(?:/.*)?", text.strip(), re.IGNORECASE)
    )


def split_credit(text: str) -> tuple[str, str | None]:
    """(caption, credit) from one caption string; credit is None when none is recognised."""
    text = text.strip()
    if not text:
        return "", None
    if looks_like_credit(text):
        return "", text
    for pattern in (_LABELLED, _PAREN, _SLASH, _AGENCY_TAIL):
        m = pattern.search(text)
        if m and m.start(1) > 0:
            caption = text[: m.start(1)].rstrip(" -–—|").strip()
            # ". Imagen: Télam" leaves only the full stop behind
            return (caption if _WORD.search(caption) else ""), m.group(1).strip()
    return text, None

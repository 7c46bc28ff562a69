"""Make untrusted text safe to show: no terminal control sequences, no invisible tricks.

Everything a feed or a page gives us passes through `clean_text` before it is stored for display,
and the UI and CLI pass it through again on the way out (cheap, and it protects old caches).
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and the other
# two-byte escapes. 8-bit C1 forms (0x9b CSI, 0x9d OSC) are covered by the C1 range below.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]          # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC, terminated by BEL or ST (or cut off)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?   # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                  # other Fe escapes
    | \x1b                           # a lone ESC
    """,
    re.VERBOSE,
)
# C0 controls except tab/newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi overrides/isolates and zero-width characters that can disguise text.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u206a-\u206f]")
# Runs of combining marks longer than any real script needs ("zalgo" floods).
_COMBINING_FLOOD = re.compile(r"([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3})[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _INVISIBLE.sub("", text)
    return _COMBINING_FLOOD.sub(r"\1", text)


def clean_line(text: str | None, limit: int = 1000) -> str:
    """One line of display text (a title, an author): controls gone, whitespace collapsed, capped."""
    if not text:
        return ""
    text = text[: limit * 4]
    text = strip_controls(text.replace("\n", " ").replace("\t", " "))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def clean_text(text: str | None) -> str:
    """Multi-line display text: controls gone, spaces collapsed, at most one blank line in a row."""
    if not text:
        return ""
    text = strip_controls(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "table", "tr", "figure", "figcaption", "section", "article", "header", "footer",
    "hr", "dd", "dt", "dl",
}


def html_to_text(html: str | None, limit: int = 200_000) -> str:
    """Readable plain text of an HTML fragment (a feed summary): block breaks kept, tags gone."""
    if not html:
        return ""
    html = html[:limit]
    if "<" not in html and "&" not in html:
        return clean_text(html)
    from lxml import etree, html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(re.sub(r"<[^>]*>", " ", html))
    for bad in root.iter("script", "style", "noscript", "template"):
        bad.text = ""
        for child in list(bad):
            bad.remove(child)
    parts: list[str] = []
    _walk(root, parts)
    return clean_text("".join(parts))


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    block = tag.lower() in _BLOCK_TAGS
    if block:
        parts.append("\n\n" if tag.lower() not in ("br", "li", "tr") else "\n")
    if tag.lower() == "li":
        parts.append("• ")
    if el.text and tag.lower() not in ("script", "style", "noscript", "template"):
        parts.append(el.text)
    for child in el:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and clean, else None: only such links are opened or copied."""
    if not url:
        return None
    url = url.strip()
    if _CONTROLS.search(url) or _INVISIBLE.search(url) or " " in url:
        return None
    lower = url.lower()
    if lower.startswith(("http://", "https://")) and len(url) < 8192:
        return url
    return None

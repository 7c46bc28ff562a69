"""Make untrusted text safe to show: no terminal control sequences, no invisible tricks.

Everything a feed or a page gives us passes through `clean_text` before it is stored for display,
and the UI and CLI pass it through again on the way out (cheap, and it protects old caches).
"""

from __future__ import annotations

import re
from html import unescape

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and the other
# two-byte escapes. 8-bit C1 forms (0x9b CSI, 0x9d OSC) are covered by the C1 range below.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]          # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC, terminated by BEL or ST (or cut off)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?   # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                  # other Fe escapes
    | \x1b                           # a lone ESC
    | \x9b[0-?]*[ -/]*[@-~]          # 8-bit CSI
    | [\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?  # 8-bit DCS/SOS/OSC/PM/APC
    """,
    re.VERBOSE,
)
# C0 controls except tab/newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi marks, overrides and isolates (U+061C is the Arabic letter mark), zero-width and other
# invisible format characters, interlinear annotations, and the Unicode tag characters
# (U+E0000-E007F: invisible, and able to smuggle a whole hidden ASCII text).
_INVISIBLE_CLASS = (
    "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
# Emoji skin-tone modifiers (U+1F3FB-1F3FF) and variation selectors (U+FE0E, U+FE0F): terminals
# disagree on their width (tmux 3.3 draws a modifier as two more cells; Rich counts U+FE0F as
# widening its base, tmux does not), and any disagreement shifts the pane borders. Without
# them the base emoji shows, as wide everywhere. (Joiners, U+200D, go with the invisibles: a
# joined family becomes its members side by side.)
_WIDTH_CLASS = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}{_WIDTH_CLASS}]")
# Line and paragraph separators: some terminals move the cursor on them.
_SEPARATORS = re.compile("[\u2028\u2029]")
# Runs of combining marks longer than any real script needs ("zalgo" floods).
_COMBINING_FLOOD = re.compile(
    r"([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3})[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")


# Anything the passes below would touch; most text has none of it, and one C-level search
# is far cheaper than four substitutions.
_SUSPECT = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_INVISIBLE_CLASS}{_WIDTH_CLASS}\\u2028\\u2029"
    "\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]"
)


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines."""
    if not text:
        return ""
    if not _SUSPECT.search(text):
        return text
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _SEPARATORS.sub("\n", text)
    return _COMBINING_FLOOD.sub(r"\1", text)


def clean_line(text: str | None, limit: int = 1000) -> str:
    """One line of display text (a title, an author): controls gone, whitespace collapsed, capped."""
    if not text:
        return ""
    text = text[: limit * 4]
    text = strip_controls(text).replace("\n", " ").replace("\t", " ")
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


_DROP = re.compile(
    r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_LINE_BREAK = re.compile(r"<(?:br|/tr|/dt|/dd)\b[^>]*>", re.IGNORECASE)
_BLOCK = re.compile(
    r"</?(?:p|div|ul|ol|h[1-6]|blockquote|pre|table|figure|figcaption|section|article|header|"
    r"footer|hr|dl|main|aside|nav)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str | None, limit: int = 200_000) -> str:
    """Readable plain text of an HTML fragment (a feed summary): block breaks kept, tags gone.

    Regular expressions rather than a parser: summaries are small and numerous, and this runs
    for every entry of every refresh (a parse tree costs ten times as much).
    """
    if not html:
        return ""
    html = html[:limit]
    if "<" not in html and "&" not in html:
        return clean_text(html)
    text = _DROP.sub(" ", html)
    text = _ITEM.sub("\n• ", text)
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK.sub("\n\n", text)
    text = _TAG.sub("", text)
    return clean_text(unescape(text))


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and clean, else None: only such links are opened or copied.

    Any whitespace or control character disqualifies it (a link holding a newline or a tab
    would run a second command when pasted into a shell), as does an invisible character.
    Credentials (`user:pass@`) are dropped: a feed's link never logs the user in anywhere, and
    `http://bank.example@evil.example/` must not read as the bank.
    """
    if not url:
        return None
    url = url.strip()
    if len(url) >= 8192 or _UNSAFE_IN_URL.search(url):
        return None
    if not url[:8].lower().startswith(("http://", "https://")):
        return None
    if "@" in url:
        url = strip_userinfo(url)
    return url


# Whitespace of any kind, controls, and the invisible characters above.
_UNSAFE_IN_URL = re.compile(f"[\\s\\x00-\\x1f\\x7f-\\x9f{_INVISIBLE_CLASS}\\u2028\\u2029]")


def url_is_clean(url: str) -> bool:
    """No whitespace, control or invisible character anywhere in it."""
    return _UNSAFE_IN_URL.search(url) is None


def strip_userinfo(url: str) -> str:
    """The URL without a `user:pass@` part (httpx would send it as Basic auth)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))

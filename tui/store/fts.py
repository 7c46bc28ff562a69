"""FTS5 queries from user text, and the pattern that marks what they matched."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
# Marks around matches in highlighted titles: private-use characters no feed text can contain
# after cleaning, so the UI can style them without parsing markup.
MARK_START, MARK_END = "\ue000", "\ue001"


def fts_query(text: str) -> str | None:
    """User text to a safe FTS5 query: every word must match, the last one as a prefix.

    Quoting each word means FTS5 operators or stray quotes in the input can never be a syntax
    error or change the meaning.
    """
    words = _WORD.findall(text)[:20]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


# A search considers the newest matches only: FTS5 streams them newest-first and stops, so a
# word found in nearly every entry costs as little as a rare one.
MAX_MATCHES = 2000
NEWEST_MATCHES = (
    "SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? ORDER BY rowid DESC LIMIT "
    + str(MAX_MATCHES)
)


def match_pattern(text: str) -> re.Pattern[str] | None:
    """The words of a search as a regex that finds what the FTS query matches: whole words,
    the last one as a prefix. Used to mark matches in titles (here and in the reader)."""
    words = _WORD.findall(text)[:20]
    if not words:
        return None
    parts = [rf"{re.escape(w)}\b" for w in words[:-1]] + [re.escape(words[-1]) + r"\w*"]
    return re.compile(rf"\b(?:{'|'.join(parts)})", re.IGNORECASE)


def highlight(title: str, pattern: re.Pattern[str] | None) -> str:
    """The title with each match of `pattern` between marks."""
    if pattern is None:
        return title
    return pattern.sub(lambda m: MARK_START + m.group(0) + MARK_END, title)

"""FTS5 queries from user text, and the pattern that marks what they matched."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
# Marks around matches in highlighted titles: private-use characters no feed text can contain
# after cleaning, so the UI can style them without parsing markup.
MARK_START, MARK_END = "\ue000", "\ue001"


# A last word shorter than this matches whole words only: "t*" would gather a good part of
# the index before the first match could be returned.
MIN_PREFIX = 3


def search_words(text: str) -> list[str]:
    """The words of a search, as fts_query and match_pattern see them."""
    return _WORD.findall(text)[:20]


def fts_query(text: str) -> str | None:
    """User text to a safe FTS5 query: every word must match, the last one as a prefix.

    Quoting each word means FTS5 operators or stray quotes in the input can never be a syntax
    error or change the meaning.
    """
    words = search_words(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    if len(words[-1]) >= MIN_PREFIX:
        quoted[-1] += "*"
    return " ".join(quoted)


# A search considers the newest MAX_MATCHES matches only. FTS5 streams a whole word's matches
# newest-first and stops at the limit, so a word in nearly every entry costs as little as a rare
# one; but a prefix ("vote*") is gathered whole, every word it starts, before the first row
# comes out (~0.4 s for a common word in 1M entries). So the words are first looked up as
# typed: when they alone fill the limit, that is the answer; otherwise the last word counts
# as a prefix too. Parameters: match_params(query).
MAX_MATCHES = 2000
NEWEST_MATCHES = f"""SELECT rowid FROM entry_fts WHERE entry_fts MATCH (
    SELECT CASE WHEN COUNT(*) >= {MAX_MATCHES} THEN w.exact ELSE w.prefix END
    FROM (SELECT ? AS exact, ? AS prefix) w LEFT JOIN (
        SELECT rowid FROM entry_fts WHERE entry_fts MATCH (SELECT ?)
        ORDER BY rowid DESC LIMIT {MAX_MATCHES}) ON 1)
    ORDER BY rowid DESC LIMIT {MAX_MATCHES}"""


def match_params(query: str) -> tuple[str, str, str]:
    """NEWEST_MATCHES's parameters for an fts_query(): the words as typed, with the prefix,
    and as typed again (for the count)."""
    exact = query.removesuffix("*")
    return exact, query, exact


def match_pattern(text: str) -> re.Pattern[str] | None:
    """The words of a search as a regex that finds what the FTS query matches: whole words,
    the last one as a prefix. Used to mark matches in titles (here and in the reader)."""
    words = search_words(text)
    if not words:
        return None
    parts = [rf"{re.escape(w)}\b" for w in words[:-1]] + [re.escape(words[-1]) + r"\w*"]
    return re.compile(rf"\b(?:{'|'.join(parts)})", re.IGNORECASE)


def highlight(title: str, pattern: re.Pattern[str] | None) -> str:
    """The title with each match of `pattern` between marks."""
    if pattern is None:
        return title
    return pattern.sub(lambda m: MARK_START + m.group(0) + MARK_END, title)

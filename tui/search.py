"""Full-text search over everything cached (titles, summaries, full articles) with SQLite FTS5."""

from __future__ import annotations

import re

from tui.store import ENTRY_COLUMNS, Store
from tui.views import View

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


def search(store: Store, text: str, limit: int = 50, view: View | None = None) -> list:
    """Entries matching `text`, best match first (title matches weigh most), among the newest
    MAX_MATCHES matches. Each row has `highlighted`: its title with matches between marks."""
    query = fts_query(text)
    if query is None:
        return []
    store.index_pending()  # entries a killed refresh stored but did not index
    where, params = (view or View("all")).where()
    rows = store.query(
        f"SELECT {ENTRY_COLUMNS} FROM ("
        "  SELECT rowid AS id, bm25(entry_fts, 10.0, 2.0, 1.0) AS score FROM entry_fts"
        f"  WHERE entry_fts MATCH ? ORDER BY rowid DESC LIMIT {MAX_MATCHES}) m "
        "JOIN entries e ON e.id = m.id JOIN sources s ON s.id = e.source_id "
        f"WHERE {where} ORDER BY m.score, e.sort_time DESC LIMIT ?",
        (query, *params, limit),
    )
    pattern = match_pattern(text)
    return [{**dict(r), "highlighted": highlight(r["title"], pattern)} for r in rows]


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


def search_view(text: str, base: View | None = None) -> View | None:
    """A headline-list view filtered by a search (newest first, like every list)."""
    query = fts_query(text)
    if query is None:
        return None
    return View("search", query=query, base=base, label=f"Search: {text.strip()[:40]}")

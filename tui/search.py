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


def search(store: Store, text: str, limit: int = 50, view: View | None = None) -> list:
    """Entries matching `text`, best match first (title matches weigh most)."""
    query = fts_query(text)
    if query is None:
        return []
    where, params = (view or View("all")).where()
    return store.query(
        f"SELECT {ENTRY_COLUMNS}, highlight(entry_fts, 0, ?, ?) AS highlighted "
        "FROM entry_fts JOIN entries e ON e.id = entry_fts.rowid "
        "JOIN sources s ON s.id = e.source_id "
        f"WHERE entry_fts MATCH ? AND {where} "
        "ORDER BY bm25(entry_fts, 10.0, 2.0, 1.0), e.sort_time DESC LIMIT ?",
        (MARK_START, MARK_END, query, *params, limit),
    )


def search_view(text: str, base: View | None = None) -> View | None:
    """A headline-list view filtered by a search (newest first, like every list)."""
    query = fts_query(text)
    if query is None:
        return None
    return View("search", query=query, base=base, label=f"Search: {text.strip()[:40]}")

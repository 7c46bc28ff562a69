"""Full-text search over everything cached (titles, summaries, full articles) with SQLite FTS5."""

from __future__ import annotations

from typing import Any

from tui.store.db import Store
from tui.store.fts import MARK_END as MARK_END  # re-exported for the CLI and the reader
from tui.store.fts import MARK_START as MARK_START
from tui.store.fts import MAX_MATCHES, fts_query, highlight
from tui.store.fts import match_pattern as match_pattern
from tui.store.listing import Listing
from tui.store.schema import ENTRY_COLUMNS
from tui.store.views import View


def search(
    store: Store, text: str, limit: int = 50, view: View | Listing | None = None
) -> list[dict[str, Any]]:
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


def search_view(text: str, base: View | None = None) -> View | None:
    """A headline-list view filtered by a search (newest first, like every list)."""
    query = fts_query(text)
    if query is None:
        return None
    return View("search", query=query, base=base, label=f"Search: {text.strip()[:40]}")

"""Full-text search over everything cached (titles, summaries, full articles) with SQLite FTS5."""

from __future__ import annotations

from typing import NamedTuple

from tui.store.db import Store
from tui.store.fts import MARK_END as MARK_END  # re-exported for the CLI and the reader
from tui.store.fts import MARK_START as MARK_START
from tui.store.fts import MAX_MATCHES as MAX_MATCHES
from tui.store.fts import NEWEST_MATCHES, fts_query, highlight, match_params, search_words
from tui.store.fts import match_pattern as match_pattern
from tui.store.listing import Listing
from tui.store.records import EntryRow
from tui.store.schema import ENTRY_COLUMNS
from tui.store.views import View


class Found(NamedTuple):
    entry: EntryRow
    highlighted: str  # its title with the matches between MARK_START and MARK_END


def search(
    store: Store, text: str, limit: int = 50, view: View | Listing | None = None
) -> list[Found]:
    """Entries matching `text` among the newest MAX_MATCHES matches: those whose title holds
    most of the words first, then newest first. Each row has `highlighted`: its title with
    matches between marks. (Not bm25: to weigh words it counts every match of each in the
    whole cache, which at 1M entries cost more than all the rest of a search.)"""
    query = fts_query(text)
    if query is None:
        return []
    store.index_pending()  # entries a killed refresh stored but did not index
    where, params = (view or View("all")).where()
    words = list(dict.fromkeys(w.lower() for w in search_words(text)))
    in_title = " + ".join(["(instr(lower(e.title), ?) > 0)"] * len(words))
    rows = store.query(
        f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN sources s ON s.id = e.source_id "
        f"WHERE e.id IN ({NEWEST_MATCHES}) AND {where} "
        f"ORDER BY {in_title} DESC, e.sort_time DESC, e.id DESC LIMIT ?",
        (*match_params(query), *params, *words, limit),
    )
    pattern = match_pattern(text)
    return [Found(EntryRow.from_row(r), highlight(r["title"], pattern)) for r in rows]


def search_view(text: str, base: View | None = None) -> View | None:
    """A headline-list view filtered by a search (newest first, like every list)."""
    query = fts_query(text)
    if query is None:
        return None
    return View("search", query=query, base=base, label=f"Search: {text.strip()[:40]}")

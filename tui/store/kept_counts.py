"""Counts read from `source_counts` (kept by triggers, schema migration 10) instead of counting
entries: what the sources pane and the first paint show costs the same at 1,000 entries as at
1,000,000."""

from __future__ import annotations

from tui.store.listing import Listing
from tui.store.views import View

SOURCES_WITH_COUNTS = """
SELECT s.*, COALESCE(s.title_override, s.title, s.url) AS display_title,
       COALESCE(c.entries, 0) AS entries, COALESCE(c.unread, 0) AS unread
FROM sources s LEFT JOIN source_counts c ON c.source_id = s.id
ORDER BY COALESCE(s.folder, ''), lower(display_title)
"""

_COLUMN = {"unread": "unread", "starred": "starred", "all": "entries"}


def count_sql(view: View | Listing) -> tuple[str, tuple[object, ...]] | None:
    """SQL answering `view`'s entry count from the counts table, or None when only counting the
    entries can (a search, today, a saved view, stories folded or entries hidden by rules)."""
    if isinstance(view, Listing):
        hiding = view.hidden is not None and not view.show_hidden and view.hidden[0] != "0"
        kept = None if hiding else count_sql(view.view)
        if kept is None or not view.grouped:
            return kept
        # Stories folded: the view's count less the members a newer member stands for, found
        # among the few entries that have a story (its partial index), not among them all.
        members, member_params = view.members()
        shown, shown_params = view.where()
        sql = (
            f"SELECT ({kept[0]}) - (SELECT COUNT(*) FROM entries e INDEXED BY entries_story "
            f"WHERE e.story IS NOT NULL AND ({members}) AND NOT ({shown}))"
        )
        return sql, (*kept[1], *member_params, *shown_params)
    if view.kind in _COLUMN:
        return f"SELECT COALESCE(SUM({_COLUMN[view.kind]}), 0) FROM source_counts", ()
    if view.kind in ("source", "source_unread"):
        column = "entries" if view.kind == "source" else "unread"
        sql = f"SELECT COALESCE(SUM({column}), 0) FROM source_counts WHERE source_id = ?"
        return sql, (view.source_id,)
    if view.kind == "folder":
        sql = (
            "SELECT COALESCE(SUM(c.entries), 0) FROM source_counts c "
            "JOIN sources s ON s.id = c.source_id WHERE s.folder = ?"
        )
        return sql, (view.folder,)
    return None

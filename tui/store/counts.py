"""Counts and flags under the rules: the sources pane does not count hidden entries as unread,
the CLI flags hidden rows, `rules test` counts what a rule would match.

Counts stay counts of entries (a story of three entries counts three), as without rules.
"""

from __future__ import annotations

from typing import Any

from tui.store.db import Store
from tui.store.listing import RulesSQL
from tui.store.records import EntryRow, SourceRow


def sources_counted(store: Store, hidden: RulesSQL | None) -> list[SourceRow]:
    """Store.sources(), with entries hidden by rules left out of both counts."""
    if hidden is None:
        return list(store.sources())
    sql, params = hidden
    return [
        SourceRow.from_row(r)
        for r in store.query(
            f"""SELECT s.*, COALESCE(s.title_override, s.title, s.url) AS display_title,
                   COALESCE(c.entries, 0) AS entries, COALESCE(c.unread, 0) AS unread
            FROM sources s LEFT JOIN
                 (SELECT e.source_id, COUNT(*) AS entries, SUM(e.read = 0) AS unread
                  FROM entries e WHERE NOT {sql} GROUP BY e.source_id) c ON c.source_id = s.id
            ORDER BY COALESCE(s.folder, ''), lower(display_title)""",
            params,
        )
    ]


def unread_total(store: Store, hidden: RulesSQL | None) -> int:
    if hidden is None:
        return int(store.unread_total())
    sql, params = hidden
    return int(
        store.query(f"SELECT COUNT(*) FROM entries e WHERE e.read = 0 AND NOT {sql}", params)[0][0]
    )


def hidden_ids(store: Store, hidden: RulesSQL | None, ids: list[int]) -> set[int]:
    """Which of these entries rules hide."""
    if hidden is None or not ids:
        return set()
    sql, params = hidden
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.query(
            f"SELECT e.id FROM entries e WHERE e.id IN ({marks}) AND {sql}", (*chunk, *params)
        )
        out.update(r[0] for r in rows)
    return out


def match_count(
    store: Store, where: str, params: list[object], examples: int = 5
) -> tuple[int, list[EntryRow]]:
    """How many cached entries satisfy `where` (alias e), and the newest few of them."""
    count = store.query(f"SELECT COUNT(*) FROM entries e WHERE {where}", tuple(params))[0][0]
    rows = store.query(
        "SELECT e.id, e.source_id, e.title, "
        "COALESCE(s.title_override, s.title, s.url) AS source_title "
        f"FROM entries e JOIN sources s ON s.id = e.source_id WHERE {where} "
        "ORDER BY e.sort_time DESC, e.id DESC LIMIT ?",
        (*params, examples),
    )
    return int(count), [EntryRow.from_row(r) for r in rows]


def unread_in(store: Store, view: Any) -> int:
    """Unread entries of a view (a View or Listing): the sources pane's one kind of number."""
    where, params = view.where()
    sql = f"SELECT COUNT(*) FROM entries e WHERE ({where}) AND e.read = 0"
    return int(store.query(sql, params)[0][0])

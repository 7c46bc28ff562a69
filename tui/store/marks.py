"""What a "mark all read" would mark, ahead of marking it: the ids (kept for an undo) and how
many sources they come from (more than one: the reader asks first)."""

from __future__ import annotations

from tui.store.base import Database
from tui.store.listing import Listing, members_where
from tui.store.views import View


def unread_members(
    db: Database, view: View | Listing, max_id: int | None = None
) -> tuple[list[int], int]:
    """(the unread entries a view covers, up to `max_id`; the number of their sources)."""
    where, params = members_where(view)
    if max_id is not None:
        where, params = f"({where}) AND e.id <= ?", (*params, max_id)
    rows = db.query(
        f"SELECT e.id, e.source_id FROM entries e WHERE ({where}) AND e.read = 0", params
    )
    return [int(r[0]) for r in rows], len({r[1] for r in rows})

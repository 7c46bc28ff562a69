"""Which entries a headline list shows: a view is a WHERE clause over the entries table."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """kind: "unread" (all unread), "starred", "all", "today", "source" (by id), "folder"."""

    kind: str
    source_id: int | None = None
    folder: str | None = None
    label: str = ""
    query: str | None = None  # an FTS5 query, for kind "search"
    base: "View | None" = None  # the view a search narrows

    @property
    def multi_source(self) -> bool:
        if self.kind == "search":
            return self.base is None or self.base.multi_source
        return self.kind not in ("source", "source_unread")

    def where(self) -> tuple[str, tuple]:
        """SQL condition on `entries e` and its parameters."""
        if self.kind == "unread":
            return "e.read = 0", ()
        if self.kind == "starred":
            return "e.starred = 1", ()
        if self.kind == "today":
            start = time.mktime(time.localtime()[:3] + (0, 0, 0, 0, 0, -1))
            return "e.sort_time >= ?", (start,)
        if self.kind == "source":
            return "e.source_id = ?", (self.source_id,)
        if self.kind == "search":
            inner, params = self.base.where() if self.base else ("1", ())
            return (f"e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?) AND ({inner})",
                    (self.query, *params))
        if self.kind == "source_unread":
            return "e.source_id = ? AND e.read = 0", (self.source_id,)
        if self.kind == "folder":
            return "e.source_id IN (SELECT id FROM sources WHERE folder = ?)", (self.folder,)
        return "1", ()


ALL_UNREAD = View("unread", label="All unread")
STARRED = View("starred", label="Starred")

"""Which entries a headline list shows: a view is a WHERE clause over the entries table."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tui.store.fts import NEWEST_MATCHES, fts_query, match_params

SqlParams = tuple[object, ...]
"""Values bound to a WHERE clause's `?` marks."""


@dataclass(frozen=True)
class View:
    """kind: "front" (the front page, ranked by tui.services.front), "unread" (all unread),
    "starred", "all", "today", "source" (by id), "folder",
    "search" (an FTS query narrowing `base`), "custom" (a saved view from the config)."""

    kind: str
    source_id: int | None = None
    folder: str | None = None
    label: str = ""
    query: str | None = None  # an FTS5 query, for kind "search"
    base: View | None = None  # the view a search narrows
    source_urls: tuple[str, ...] = ()  # for kind "custom": a saved view's sources (all if empty)
    unread_only: bool = False  # for kind "custom"

    @property
    def multi_source(self) -> bool:
        if self.kind == "search":
            return self.base is None or self.base.multi_source
        return self.kind not in ("source", "source_unread")

    def where(self) -> tuple[str, SqlParams]:
        """SQL condition on `entries e` and its parameters."""
        if self.kind == "unread":
            return "e.read = 0", ()
        if self.kind == "starred":
            return "e.starred = 1", ()
        if self.kind == "today":
            start = time.mktime(time.localtime(time.time())[:3] + (0, 0, 0, 0, 0, -1))
            return "e.sort_time >= ?", (start,)
        if self.kind == "source":
            return "e.source_id = ?", (self.source_id,)
        if self.kind == "search":
            inner, params = self.base.where() if self.base else ("1", ())
            return f"e.id IN ({NEWEST_MATCHES}) AND ({inner})", (
                *match_params(self.query or ""),
                *params,
            )
        if self.kind == "custom":
            return self._custom_where()
        if self.kind == "source_unread":
            return "e.source_id = ? AND e.read = 0", (self.source_id,)
        if self.kind == "folder":
            return "e.source_id IN (SELECT id FROM sources WHERE folder = ?)", (self.folder,)
        if self.kind == "front":  # listed only once ranked (store.listing.FrontRank)
            return "0", ()
        return "1", ()

    def _custom_where(self) -> tuple[str, SqlParams]:
        conds: list[str] = []
        params: list[object] = []
        if self.source_urls:
            marks = ",".join("?" * len(self.source_urls))
            conds.append(f"e.source_id IN (SELECT id FROM sources WHERE url IN ({marks}))")
            params.extend(self.source_urls)
        if self.query:
            conds.append(f"e.id IN ({NEWEST_MATCHES})")
            params.extend(match_params(self.query))
        if self.unread_only:
            conds.append("e.read = 0")
        return " AND ".join(conds) or "1", tuple(params)


TODAY = View("today", label="Today")


def saved_views(config_views: list[dict[str, Any]]) -> list[View]:
    """User-defined views from the config's [[views]] tables:
    name, sources (list of feed URLs), query (words to match), unread (bool)."""
    out = []
    for spec in config_views:
        name = str(spec.get("name") or "").strip()
        if not name:
            continue
        sources = spec.get("sources") or []
        urls = tuple(str(u) for u in (sources if isinstance(sources, list) else [sources]))
        query = fts_query(str(spec.get("query") or ""))
        out.append(
            View(
                "custom",
                label=name,
                query=query,
                source_urls=urls,
                unread_only=bool(spec.get("unread", False)),
            )
        )
    return out


ALL_UNREAD = View("unread", label="All unread")
FRONT = View("front", label="Front page")
STARRED = View("starred", label="Starred")


@dataclass(frozen=True)
class StickyView(View):
    """A view that also keeps the entries read during this visit, so rows do not jump away
    (and page offsets stay stable) while the user reads through "All unread"."""

    keep: tuple[int, ...] = ()

    def where(self) -> tuple[str, SqlParams]:
        where, params = super().where()
        if not self.keep:
            return where, params
        marks = ",".join("?" * len(self.keep))
        return f"(({where}) OR e.id IN ({marks}))", (*params, *self.keep)

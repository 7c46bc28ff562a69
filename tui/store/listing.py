"""A view as the headline list shows it: one row per story, hidden entries left out.

A `Listing` wraps a `View` and answers the same `where()` (plus `order()`), so every Store method
that pages, counts or finds a position in a view works on it unchanged.

- Hidden entries: `hidden` is the rules' SQL (true for an entry a rule hides, built by
  tui.services.rules.hidden_sql for alias `e`); they are left out unless `show_hidden`.
- Stories (`grouped`): of the entries of one story that are in the view, only the newest is
  listed; it stands for the story. Because "in the view" is the view's own condition, the row
  that stands for a story in "All unread" is its newest *unread* member.
- An expanded story lists every member in the view, right under the row that stood for it:
  the order puts members of an expanded story at that row's place (its time and id), newest
  first among themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.store.views import View

DEFAULT_ORDER = "e.sort_time DESC, e.id DESC"
# An expanded story: (story id, id of the row that stood for it, that row's sort_time).
Expanded = tuple[int, int, float]
RulesSQL = tuple[str, tuple[object, ...]]

_ALIAS = re.compile(r"\be\.")


def realias(sql: str, alias: str) -> str:
    """Our own SQL written against `entries e`, against `entries {alias}` instead. Only used on
    fragments newsdesk writes (views, rules): values always travel as parameters."""
    return _ALIAS.sub(f"{alias}.", sql)


@dataclass(frozen=True)
class Listing:
    view: View
    grouped: bool = False
    expanded: tuple[Expanded, ...] = ()
    hidden: RulesSQL | None = None
    show_hidden: bool = False

    # the view's own attributes, so code that asks a View can ask a Listing
    @property
    def kind(self) -> str:
        return self.view.kind

    @property
    def source_id(self) -> int | None:
        return self.view.source_id

    @property
    def label(self) -> str:
        return self.view.label

    @property
    def multi_source(self) -> bool:
        return self.view.multi_source

    def members(self, alias: str = "e") -> tuple[str, tuple[object, ...]]:
        """The view's entries, hidden ones left out (unless shown): every member of a story."""
        where, params = self.view.where()
        if self.hidden is not None and not self.show_hidden and self.hidden[0] != "0":
            where = f"({where}) AND NOT {self.hidden[0]}"
            params = (*params, *self.hidden[1])
        return (realias(where, alias) if alias != "e" else where), tuple(params)

    def where(self) -> tuple[str, tuple[object, ...]]:
        where, params = self.members()
        if not self.grouped:
            return where, params
        inner, inner_params = self.members("o")
        newer, newer_params = self.members("n")
        # Leave out every member that a newer member of its story in the view stands for. One
        # uncorrelated subquery over the few entries that have a story (entries_story), so a
        # COUNT of the view still runs on the view's own covering index.
        shown = ",".join(str(int(story)) for story, _, _ in self.expanded)
        open_ = f"o.story NOT IN ({shown}) AND " if shown else ""
        folded = (
            f"e.id NOT IN (SELECT o.id FROM entries o WHERE o.story IS NOT NULL AND {open_}"
            f"({inner}) AND EXISTS (SELECT 1 FROM entries n WHERE n.story = o.story AND "
            "(n.sort_time > o.sort_time OR (n.sort_time = o.sort_time AND n.id > o.id)) "
            f"AND ({newer})))"
        )
        return f"({where}) AND {folded}", (*params, *inner_params, *newer_params)

    def order(self) -> str:
        if not self.expanded:
            return DEFAULT_ORDER
        # numbers we made (ints and finite floats), so they can be written into the SQL
        times = " ".join(f"WHEN {int(s)} THEN {float(t)!r}" for s, _, t in self.expanded)
        ids = " ".join(f"WHEN {int(s)} THEN {int(i)}" for s, i, _ in self.expanded)
        return (
            f"CASE e.story {times} ELSE e.sort_time END DESC, "
            f"CASE e.story {ids} ELSE e.id END DESC, {DEFAULT_ORDER}"
        )

    def expand(self, story: int, row_id: int, row_time: float) -> Listing:
        if any(s == story for s, _, _ in self.expanded):
            return self
        return _replace(self, expanded=(*self.expanded, (story, row_id, row_time)))

    def collapse(self, story: int) -> Listing:
        return _replace(self, expanded=tuple(e for e in self.expanded if e[0] != story))


def _replace(listing: Listing, **changes: object) -> Listing:
    from dataclasses import replace

    return replace(listing, **changes)  # type: ignore[arg-type]


def order_of(view: View | Listing) -> str:
    return view.order() if isinstance(view, Listing) else DEFAULT_ORDER


def members_where(view: View | Listing) -> tuple[str, tuple[object, ...]]:
    """Every entry a view covers (all members of its stories): what "mark all read" marks."""
    return view.members() if isinstance(view, Listing) else view.where()


def position_by_rank(
    query: Callable[[str, tuple[object, ...]], list[Any]], view: View | Listing, entry_id: int
) -> int | None:
    """An entry's index in a view whose rows are not in time order (an expanded story)."""
    where, params = view.where()
    found = query(
        f"SELECT pos FROM (SELECT e.id, ROW_NUMBER() OVER (ORDER BY {order_of(view)}) - 1 "
        f"AS pos FROM entries e WHERE {where}) WHERE id = ?",
        (*params, entry_id),
    )
    return int(found[0][0]) if found else None

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
class FrontRank:
    """The front page as tui.services.front ranked it: the lead entry of each story in rank
    order, and every entry of those stories in the window (leads included)."""

    leads: tuple[int, ...]
    members: tuple[int, ...]
    # per story with a story id: (entry id, source id, story id) of its entries, lead first
    stories: tuple[tuple[tuple[int, int, int], ...], ...] = ()


@dataclass(frozen=True)
class Listing:
    view: View
    grouped: bool = False
    expanded: tuple[Expanded, ...] = ()
    hidden: RulesSQL | None = None
    show_hidden: bool = False
    # The front page: ranked in Python, not in SQL, so its rows are listed by id. `resolve`
    # (set by tui.services) ranks it; the list calls it in its worker thread.
    front: FrontRank | None = None
    resolve: Callable[[Any, Listing], Listing] | None = field(default=None, compare=False)

    def resolved(self, store: Any) -> Listing:
        """This listing, ranked if it is a front page not ranked yet: a worker thread's call
        (`store`: the Store, which imports this module)."""
        if self.resolve is None or self.front is not None:
            return self
        return self.resolve(store, self)

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
        if self.front is not None:  # the ranking left hidden entries out already
            return f"{alias}.id IN ({_ids(self.front.members)})", ()
        where, params = self.view.where()
        if self.hidden is not None and not self.show_hidden and self.hidden[0] != "0":
            where = f"({where}) AND NOT {self.hidden[0]}"
            params = (*params, *self.hidden[1])
        return (realias(where, alias) if alias != "e" else where), tuple(params)

    def where(self) -> tuple[str, tuple[object, ...]]:
        if self.front is not None:
            return self._front_where(), ()
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

    def _front_where(self) -> str:
        assert self.front is not None
        where = f"e.id IN ({_ids(self.front.leads)})"
        if self.expanded:
            stories = _ids(s for s, _, _ in self.expanded)
            where += f" OR (e.story IN ({stories}) AND e.id IN ({_ids(self.front.members)}))"
        return where

    def _front_order(self) -> str:
        """Rank order; an expanded story's entries at its lead's place, the lead first."""
        assert self.front is not None
        place = {lead: n for n, lead in enumerate(self.front.leads)}
        ranks = " ".join(f"WHEN {int(i)} THEN {n}" for i, n in place.items())
        stories = " ".join(
            f"WHEN {int(s)} THEN {place[i]}" for s, i, _ in self.expanded if i in place
        )
        by_story = f"CASE e.story {stories} END" if stories else "NULL"
        return (
            f"COALESCE(CASE e.id {ranks or 'WHEN NULL THEN 0'} END, {by_story}), "
            f"e.id NOT IN ({_ids(self.front.leads)}), {DEFAULT_ORDER}"
        )

    def order(self) -> str:
        if self.front is not None:
            return self._front_order()
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


def _ids(ids: Iterable[int]) -> str:
    """Ids we hold (ints), written into the SQL: the front page's few hundred rows."""
    return ",".join(str(int(i)) for i in ids) or "NULL"


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

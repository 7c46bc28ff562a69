"""The user's own front page: the window's stories ranked by how many of their sources carry them.

- The window is the last `front_hours` (config; `brief --since` overrides). Entries that the
  rules hide are not read at all, so they count toward nothing.
- A story is the entries sharing a story id (one story once, tui.services.stories); an entry
  without one is a story of its own. A story is on the page when one of its entries in the
  window is unread.
- Rank: distinct sources carrying the story in the window, then the newest entry, then the id
  (so equal stories always come in the same order).
- Lead: the entry best placed to tell it, which is one with a full article and a photo, not
  merely the newest; among equals the newest.

`rank` is pure (rows in, ranking out); `front_page` reads the store and dresses the top stories
with what a page shows. Both CLI and reader use them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.services.listing import rules_sql
from tui.services.rules import parse_rules
from tui.settings.config import Config
from tui.store import Store
from tui.store.front import ShownEntry, WindowEntry, shown_entries, window_entries

HOUR = 3600.0


@dataclass
class RankedStory:
    key: int  # the story id, or the entry's own id when it stands alone
    sources: int  # distinct sources carrying it in the window
    newest: float
    lead: int  # entry id
    members: list[int] = field(default_factory=list)  # lead first, then newest first
    unread: list[int] = field(default_factory=list)


def _lead_key(e: WindowEntry) -> tuple[bool, bool, bool, float, int]:
    return (e.full and e.photo, e.full, e.photo, e.sort_time, e.id)


def rank(
    entries: Iterable[WindowEntry], limit: int | None = None, stories: bool = True
) -> list[RankedStory]:
    """Stories with an unread entry, most sources first, then newest. `stories=False`: every
    entry is a story of its own (grouping turned off)."""
    groups: dict[int, list[WindowEntry]] = {}
    for e in entries:
        key = e.story if stories and e.story is not None else e.id
        groups.setdefault(key, []).append(e)
    ranked: list[RankedStory] = []
    for key, members in groups.items():
        unread = [m.id for m in members if not m.read]
        if not unread:
            continue
        lead = max(members, key=_lead_key)
        rest = sorted((m for m in members if m is not lead), key=lambda m: (-m.sort_time, -m.id))
        ranked.append(
            RankedStory(
                key=key,
                sources=len({m.source_id for m in members}),
                newest=max(m.sort_time for m in members),
                lead=lead.id,
                members=[lead.id, *(m.id for m in rest)],
                unread=unread,
            )
        )
    ranked.sort(key=lambda s: (-s.sources, -s.newest, -s.key))
    return ranked if limit is None else ranked[:limit]


@dataclass
class FrontStory:
    rank: int
    sources: int
    lead: ShownEntry
    others: list[ShownEntry]  # the story's other entries in the window, newest first
    unread: list[int]  # entry ids: what marking the story read marks

    @property
    def entry_ids(self) -> list[int]:
        return [self.lead.id, *(o.id for o in self.others)]


@dataclass
class FrontPage:
    stories: list[FrontStory]
    since: float
    until: float
    hours: float


def front_page(
    store: Store,
    config: Config,
    hours: float | None = None,
    limit: int | None = 30,
    now: float | None = None,
) -> FrontPage:
    """The ranked page: the top `limit` stories (all with None) with their entries to show."""
    until = time.time() if now is None else now
    hours = config.front_hours if hours is None else hours
    since = until - hours * HOUR
    rules, _errors = parse_rules(config.rules)  # the errors are said where rules are listed
    window = window_entries(store, since, until, rules_sql(rules))
    ranked = rank(window, limit, stories=config.stories)
    shown = shown_entries(store, [i for s in ranked for i in s.members])
    page: list[FrontStory] = []
    for story in ranked:
        entries = [shown[i] for i in story.members if i in shown]
        if not entries:
            continue  # pruned between the two reads
        page.append(FrontStory(len(page) + 1, story.sources, entries[0], entries[1:], story.unread))
    return FrontPage(page, since, until, hours)


def mark_read(store: Store, page: FrontPage) -> int:
    """Mark every unread entry of the page's stories read; returns how many."""
    ids = [i for s in page.stories for i in s.unread]
    if ids:
        store.set_read(ids)
    return len(ids)

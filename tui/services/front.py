"""The user's own front page: the window's stories ranked by how many of their sources carry them.

- The window is the last `front_hours` (config; `brief --since` overrides). Entries that the
  rules hide are not read at all, so they count toward nothing.
- A story is the entries sharing a story id (one story once, tui.services.stories); an entry
  without one is a story of its own. A story is on the page when one of its entries in the
  window is unread.
- Rank: distinct sources carrying the story in the window, then the newest entry, then the id
  (so equal stories always come in the same order).
- Lead: the entry best placed to tell it, which is one with a full article and a photo, not
  merely the newest; among equals the newest. Chosen among the story's `LEAD_CANDIDATES`
  newest entries, so a story of thousands costs what one of twenty does.

`rank` and `choose_leads` are pure (rows in, ranking out); `front_page` and `resolve_front`
read the store for them. The CLI (`brief`) and the reader (Front page) use the same ranking.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from tui.services.rules import parse_rules, rules_sql
from tui.settings.config import Config
from tui.store import Store
from tui.store.front import (
    ShownEntry,
    StoryCount,
    WindowEntry,
    lead_flags,
    shown_entries,
    story_counts,
    story_entries,
)
from tui.store.listing import FrontRank, Listing

HOUR = 3600.0
# Stories the reader's Front page lists: a morning's reading, and few enough that the rows are
# listed by id in SQL (tui.store.listing.FrontRank).
FRONT_ROWS = 300
LEAD_CANDIDATES = 20
OTHERS_LISTED = 12  # other entries a brief names (one per source first); the rest are counted


@dataclass
class RankedStory:
    key: int  # the story id, or the entry's own id when it stands alone
    sources: int  # distinct sources carrying it in the window
    newest: float
    members: list[int] = field(default_factory=list)  # the lead first, then newest first
    unread: list[int] = field(default_factory=list)
    source_of: dict[int, int] = field(default_factory=dict)  # member id -> source id

    @property
    def lead(self) -> int:
        return self.members[0]


def aggregate(entries: Iterable[WindowEntry], stories: bool = True, keep: Collection[int] = ()
              ) -> list[StoryCount]:  # fmt: skip
    """What tui.store.front.story_counts computes in SQL, in Python: each story's key (the
    story id, or minus the id of an entry alone), distinct sources, newest, unread, kept."""
    groups: dict[int, list[WindowEntry]] = {}
    for e in entries:
        groups.setdefault(e.story if stories and e.story is not None else -e.id, []).append(e)
    return [
        StoryCount(
            key,
            len({m.source_id for m in members}),
            max(m.sort_time for m in members),
            sum(not m.read for m in members),
            any(m.id in keep for m in members),
        )
        for key, members in groups.items()
    ]


def order(counts: Iterable[StoryCount], limit: int | None = None) -> list[StoryCount]:
    """The ranking: stories with an unread entry (or one kept), most sources first, then the
    newest entry, then the key (equal stories always come in the same order)."""
    listed = [c for c in counts if c.unread or c.kept]
    listed.sort(key=lambda c: (-c.sources, -c.newest, -c.key))
    return listed if limit is None else listed[:limit]


def assemble(top: list[StoryCount], entries: Iterable[WindowEntry], stories: bool = True
             ) -> list[RankedStory]:  # fmt: skip
    """The ranked stories with their entries, newest first (choose_leads puts a lead first)."""
    members: dict[int, list[WindowEntry]] = {}
    for e in entries:
        members.setdefault(e.story if stories and e.story is not None else -e.id, []).append(e)
    ranked = []
    for c in top:
        found = sorted(members.get(c.key, ()), key=lambda m: (-m.sort_time, -m.id))
        if not found:
            continue
        ranked.append(
            RankedStory(
                key=c.key,
                sources=c.sources,
                newest=c.newest,
                members=[m.id for m in found],
                unread=[m.id for m in found if not m.read],
                source_of={m.id: m.source_id for m in found},
            )
        )
    return ranked


def rank(
    entries: Iterable[WindowEntry],
    limit: int | None = None,
    stories: bool = True,
    keep: Collection[int] = (),
) -> list[RankedStory]:
    """Rank the window's entries (pure; the store's path aggregates in SQL): stories with an
    unread entry, most sources first, then newest; each story's members newest first.
    `stories=False`: every entry is a story of its own (grouping turned off). A story with an
    entry in `keep` (read during this visit to the page) stays listed, so rows do not jump away
    while reading."""
    window = list(entries)
    return assemble(order(aggregate(window, stories, keep), limit), window, stories)


def lead_candidates(ranked: Iterable[RankedStory]) -> list[int]:
    return [i for s in ranked for i in s.members[:LEAD_CANDIDATES]]


def choose_leads(ranked: list[RankedStory], flags: Mapping[int, tuple[bool, bool]]) -> None:
    """Put each story's lead first: among its newest LEAD_CANDIDATES, one with a full article
    and a photo, else a full article, else a photo, else the newest. `flags`: entry id ->
    (full article, photo)."""
    for story in ranked:
        candidates = story.members[:LEAD_CANDIDATES]

        def fitness(i: int) -> tuple[bool, bool, bool]:
            full, photo = flags.get(i, (False, False))
            return (full and photo, full, photo)

        lead = max(candidates, key=fitness)  # max keeps the first (newest) of equals
        story.members.remove(lead)
        story.members.insert(0, lead)


def others_listed(story: RankedStory) -> list[int]:
    """The other entries a brief names: one per source first (newest first), then the rest,
    at most OTHERS_LISTED."""
    seen: set[int] = {story.source_of.get(story.lead, -1)}
    first: list[int] = []
    rest: list[int] = []
    for i in story.members[1:]:
        source = story.source_of.get(i, -1)
        (rest if source in seen else first).append(i)
        seen.add(source)
    return (first + rest)[:OTHERS_LISTED]


@dataclass
class FrontStory:
    rank: int
    sources: int
    lead: ShownEntry
    others: list[ShownEntry]  # named other entries: one per source first, newest first
    others_count: int  # every other entry of the story in the window
    unread: list[int]  # entry ids: what marking the story read marks
    entry_ids: list[int]  # every entry of the story in the window, the lead first


@dataclass
class FrontPage:
    stories: list[FrontStory]
    since: float
    until: float
    hours: float


def _ranked(
    store: Store,
    config: Config,
    since: float,
    until: float,
    limit: int | None,
    hidden: tuple[str, tuple[object, ...]] | None,
    keep: Collection[int] = (),
) -> list[RankedStory]:
    counts = story_counts(store, since, until, hidden, config.stories, sorted(keep), limit)
    top = order(counts, limit)
    entries = story_entries(store, [c.key for c in top], since, until, hidden)
    ranked = assemble(top, entries, config.stories)
    choose_leads(ranked, lead_flags(store, lead_candidates(ranked)))
    return ranked


def _config_hidden(config: Config) -> tuple[str, tuple[object, ...]] | None:
    rules, _errors = parse_rules(config.rules)  # the errors are said where rules are listed
    return rules_sql(rules)


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
    ranked = _ranked(store, config, since, until, limit, _config_hidden(config))
    named = {s.key: others_listed(s) for s in ranked}
    shown = shown_entries(store, [i for s in ranked for i in (s.lead, *named[s.key])])
    page: list[FrontStory] = []
    for story in ranked:
        if story.lead not in shown:
            continue  # pruned between the two reads
        others = [shown[i] for i in named[story.key] if i in shown]
        page.append(
            FrontStory(
                rank=len(page) + 1,
                sources=story.sources,
                lead=shown[story.lead],
                others=others,
                others_count=len(story.members) - 1,
                unread=story.unread,
                entry_ids=story.members,
            )
        )
    return FrontPage(page, since, until, hours)


def mark_read(store: Store, page: FrontPage) -> int:
    """Mark every unread entry of the page's stories read; returns how many."""
    ids = [i for s in page.stories for i in s.unread]
    if ids:
        store.set_read(ids)
    return len(ids)


def resolve_front(
    config: Config, store: Store, listing: Listing, now: float | None = None
) -> Listing:
    """The reader's Front page listing, ranked (tui.store.listing.Listing.resolve): the leads in
    rank order and their stories' entries in the window. Runs in the list's worker thread."""
    until = time.time() if now is None else now
    hidden = None if listing.show_hidden else listing.hidden
    keep = frozenset(getattr(listing.view, "keep", ()))  # the list's sticky entries
    since = until - config.front_hours * HOUR
    ranked = _ranked(store, config, since, until, FRONT_ROWS, hidden, keep)
    front = FrontRank(
        leads=tuple(s.lead for s in ranked),
        members=tuple(i for s in ranked for i in s.members),
        stories=tuple(
            tuple((i, s.source_of[i], s.key) for i in s.members)  # the lead, then newest first
            for s in ranked
            if s.key >= 0
        ),
    )
    return replace(listing, front=front)


def front_count(config: Config, store: Store, now: float | None = None) -> int:
    """Stories on the reader's Front page (the sources pane's count)."""
    until = time.time() if now is None else now
    since = until - config.front_hours * HOUR
    hidden = _config_hidden(config)
    return len(order(story_counts(store, since, until, hidden, config.stories, limit=FRONT_ROWS)))

"""One story once: group entries from different sources that tell the same story.

Single-pass clustering (as in topic detection and tracking), run at refresh over new entries only:

- Every entry in the window (default 36 h) belongs to exactly one *group*; a group of one is an
  entry standing alone. A group's *label* is the set of terms that at least half of its members
  share, so the label is what the story is about, not what one member happens to add.
- A new entry joins the group whose label it covers best, if (a) the terms it shares with the
  label carry at least `LABEL_SHARE` of the label's weight, or of its own weight when that is
  smaller (a short headline need not repeat every word of a long one), (b) the group explains at least `ENTRY_SHARE` of the
  entry's own weight, and (c) the group is still open (see below). Otherwise it starts a group.
  Matching the majority of a group, and never one member, is what keeps chains apart: A~B~C does
  not pull C in when A and C tell different stories, because C must match what A and B share.
- Term weights are inverse document frequencies over the window *outside* the candidate group, so
  a story's own coverage does not make its name look common.
- Stories go quiet: the bar for joining a group rises linearly from `LABEL_SHARE` when its newest
  member is fresh to 1 when it has had no new member for `quiet_hours`; after that the group is
  closed and a new development starts a new group. Among several groups an entry could join it
  picks the one it clears by the widest margin, which favours the story that is still running.
- Same source: two entries of one source never form a group on their own (a feed's follow-ups
  are its own business), so an entry may only join a group that holds another source. Once a
  group spans sources, a same-source follow-up that matches the group's label joins it: the
  reader sees the story once.

The group id (the `story`) is the id of the group's first entry. An entry alone has story None;
when a second entry joins, the first gets its own id as story, so `add` reports it too.

State to persist: nothing but the story id of each entry. `restore` rebuilds the grouper from the
stored entries of the window and their story ids, and `add` after `restore` gives the same
result as one grouper that saw everything (for entries arriving in time order).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.services.story_terms import headline_terms

# The only tuned numbers. LABEL_SHARE: how much of a story's shared vocabulary a headline must
# carry (a quarter: one of a story's three or four name words; a third split big stories whose
# headlines each carry one of their names: bench/stories.py half 0 pairwise recall 0.78 -> 0.80,
# precision 0.98 -> 0.97; at a fifth the chain case in tests/core/test_stories.py merges). ENTRY_SHARE: how much of the headline must be about the story (a
# tenth: the rest may be new detail).
LABEL_SHARE = 0.25
ENTRY_SHARE = 0.1
# A headline with fewer terms than this says too little to group (e.g. "Both ways").
MIN_TERMS = 2
# Titles this short borrow terms from the start of the summary.
SHORT_TITLE_TERMS = 3
SUMMARY_TERMS = 20

HOUR = 3600.0


@dataclass(frozen=True)
class StoryEntry:
    """What grouping needs to know of an entry. `published` is unix seconds (use sort_time)."""

    id: int
    source_id: int
    title: str
    published: float
    summary: str = ""


@dataclass
class _Group:
    id: int
    size: int = 0
    newest: float = -math.inf
    counts: Counter[str] = field(default_factory=Counter)
    sources: Counter[int] = field(default_factory=Counter)
    label: frozenset[str] = frozenset()
    closed: bool = False  # quiet for too long: kept for bookkeeping, out of the index


@dataclass(frozen=True)
class _Member:
    id: int
    source_id: int
    published: float
    terms: tuple[str, ...]
    group: int


def entry_terms(entry: StoryEntry) -> tuple[str, ...]:
    """The terms an entry is grouped by: its title's, plus its summary's when the title is terse."""
    terms = headline_terms(entry.title)
    if len(terms) < SHORT_TITLE_TERMS and entry.summary:
        extra = headline_terms(entry.summary)[:SUMMARY_TERMS]
        terms += [t for t in extra if t not in terms]
    return tuple(terms)


class StoryGrouper:
    """Incremental story grouping over a sliding window. Not thread-safe; use from one worker."""

    def __init__(self, window_hours: float = 36.0, quiet_hours: float = 6.0) -> None:
        self.window = window_hours * HOUR
        self.quiet = quiet_hours * HOUR
        self._members: dict[int, _Member] = {}
        self._by_time: list[tuple[float, int]] = []  # heap of (published, id) for eviction
        self._groups: dict[int, _Group] = {}
        self._postings: dict[str, set[int]] = {}  # label term -> groups whose label holds it
        self._df: Counter[str] = Counter()
        self._quiet_heap: list[tuple[float, int]] = []  # (newest, group) to close quiet groups
        self._horizon = -math.inf  # newest published seen

    # -- public API ---------------------------------------------------------------------------

    def add(self, entries: Iterable[StoryEntry], now: float | None = None) -> dict[int, int | None]:
        """Group new entries; returns {entry id: story} for each new entry and for each older
        one whose story changed (a group's first entry when it gains its second).

        Entries are taken in (published, id) order. With `now`, entries published before
        `now - window` are not grouped (story None) and not kept: pass it at refresh so a cold
        first refresh does not group weeks of backlog."""
        changed: dict[int, int | None] = {}
        oldest = -math.inf if now is None else now - self.window
        for entry in sorted(entries, key=lambda e: (e.published, e.id)):
            if entry.id in self._members:
                continue
            if entry.published < max(oldest, self._horizon - self.window):
                changed[entry.id] = None  # older than the window: nothing to group with
                continue
            self._advance(entry.published)
            terms = entry_terms(entry)
            group_id = self._best_group(entry, terms)
            if group_id is None:
                group_id = entry.id
            group = self._groups.get(group_id)
            if group is not None and group.size == 1:
                changed[group_id] = group_id
            self._insert(_Member(entry.id, entry.source_id, entry.published, terms, group_id))
            changed[entry.id] = self.story_of(entry.id)
        return changed

    def restore(self, stored: Iterable[tuple[StoryEntry, int | None]]) -> None:
        """Rebuild from stored entries of the window and their stored story ids (None: alone)."""
        touched: set[int] = set()
        for entry, story in sorted(stored, key=lambda es: (es[0].published, es[0].id)):
            self._advance(entry.published)
            group_id = entry.id if story is None else story
            member = _Member(
                entry.id, entry.source_id, entry.published, entry_terms(entry), group_id
            )
            self._insert(member, relabel=False)  # labelled once each below, not per member
            touched.add(group_id)
        for group_id in touched:
            group = self._groups.get(group_id)
            if group is not None:
                self._relabel(group)

    def story_of(self, entry_id: int) -> int | None:
        """The story id of an entry in the window, None when it stands alone (or is unknown)."""
        member = self._members.get(entry_id)
        if member is None:
            return None
        group = self._groups[member.group]
        return member.group if group.size > 1 or member.group != member.id else None

    def __len__(self) -> int:
        return len(self._members)

    # -- matching -----------------------------------------------------------------------------

    def _best_group(self, entry: StoryEntry, terms: tuple[str, ...]) -> int | None:
        if len(terms) < MIN_TERMS:
            return None
        candidates: set[int] = set()
        for term in terms:
            candidates.update(self._postings.get(term, ()))
        best: int | None = None
        best_margin = -1.0
        entry_df = [(term, self._df[term]) for term in terms]
        for group_id in sorted(candidates):  # sorted: ties go to the oldest id, deterministically
            group = self._groups[group_id]
            if len(group.sources) == 1 and entry.source_id in group.sources:
                continue
            bar = self._bar(group, entry.published)
            if bar > 1.0:
                continue
            label_share = self._label_share(group, entry_df)
            margin = label_share - bar
            if margin >= 0 and margin > best_margin:
                best, best_margin = group_id, margin
        return best

    def _bar(self, group: _Group, when: float) -> float:
        """The label share needed to join: rises from LABEL_SHARE to past 1 over quiet_hours."""
        if self.quiet <= 0:
            return LABEL_SHARE
        quiet_for = max(0.0, when - group.newest)
        if quiet_for >= self.quiet:
            return math.inf
        return LABEL_SHARE + (1.0 - LABEL_SHARE) * quiet_for / self.quiet

    def _label_share(self, group: _Group, entry_df: list[tuple[str, int]]) -> float:
        """The share of the group's label weight (or of the entry's, if smaller) that the entry
        shares with the label, or 0 when the group explains
        less than ENTRY_SHARE of the entry's own weight. A term's weight is its idf outside the
        group times the share of members that have it. (Hot loop: written out for speed.)"""
        size = group.size
        outside = len(self._members) - size + 2
        counts = group.counts
        label = group.label
        log = math.log
        entry_total = entry_hit = label_hit = 0.0
        for term, df in entry_df:
            n = counts.get(term, 0)
            w = log(outside / (df - n + 1))
            entry_total += w
            if n:
                entry_hit += w * n / size
                if term in label:
                    label_hit += w * n / size
        if label_hit <= 0 or entry_hit < ENTRY_SHARE * entry_total:
            return 0.0
        df_of = self._df
        label_total = 0.0
        for term in label:
            n = counts[term]
            label_total += log(outside / (df_of[term] - n + 1)) * n / size
        return label_hit / min(label_total, entry_total)

    # -- bookkeeping --------------------------------------------------------------------------

    def _advance(self, when: float) -> None:
        """Move the window forward to `when` and forget what fell out of it."""
        if when <= self._horizon:
            return
        self._horizon = when
        cutoff = when - self.window
        while self._by_time and self._by_time[0][0] < cutoff:
            _, entry_id = heapq.heappop(self._by_time)
            self._remove(self._members.pop(entry_id))
        if self.quiet > 0:
            self._close_quiet(when - self.quiet)

    def _close_quiet(self, before: float) -> None:
        """Take groups with no member newer than `before` out of the index: they cannot be
        joined any more (the bar is past 1), and skipping them keeps matching cheap."""
        heap = self._quiet_heap
        while heap and heap[0][0] <= before:
            newest, group_id = heapq.heappop(heap)
            group = self._groups.get(group_id)
            if group is None or group.closed or group.newest != newest:
                continue  # gone, or it gained a member since: a newer heap item stands for it
            group.closed = True
            self._relabel(group)

    def _insert(self, member: _Member, relabel: bool = True) -> None:
        self._members[member.id] = member
        heapq.heappush(self._by_time, (member.published, member.id))
        self._df.update(member.terms)
        group = self._groups.setdefault(member.group, _Group(member.group))
        group.size += 1
        if member.published > group.newest:
            group.newest = member.published
            heapq.heappush(self._quiet_heap, (group.newest, group.id))
        group.counts.update(member.terms)
        group.sources[member.source_id] += 1
        if relabel:
            self._relabel(group)

    def _remove(self, member: _Member) -> None:
        self._df.subtract(member.terms)
        group = self._groups[member.group]
        group.size -= 1
        group.counts.subtract(member.terms)
        group.sources.subtract((member.source_id,))
        group.counts = +group.counts  # drop zero counts so the label and memory stay small
        group.sources = +group.sources
        for term in member.terms:
            if self._df[term] <= 0:
                del self._df[term]
        if group.size == 0:
            self._relabel(group)  # empties its postings
            del self._groups[group.id]
        else:
            self._relabel(group)

    def _relabel(self, group: _Group) -> None:
        """The label: terms held by at least half of the members (all terms of a group of one)."""
        label: frozenset[str] = frozenset()
        if not group.closed:
            label = frozenset(t for t, n in group.counts.items() if 2 * n >= group.size > 0)
        for term in group.label - label:
            posting = self._postings[term]
            posting.discard(group.id)
            if not posting:
                del self._postings[term]
        for term in label - group.label:
            self._postings.setdefault(term, set()).add(group.id)
        group.label = label

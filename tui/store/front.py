"""What the front page reads (tui.services.front ranks it): the window's entries in one pass over
the time index, then the few rows it shows; and the unread counts `newsdesk unread` prints.

Rows are typed (NamedTuple) so the ranking above never sees SQL or sqlite3.Row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tui.store.db import Store
from tui.store.listing import RulesSQL


class WindowEntry(NamedTuple):
    """One entry of the window, as ranking needs it."""

    id: int
    source_id: int
    story: int | None
    sort_time: float
    read: bool


class ShownEntry(NamedTuple):
    """An entry as the front page shows it (raw stored text: callers clean it for their medium)."""

    id: int
    source_id: int
    source_title: str
    source_url: str
    title: str
    link: str | None
    published: float | None
    sort_time: float
    read: bool
    starred: bool
    summary: str  # the feed's summary as text
    dek: str | None  # from the extracted article
    credit: str | None
    caption: str | None
    media: str  # the feed's media JSON: a picture's own caption and credit


class SourceUnread(NamedTuple):
    id: int
    url: str
    title: str
    unread: int


class StoryCount(NamedTuple):
    """One story of the window: its key (the story id, or minus the entry id of an entry that
    stands alone), distinct sources, newest entry, unread entries, and whether an entry the
    list keeps (read during this visit) is among its entries."""

    key: int
    sources: int
    newest: float
    unread: int
    kept: bool


def _hidden_clause(hidden: RulesSQL | None) -> tuple[str, tuple[object, ...]]:
    if hidden is None or hidden[0] == "0":
        return "", ()
    return f"AND NOT {hidden[0]}", hidden[1]


# One pass over entries_window, which covers every column read: no entry row is read (unless
# rules look at an entry's text). Grouping runs in SQLite's C, not per row in Python.
_COUNTS = """
SELECT CASE WHEN ? AND e.story IS NOT NULL THEN e.story ELSE -e.id END AS k,
       COUNT(DISTINCT e.source_id), MAX(e.sort_time), SUM(e.read = 0), MAX(e.id IN ({keep}))
FROM entries e INDEXED BY entries_window
WHERE e.sort_time >= ? AND e.sort_time <= ? {hidden}
GROUP BY k {top}
"""
# With a limit, SQLite also keeps the listed stories and puts the best first, by the ranking's
# own rule (tui.services.front.order, which applies it again): only `limit` rows reach Python
# instead of every story of the window (20,000 at 1M).
_TOP = """HAVING SUM(e.read = 0) > 0 OR MAX(e.id IN ({keep}))
ORDER BY 2 DESC, 3 DESC, 1 DESC LIMIT {limit}"""


def story_counts(
    store: Store,
    since: float,
    until: float,
    hidden: RulesSQL | None,
    stories: bool = True,
    keep: Sequence[int] = (),
    limit: int | None = None,
) -> list[StoryCount]:
    """Every story of the window (since <= sort_time <= until), hidden entries left out; with
    `limit`, only the best `limit` of those the front page lists."""
    clause, params = _hidden_clause(hidden)
    keep_ids = ",".join(str(int(i)) for i in keep) or "NULL"
    top = "" if limit is None else _TOP.format(keep=keep_ids, limit=int(limit))
    sql = _COUNTS.format(keep=keep_ids, hidden=clause, top=top)
    rows = store.query(sql, (int(stories), since, until, *params))
    return [StoryCount(r[0], r[1], r[2], r[3] or 0, bool(r[4])) for r in rows]


# entries_window again: one scan of the window's index beats a row lookup per member when a
# story has hundreds of entries
_MEMBERS = """
SELECT e.id, e.source_id, e.story, e.sort_time, e.read FROM entries e INDEXED BY entries_window
WHERE ({which}) AND e.sort_time >= ? AND e.sort_time <= ? {hidden}
"""


def story_entries(
    store: Store, keys: Sequence[int], since: float, until: float, hidden: RulesSQL | None
) -> list[WindowEntry]:
    """The window's entries of these stories (keys as story_counts gives them)."""
    clause, params = _hidden_clause(hidden)
    out: list[WindowEntry] = []
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        stories = ",".join(str(int(k)) for k in chunk if k >= 0) or "NULL"
        alone = ",".join(str(-int(k)) for k in chunk if k < 0) or "NULL"
        which = f"e.story IN ({stories}) OR e.id IN ({alone})"
        sql = _MEMBERS.format(which=which, hidden=clause)
        for r in store.query(sql, (since, until, *params)):
            out.append(WindowEntry(r[0], r[1], r[2], r[3], bool(r[4])))
    return out


# `e.media != '[]'`: a feed picture (with its caption and credit, if the feed gave them)
_FLAGS = """
SELECT e.id, COALESCE(a.status = 'ok', 0),
       (a.credit IS NOT NULL OR a.caption IS NOT NULL OR e.media != '[]')
FROM entries e LEFT JOIN articles a ON a.entry_id = e.id WHERE e.id IN ({marks})
"""


def lead_flags(store: Store, ids: Sequence[int]) -> dict[int, tuple[bool, bool]]:
    """Entry id -> (has a full article, has a photo): what makes an entry fit to lead."""
    out: dict[int, tuple[bool, bool]] = {}
    for i in range(0, len(ids), 500):
        chunk = tuple(ids[i : i + 500])
        for r in store.query(_FLAGS.format(marks=",".join("?" * len(chunk))), chunk):
            out[r[0]] = (bool(r[1]), bool(r[2]))
    return out


_SHOWN = """
SELECT e.id, e.source_id, COALESCE(s.title_override, s.title, s.url), s.url, e.title, e.link,
       e.published, e.sort_time, e.read, e.starred, substr(e.summary_text, 1, 1200),
       a.dek, a.credit, a.caption, e.media
FROM entries e JOIN sources s ON s.id = e.source_id LEFT JOIN articles a ON a.entry_id = e.id
WHERE e.id IN ({marks})
"""


def shown_entries(store: Store, ids: Sequence[int]) -> dict[int, ShownEntry]:
    out: dict[int, ShownEntry] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        sql = _SHOWN.format(marks=",".join("?" * len(chunk)))
        for r in store.query(sql, tuple(chunk)):
            out[r[0]] = ShownEntry(
                r[0],
                r[1],
                r[2] or "",
                r[3] or "",
                r[4] or "",
                r[5],
                r[6],
                r[7],
                bool(r[8]),
                bool(r[9]),
                r[10] or "",
                r[11],
                r[12],
                r[13],
                r[14] or "[]",
            )
    return out


def unread_by_source(store: Store) -> list[SourceUnread]:
    """Unread entries per source from the kept counts (the sources pane's numbers)."""
    rows = store.query(
        "SELECT s.id, s.url, COALESCE(s.title_override, s.title, s.url), "
        "COALESCE(c.unread, 0) FROM sources s LEFT JOIN source_counts c ON c.source_id = s.id "
        "ORDER BY s.id",
        (),
    )
    return [SourceUnread(r[0], r[1], r[2] or "", r[3]) for r in rows]


def unread_total(store: Store) -> int:
    rows = store.query("SELECT COALESCE(SUM(unread), 0) FROM source_counts", ())
    return int(rows[0][0])


class Notable(NamedTuple):
    """A new entry a notification may name."""

    id: int
    source_title: str
    title: str
    link: str | None


def unread_among(
    store: Store, ids: Sequence[int], condition: tuple[str, tuple[object, ...]] | None
) -> list[Notable]:
    """Those of `ids` still unread and satisfying `condition` (SQL on alias e), newest first."""
    where, params = condition if condition is not None else ("1", ())
    out: list[Notable] = []
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        out += [
            Notable(r[0], r[1] or "", r[2] or "", r[3])
            for r in store.query(
                "SELECT e.id, COALESCE(s.title_override, s.title, s.url), e.title, e.link "
                "FROM entries e JOIN sources s ON s.id = e.source_id "
                f"WHERE e.id IN ({marks}) AND e.read = 0 AND ({where}) "
                "ORDER BY e.sort_time DESC, e.id DESC",
                (*chunk, *params),
            )
        ]
    return out

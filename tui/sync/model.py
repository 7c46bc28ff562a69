"""What a sync server holds, in one shape for every protocol.

Ids are strings whatever the server uses (tt-rss integers, Google Reader long item ids), so the
store and the queue can keep them in one TEXT column without knowing the protocol.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Given a page of ids a server listed, those worth fetching (the cache lacks them).
IdFilter = Callable[[list[str]], Awaitable[list[str]]]


class SyncError(Exception):
    """One line a user can act on: "login failed: …", "HTTP 401", "connection refused"."""


# Times a server may give: after 1970 and before the year 3000 (10**400, NaN or -1 are none).
_LATEST = 32_503_680_000.0


def remote_time(value: object) -> float | None:
    """A server's unix time as a float, or None when it is no usable time (clamped per entry:
    one poison field never fails a page)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and not 0 < value < _LATEST:
        return None  # checked before float(): 10**400 would overflow
    number = float(value)
    return number if 0 < number < _LATEST else None  # NaN fails both comparisons


@dataclass(frozen=True, slots=True)
class RemoteCategory:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    id: str
    title: str
    url: str  # the feed's own URL, as the server subscribed it
    site_url: str = ""
    category_id: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteEntry:
    id: str
    feed_id: str
    title: str
    link: str
    author: str = ""
    published: float | None = None  # unix seconds
    content: str = ""  # HTML as the server gives it; untrusted
    read: bool = False
    starred: bool = False


# Requests one account's sync may make: a big first sync needs a few hundred; a server that
# keeps the paging going (or a continuation that never ends) is stopped here.
MAX_REQUESTS = 5000


def count_request(done: int, limit: int = MAX_REQUESTS) -> None:
    """Called before each request with the number made so far."""
    if done >= limit:
        raise SyncError(f"stopped after {limit} requests: the server kept the sync going")


def converted(rows: Iterable[T], convert: Callable[[T], R]) -> list[R]:
    """Each row converted; a row whose fields cannot be (a wrong type, an absurd number) is
    left out, never the page."""
    out: list[R] = []
    for row in rows:
        try:
            out.append(convert(row))
        except (ValueError, TypeError, KeyError, OverflowError, AttributeError, SyncError):
            continue
    return out


class Remote(Protocol):
    """What the sync engine needs from a server; every protocol client provides it."""

    requests: int  # calls made so far
    # mark_feed_read honours `before` (Google Reader's ts): it can stand for a source's reads
    feed_read_by_time: bool

    async def login(self) -> None: ...

    async def categories(self) -> list[RemoteCategory]: ...

    async def feeds(self) -> list[RemoteFeed]: ...

    def entries(
        self, *, unread_only: bool = False, since: str | None = None, fresh: IdFilter | None = None
    ) -> AsyncIterator[list[RemoteEntry]]:
        """Pages of entries; `since` is the protocol's cursor from an earlier sync (tt-rss: the
        highest entry id seen; Google Reader: a unix time), None for everything. A protocol
        whose cursor overlaps the last sync passes listed ids through `fresh` first."""
        ...

    async def articles(self, ids: Sequence[str]) -> list[RemoteEntry]:
        """These entries with their current state; ids the server no longer has are absent."""
        ...

    async def unread_ids(self) -> set[str]: ...

    async def starred_ids(self) -> set[str]: ...

    async def set_read(self, ids: Sequence[str], read: bool) -> int: ...

    async def set_starred(self, ids: Sequence[str], starred: bool) -> int: ...

    async def mark_feed_read(self, feed_id: str, before: float | None = None) -> None:
        """Every entry of the feed the server held at `before` (unix time; now if None) read."""
        ...

"""Headline rows as the list holds them, and the reader's first page read ahead of start-up.

No Textual here: `cli` starts `FirstPage` before Textual is imported, so the SQLite reads
(sqlite3 releases the GIL) overlap the ~0.2 s of imports and the first frame can already
show headlines instead of an empty list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from tui.store.db import Store
from tui.store.extras import RowExtra, read_extras
from tui.store.records import EntryRow
from tui.store.views import ALL_UNREAD, View

if TYPE_CHECKING:
    from tui.store.listing import Listing

PAGE = 200


class HeadlineRow(NamedTuple):
    """One headline as the list holds it; everything else about the entry is looked up."""

    id: int
    read: int  # 0 or 1, as stored
    starred: int  # 0 or 1, as stored
    sort_time: float
    source_title: str
    title: str | None


def row(r: EntryRow) -> HeadlineRow:
    return HeadlineRow(r.id, r.read, r.starred, r.sort_time, r.source_title or "", r.title)


def read_page(store: Store, view: View | Listing, page: int) -> list[HeadlineRow]:
    return [row(r) for r in store.page(view, page * PAGE, PAGE)]


def hidden_count(store: Store, view: View | Listing) -> int:
    """Entries of the view that rules hide (entries, not stories)."""
    from dataclasses import replace

    from tui.store.listing import Listing

    if not isinstance(view, Listing) or view.hidden is None:
        return 0
    plain = replace(view, grouped=False, expanded=())
    shown = store.count(replace(plain, show_hidden=True))
    return int(shown - store.count(replace(plain, show_hidden=False)))


class OpensStore(Protocol):
    """What FirstPage needs of a services Context (a layer above this one)."""

    def store(self) -> Store: ...


class FirstPage:
    """Opens the store and reads "All unread"'s count and first page in a thread."""

    view = ALL_UNREAD

    def __init__(self, ctx: OpensStore, shape: Callable[[View], Listing] | None = None) -> None:
        self.ctx = ctx
        self.shape = shape  # view -> Listing, as the list will show it (stories, rules)
        self.count: int | None = None
        self.rows: list[HeadlineRow] = []
        self.extras: dict[int, Any] = {}  # entry id -> RowExtra
        self.hidden = 0  # entries of the view that rules hide
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="first-page", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            store = self.ctx.store()
        except BaseException as exc:  # noqa: BLE001 - raised again on the main thread by wait()
            self.error = exc
            return
        try:
            view = self.shape(self.view) if self.shape is not None else self.view
            count = store.count(view)
            self.rows = read_page(store, view, 0)
            self.extras = read_extras(store, view, [r[0] for r in self.rows])
            # the first frame says what rules hide too ("N hidden by rules: H shows them")
            self.hidden = hidden_count(store, view)
            self.count = count
        except Exception:  # noqa: BLE001 - the list's own worker queries again and reports it
            self.count = None

    def wait(self) -> None:
        """Until the thread is done (the Context must not be opened from two threads at once);
        an error opening the store or the config is raised here, as if opened on this thread."""
        self._thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def result(self) -> tuple[int, list[HeadlineRow], dict[int, Any], int] | None:
        self.wait()
        return None if self.count is None else (self.count, self.rows, self.extras, self.hidden)


def load_page(
    store: Store, view: View | Listing, page: int
) -> tuple[list[HeadlineRow], dict[int, RowExtra]]:
    """A page of rows and their extras: what the list's workers read."""
    rows = read_page(store, view, page)
    return rows, read_extras(store, view, [r[0] for r in rows])

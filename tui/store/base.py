"""What the store's helper modules need from a Store: a transaction and a query. A Protocol, so
those modules (imported by the Store itself) do not import it back."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Protocol

from tui.store.records import SourceRow
from tui.store.views import SqlParams


class Database(Protocol):
    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def query(self, sql: str, params: SqlParams = ()) -> list[sqlite3.Row]: ...


class SourceStore(Database, Protocol):
    """A Database that can also add and look up sources (what recovery writes into)."""

    def add_source(self, url: str, title: str | None = None, folder: str | None = None) -> bool: ...

    def update_source(self, url: str, **fields: object) -> None: ...

    def source(self, url: str) -> SourceRow | None: ...

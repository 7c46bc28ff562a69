"""The SQLite cache: schema, the Store, views, search, retention, recovery.

Every SQL string of newsdesk lives in this package.
"""

from tui.store.db import Store
from tui.store.errors import StoreError, is_corruption
from tui.store.records import EntryRow, SourceRow
from tui.store.schema import ENTRY_COLUMNS

__all__ = ["ENTRY_COLUMNS", "EntryRow", "SourceRow", "Store", "StoreError", "is_corruption"]

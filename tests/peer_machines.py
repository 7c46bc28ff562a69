"""Machines for the folder and ssh sync tests: each its own SQLite cache holding the same feeds
(as two machines that fetch the same feeds do), marked through the Store as the reader marks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.models import ParsedEntry, ParsedFeed
from tui.store import Store

FEEDS = ("http://feeds.example.invalid/a.xml", "http://feeds.example.invalid/b.xml")


def seed(store: Store, per_feed: int, key: Callable[[str, int], str] | None = None) -> None:
    """The same entries on every machine; `key` makes each entry's guid (default: URL#k)."""
    for url in FEEDS:
        store.add_source(url)
        entries = [ParsedEntry(key=key(url, k) if key else f"{url}#{k}", title=f"Story {k}",
                               link=f"{url}/{k}", published=1_790_000_000 - 60 * k)
                   for k in range(per_feed)]  # fmt: skip
        store.store_feed(url, ParsedFeed(title=url, entries=entries))


class Machine:
    def __init__(self, root: Path, name: str, per_feed: int = 50,
                 key: Callable[[str, int], str] | None = None) -> None:  # fmt: skip
        self.name = name
        root.mkdir(parents=True, exist_ok=True)
        self.store = Store(root / f"{name}.db")
        seed(self.store, per_feed, key)

    def ids(self, keys: list[str]) -> list[int]:
        marks = ",".join("?" * len(keys))
        rows = self.store.query(f"SELECT id FROM entries WHERE key IN ({marks})", keys)
        return [r[0] for r in rows]

    def read(self, keys: list[str], value: bool = True) -> None:
        self.store.set_read(self.ids(keys), value)

    def star(self, keys: list[str], value: bool = True) -> None:
        for i in self.ids(keys):
            self.store.set_starred(i, value)

    def state(self) -> dict[str, tuple[int, int]]:
        rows = self.store.query("SELECT key, read, starred FROM entries WHERE account IS NULL")
        return {r[0]: (r[1], r[2]) for r in rows}

    def urls(self) -> set[str]:
        return {r[0] for r in self.store.query("SELECT url FROM sources WHERE account IS NULL")}


def keys(feed: int, ks: range | list[int]) -> list[str]:
    return [f"{FEEDS[feed]}#{k}" for k in ks]


# Scripts a test runs in a process of its own and kills -9 wherever it happens to be: they
# sync the cache at argv[1] forever (through the folder argv[2]; or over ssh, with the far
# command argv[2] and ssh options after it), saying "go" once started.
SYNC_FOREVER = """
import sys
from pathlib import Path
from tui.store import Store
from tui.sync.peers import sync_folder
store = Store(Path(sys.argv[1]))
print("go", flush=True)
while True:
    sync_folder(store, Path(sys.argv[2]), "home")
"""

SSH_FOREVER = """
import asyncio, sys
from pathlib import Path
from tui.settings.accounts import Account
from tui.store import Store
from tui.sync.peers import sync_ssh
store = Store(Path(sys.argv[1]))
acct = Account("box", "ssh", "", "", None, "", "root@127.0.0.1", sys.argv[2], tuple(sys.argv[3:]))
print("go", flush=True)
while True:
    asyncio.run(sync_ssh(store, acct))
"""

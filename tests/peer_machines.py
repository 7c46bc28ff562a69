"""Machines for the folder and ssh sync tests: each its own SQLite cache holding the same feeds
(as two machines that fetch the same feeds do), marked through the Store as the reader marks."""

from __future__ import annotations

from pathlib import Path

from tui.models import ParsedEntry, ParsedFeed
from tui.store import Store

FEEDS = ("http://feeds.example.invalid/a.xml", "http://feeds.example.invalid/b.xml")


def seed(store: Store, per_feed: int) -> None:
    for url in FEEDS:
        store.add_source(url)
        entries = [ParsedEntry(key=f"{url}#{k}", title=f"Story {k}", link=f"{url}/{k}",
                               published=1_790_000_000 - 60 * k) for k in range(per_feed)]  # fmt: skip
        store.store_feed(url, ParsedFeed(title=url, entries=entries))


class Machine:
    def __init__(self, root: Path, name: str, per_feed: int = 50) -> None:
        self.name = name
        root.mkdir(parents=True, exist_ok=True)
        self.store = Store(root / f"{name}.db")
        seed(self.store, per_feed)

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

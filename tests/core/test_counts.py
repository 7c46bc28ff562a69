"""The per-source counts table stays equal to counting the entries, whatever writes them."""

from __future__ import annotations

import sqlite3

from tui.models import ParsedEntry, ParsedFeed
from tui.store import Store
from tui.store.retention import prune
from tui.store.views import View


def _counted(store: Store) -> dict[int, tuple[int, int, int]]:
    rows = store.query(
        "SELECT s.id, COUNT(e.id), COALESCE(SUM(e.read = 0), 0), COALESCE(SUM(e.starred), 0) "
        "FROM sources s LEFT JOIN entries e ON e.source_id = s.id GROUP BY s.id"
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _kept(store: Store) -> dict[int, tuple[int, int, int]]:
    rows = store.query("SELECT source_id, entries, unread, starred FROM source_counts")
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _feed(n: int, start: int = 0) -> ParsedFeed:
    entries = [
        ParsedEntry(key=f"k{i}", title=f"t{i}", published=1_000_000.0 + i)
        for i in range(start, start + n)
    ]
    return ParsedFeed(title="F", entries=entries)


def test_counts_follow_inserts_marks_deletes_and_prunes(tmp_path):
    store = Store(tmp_path / "c.db")
    for url in ("http://a/", "http://b/", "http://c/"):
        store.add_source(url)
    store.store_feed("http://a/", _feed(10))
    store.store_feed("http://b/", _feed(5))
    store.store_feed("http://a/", _feed(10, start=5))  # five re-delivered, five new
    assert _kept(store) == _counted(store)
    a = store.source("http://a/").id
    ids = [r.id for r in store.page(View("source", source_id=a), 0, 100)]
    store.set_read(ids[:4])
    store.set_read(ids[:2], read=False)
    store.set_starred(ids[5], True)
    store.mark_read_where(source_id=a, before=1_000_000.0 + 3)
    assert _kept(store) == _counted(store)
    store.mark_view_read(View("unread"))
    prune(store, keep_days=1, keep_per_source=3, now=1_000_000.0 + 400 * 86400)
    assert _kept(store) == _counted(store)
    assert store.count(View("starred")) == 1 == store.starred_total()
    store.remove_source("http://b/")
    assert _kept(store) == _counted(store)
    sources = {r.url: (r.entries, r.unread) for r in store.sources()}
    assert sources == {"http://a/": _counted(store)[a][:2], "http://c/": (0, 0)}
    store.close()


def test_views_count_the_same_from_the_table_as_from_the_entries(tmp_path):
    store = Store(tmp_path / "c.db")
    store.add_source("http://a/", folder="news")
    store.add_source("http://b/")
    store.store_feed("http://a/", _feed(7))
    store.store_feed("http://b/", _feed(3))
    a = store.source("http://a/").id
    store.set_read([r.id for r in store.page(View("all"), 0, 4)])
    views = [
        View("all"),
        View("unread"),
        View("starred"),
        View("source", source_id=a),
        View("source_unread", source_id=a),
        View("folder", folder="news"),
    ]
    for view in views:
        where, params = view.where()
        scanned = store.query(f"SELECT COUNT(*) FROM entries e WHERE {where}", params)[0][0]
        assert store.count(view) == scanned, view
    store.close()


def test_migration_counts_an_existing_cache(tmp_path):
    from tui.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for n in sorted(MIGRATIONS):
        if n >= 10:
            break
        db.executescript(MIGRATIONS[n])
    db.execute("PRAGMA user_version = 9")
    db.execute("INSERT INTO sources (id, url, added) VALUES (1, 'http://a/', 0)")
    db.executemany(
        "INSERT INTO entries (source_id, key, sort_time, first_seen, read, starred) "
        "VALUES (1, ?, 0, 0, ?, ?)",
        [(f"k{i}", i % 2, int(i == 3)) for i in range(9)],
    )
    db.close()
    store = Store(path)
    assert _kept(store) == {1: (9, 5, 1)} == _counted(store)
    store.close()


def test_folded_stories_count_the_same_as_counting_the_listing(tmp_path):
    from tui.store.listing import Listing

    store = Store(tmp_path / "c.db")
    store.add_source("http://a/")
    store.add_source("http://b/")
    store.store_feed("http://a/", _feed(6))
    store.store_feed("http://b/", _feed(4))
    ids = [r.id for r in store.page(View("all"), 0, 100)]
    with store.transaction() as db:  # two stories of three and two entries
        db.executemany("UPDATE entries SET story = ? WHERE id = ?", [(ids[0], i) for i in ids[:3]])
        db.executemany("UPDATE entries SET story = ? WHERE id = ?", [(ids[5], i) for i in ids[5:7]])
    store.set_read([ids[1]])
    for view in (View("all"), View("unread"), View("source", source_id=1)):
        listing = Listing(view, grouped=True)
        where, params = listing.where()
        scanned = store.query(f"SELECT COUNT(*) FROM entries e WHERE {where}", params)[0][0]
        assert store.count(listing) == scanned, view
        assert scanned < store.count(view) or view.kind == "source"
    store.close()

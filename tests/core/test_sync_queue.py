"""The queue of local changes for synced entries, at the store level: written with the change,
one row per entry and kind, never for local feeds, and always winning over the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.models import ParsedEntry
from tui.store import Store, queue, synced
from tui.store.views import View


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "cache.db")
    synced.save_sources(
        s, "acct", [synced.SyncedSource("f1", "Synced", "http://x.invalid/f", "", "News")]
    )
    items = [synced.SyncedEntry("f1", ParsedEntry(key=f"r{i}", title=f"T{i}"), False, False)
             for i in range(4)]  # fmt: skip
    synced.save_entries(s, "acct", items)
    s.add_source("http://local.invalid/feed")
    return s


def rows(store: Store) -> list[tuple[str, str, int]]:
    found = store.query("SELECT remote_id, kind, value FROM sync_queue ORDER BY remote_id, kind")
    return [tuple(r) for r in found]


def ids(store: Store, where: str = "1") -> list[int]:
    return [r[0] for r in store.query(f"SELECT id FROM entries WHERE {where} ORDER BY key")]


def test_each_kind_of_mark_is_queued_once_per_entry(store: Store) -> None:
    r0, r1, r2, _ = ids(store)
    store.set_read([r0, r1], True)
    store.set_read([r0], False)  # replaces the queued read
    store.set_read([r0], True)  # and a read cancels the queued unread
    store.set_starred(r2, True)
    assert rows(store) == [("r0", "read", 1), ("r1", "read", 1), ("r2", "star", 1)]
    first = store.query("SELECT id FROM sync_queue WHERE remote_id = 'r1'")[0][0]
    store.set_read([r1], True)  # no change, nothing queued, the row keeps its id
    assert store.query("SELECT id FROM sync_queue WHERE remote_id = 'r1'")[0][0] == first


def test_mark_all_read_queues_only_the_unread_synced_entries(store: Store) -> None:
    r0, *_ = ids(store)
    store.set_read([r0], True)
    queue.ack(store, [r[0] for r in store.query("SELECT id FROM sync_queue")])
    assert store.mark_view_read(View("unread")) == 3
    # the synced source has nothing unread left: one `feed` row can stand for its reads
    assert rows(store) == [("f1", "feed", 1), ("r1", "read", 1), ("r2", "read", 1),
                           ("r3", "read", 1)]  # fmt: skip
    assert queue.pending_count(store, "acct") == 3
    assert store.mark_read_where(read=False) == 4
    assert {(r[0], r[2]) for r in rows(store) if r[1] == "read"} == {
        ("r0", 0), ("r1", 0), ("r2", 0), ("r3", 0)}  # fmt: skip


def test_a_source_read_in_part_queues_no_feed_row(store: Store) -> None:
    r0, r1, *_ = ids(store)
    store.set_read([r0], True)
    assert store.mark_view_read(View("unread"), max_id=r1) == 1  # r2 and r3 stay unread
    assert [r for r in rows(store) if r[1] == "feed"] == []


def test_an_ack_never_drops_a_change_made_meanwhile(store: Store) -> None:
    r0, *_ = ids(store)
    store.set_read([r0], True)
    sent = [r[0] for r in queue.pending(store, "acct")]
    store.set_read([r0], False)  # while the read was on the wire
    queue.ack(store, sent)
    assert rows(store) == [("r0", "read", 0)]


def test_server_state_never_overwrites_a_queued_change(store: Store) -> None:
    r0, r1, *_ = ids(store)
    store.set_read([r0], True)
    page = [synced.SyncedEntry("f1", ParsedEntry(key=k, title="T"), False, True)
            for k in ("r0", "r1")]  # fmt: skip
    saved = synced.save_entries(store, "acct", page)
    assert saved.changed == 2  # r0's star and r1's star; r0's read stays ours
    got = {r[0]: (r[1], r[2]) for r in store.query("SELECT key, read, starred FROM entries")}
    assert got["r0"] == (1, 1) and got["r1"] == (0, 1)
    plan = synced.plan(store, "acct", unread={"r0", "r1", "r2", "r3"}, starred=set())
    assert "r0" not in plan.to_unread and plan.check == ["r0", "r1"]


def test_a_change_outlives_its_entry_until_sent(store: Store) -> None:
    r0, *_ = ids(store)
    store.set_starred(r0, True)
    # the entry goes (retention, a removed source): the change stays until it is sent
    with store.transaction() as db:
        db.execute("DELETE FROM entries WHERE id = ?", (r0,))
    assert rows(store) == [("r0", "star", 1)]


def test_local_feeds_never_queue_and_are_not_synced_sources(store: Store) -> None:
    local = store.source("http://local.invalid/feed")
    assert [r.url for r in store.refresh_rows()] == ["http://local.invalid/feed"]
    synced_id = store.query("SELECT id FROM sources WHERE account = 'acct'")[0][0]
    assert store.refresh_rows([synced_id, local.id])[0].id == local.id
    assert store.mark_read_where(source_id=local.id) == 0 and rows(store) == []


def test_a_feed_url_taken_by_a_local_source_gets_the_account_name(store: Store) -> None:
    synced.save_sources(
        store, "acct", [synced.SyncedSource("f2", "Same", "http://local.invalid/feed", "", None)]
    )
    urls = {r["url"] for r in store.query("SELECT url FROM sources")}
    assert "http://local.invalid/feed#acct" in urls
    synced.save_sources(store, "acct", [])  # the server stopped listing both
    warnings = {r[0] for r in store.query("SELECT warning FROM sources WHERE account = 'acct'")}
    assert warnings == {"no longer subscribed on acct"}
    assert synced.forget_account(store, "acct") == (2, 0)
    assert store.query("SELECT COUNT(*) FROM entries")[0][0] == 0


def test_a_read_rule_on_arrival_is_queued_for_the_server(store: Store) -> None:
    from tui.services.arrival import apply_rules_on_arrival
    from tui.services.rules import parse_rules

    rules, errors = parse_rules([{"match": "T1", "field": "title", "action": "read"}])
    assert not errors
    marked, starred = apply_rules_on_arrival(store, rules, ids(store))
    assert (marked, starred) == (1, 0)
    assert rows(store) == [("r1", "read", 1)]  # the server hears of it at the next sync

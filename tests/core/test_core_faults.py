"""Cache faults: damaged, read-only, full. Each gives a clear message; nothing read is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from feedgen import rss

from tui.cli.main import main
from tui.store import Store, StoreError


def filled(server, capsys, n_feeds=3, n_items=40) -> list[str]:
    urls = []
    for i in range(n_feeds):
        urls.append(
            server.add(
                f"/f{i}.xml",
                rss(
                    f"F{i}",
                    [
                        {
                            "title": f"{i}-{j} " + "words " * 40,
                            "guid": f"{i}-{j}",
                            "summary": "text " * 200,
                        }
                        for j in range(n_items)
                    ],
                ),
            )
        )
        assert main(["add", urls[-1]]) == 0
    capsys.readouterr()
    return urls


def db_file(data_dir):
    return data_dir / "newsdesk.db"


def checkpoint(path):
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE entries SET read = 1 WHERE id % 2 = 0")
        db.execute("UPDATE entries SET starred = 1 WHERE id % 7 = 0")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def json_out(capsys, *argv):
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_garbage_cache_is_moved_aside_and_rebuilt(server, capsys, data_dir):
    urls = filled(server, capsys)
    path = db_file(data_dir)
    checkpoint(path)
    path.write_bytes(os.urandom(path.stat().st_size))
    capsys.readouterr()
    assert main(["sources", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert "cache was damaged; kept as newsdesk.db.damaged-" in err
    assert list(data_dir.glob("newsdesk.db.damaged-*"))
    # rebuilt from the feeds: subscriptions were unreadable, so the user re-imports; the
    # damaged file is kept for them
    assert main(["add", urls[0]]) == 0


def test_truncated_cache_keeps_what_can_be_read(server, capsys, data_dir):
    filled(server, capsys)
    path = db_file(data_dir)
    checkpoint(path)
    before = {
        (r[0], r[1], r[2])
        for r in sqlite3.connect(path).execute("SELECT key, read, starred FROM entries")
    }
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    store = Store(path)
    assert store.recovered and "rebuilt with 3 sources" in store.recovered
    after = {(r[0], r[1], r[2]) for r in store.query("SELECT key, read, starred FROM entries")}
    assert after and after <= before  # whatever survived kept its state exactly
    assert store.integrity_ok()
    # a refresh brings the rest back and keeps the salvaged state
    store.close()
    summary = json_out(capsys, "refresh", "--no-articles")
    assert summary["failed"] == 0
    final = {
        (r[0], r[1], r[2]) for r in Store(path).query("SELECT key, read, starred FROM entries")
    }
    assert after <= final and len(final) == len(before)


def test_check_repairs_damage_found_later(server, capsys, data_dir):
    filled(server, capsys, n_items=150)
    path = db_file(data_dir)
    checkpoint(path)
    data = bytearray(path.read_bytes())
    for off in range(len(data) // 2, len(data), 8192):
        data[off : off + 256] = b"\xff" * 256
    path.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "cache was damaged" in out and "rebuilt with" in out
    assert Store(path).integrity_ok()


def test_read_only_data_dir_is_a_clear_message(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    assert main(["--data-dir", str(ro), "sources"]) == 1
    assert "not writable" in capsys.readouterr().err or "unable to open" in capsys.readouterr().err


def test_read_only_database_file(server, capsys, data_dir):
    filled(server, capsys, n_feeds=1)
    store = Store(db_file(data_dir))
    store.close()
    # the kernel lets root write anyway; SQLite's own read-only mode stands in for it
    ro = Store(db_file(data_dir), readonly=True)
    ro.db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="not writable|readonly|read-only"):
        ro.set_read([1])


def test_full_disk_is_a_clear_message_and_loses_nothing(server, capsys, data_dir):
    filled(server, capsys, n_feeds=1, n_items=5)
    store = Store(db_file(data_dir))
    before = store.query("SELECT COUNT(*) FROM entries")[0][0]
    pages = store.query("PRAGMA page_count")[0][0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    from tui.models import ParsedEntry, ParsedFeed

    big = ParsedFeed(
        title="F0",
        entries=[
            ParsedEntry(key=f"n{i}", title="x" * 5000, summary_text="y" * 50000) for i in range(50)
        ],
    )
    with pytest.raises(StoreError, match="full"):
        store.store_feed(store.sources()[0].url, big)
    assert store.query("SELECT COUNT(*) FROM entries")[0][0] == before
    assert store.integrity_ok()


def test_data_dir_is_private(server, capsys, data_dir):
    filled(server, capsys, n_feeds=1, n_items=1)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_retention_prunes_but_never_starred_or_recent_unread(server, capsys, data_dir, tmp_path):
    import time as _t

    now = _t.time()
    items = [{"title": f"t{i}", "guid": f"g{i}", "date": now - i * 86400} for i in range(60)]
    url = server.add("/old.xml", rss("Old", items))
    assert main(["add", url]) == 0
    db = sqlite3.connect(db_file(data_dir))
    with db:
        db.execute("UPDATE entries SET read = 1 WHERE key IN ('g1','g2','g40','g41')")
        db.execute("UPDATE entries SET starred = 1 WHERE key = 'g59'")
        db.execute("UPDATE entries SET first_seen = first_seen - 100 * 86400")  # fetched long ago
    (tmp_path / "config.toml").write_text("keep_days = 30\nkeep_per_source = 10\n")
    summary = json_out(capsys, "refresh", "--no-articles")
    keys = {r[0] for r in db.execute("SELECT key FROM entries")}
    # kept: the newest 10, unread ones younger than 30 days, and the starred one
    expected = {f"g{i}" for i in range(10)} | {f"g{i}" for i in range(10, 30)} | {"g59"}
    assert keys == expected
    assert summary["pruned"] == 60 - len(expected)
    # the feed still lists the pruned entries: they do not come back as unread
    server.add("/old.xml", rss("Old", items + [{"title": "new", "guid": "fresh", "date": now}]))
    again = json_out(capsys, "refresh", "--no-articles")
    assert again["new_entries"] == 1


def test_retention_keeps_an_old_dated_entry_that_just_arrived(server, capsys, data_dir, tmp_path):
    import time as _t

    (tmp_path / "config.toml").write_text("keep_days = 30\nkeep_per_source = 10\n")
    url = server.add(
        "/late.xml",
        rss("Late", [{"title": "filed late", "guid": "old", "date": _t.time() - 90 * 86400}]),
    )
    assert main(["add", url]) == 0
    assert json_out(capsys, "refresh", "--no-articles")["pruned"] == 0
    assert [h["title"] for h in json_out(capsys, "headlines")] == ["filed late"]


def test_vacuum_runs_weekly_not_on_a_new_cache(tmp_path):
    from tui.store.retention import VACUUM_EVERY, vacuum_if_due

    store = Store(tmp_path / "v.db")
    assert vacuum_if_due(store, now=1000.0) is False  # starts the clock
    assert vacuum_if_due(store, now=1000.0 + VACUUM_EVERY / 2) is False
    assert vacuum_if_due(store, now=1000.0 + VACUUM_EVERY + 1) is True
    assert vacuum_if_due(store, now=1000.0 + VACUUM_EVERY + 2) is False

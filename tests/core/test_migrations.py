"""The cache outlives releases: a cache written by the first release opens with today's code,
keeping its entries, read and starred marks and articles; released migrations never change."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from tui.cli.main import main
from tui.store.schema import MIGRATIONS

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schema"


def _first_release_cache(path: Path) -> None:
    """A cache as the first release left it: two sources, three entries (one read, one
    starred), one prefetched article."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript((SCHEMA / "first_release.sql").read_text())
    db.executemany(
        "INSERT INTO sources (id, url, title, folder, added) VALUES (?, ?, ?, ?, ?)",
        [
            (1, "http://example.test/world.xml", "World", "News", 1.0e9),
            (2, "http://example.test/tech.xml", "Tech", None, 1.0e9),
        ],
    )
    rows = [
        (1, 1, "w1", "Harbour reopens after storm", "http://example.test/a", 1.7e9, 0, 1),
        (2, 1, "w2", "Ferry timetable changes", "http://example.test/b", 1.6e9, 1, 0),
        (3, 2, "t1", "Chip plant opens", "http://example.test/c", 1.5e9, 0, 0),
    ]
    db.executemany(
        "INSERT INTO entries (id, source_id, key, title, link, sort_time, first_seen, read,"
        " starred, summary_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(i, s, k, t, ln, ts, ts, r, st, f"summary of {t}") for i, s, k, t, ln, ts, r, st in rows],
    )
    db.execute(
        "INSERT INTO articles (entry_id, status, fetched, body) VALUES (1, 'ok', 1.7e9, ?)",
        ('{"blocks": [{"kind": "paragraph", "text": "The harbour reopened."}]}',),
    )
    db.commit()
    db.close()


def _json(capsys, *argv: str) -> object:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_first_release_cache_opens_with_everything_kept(data_dir, capsys):
    cache = data_dir / "newsdesk.db"
    _first_release_cache(cache)

    heads = _json(capsys, "headlines")
    got = {h["title"]: (h["read"], h["starred"], h["source"]) for h in heads}
    assert got == {
        "Harbour reopens after storm": (False, True, "http://example.test/world.xml"),
        "Ferry timetable changes": (True, False, "http://example.test/world.xml"),
        "Chip plant opens": (False, False, "http://example.test/tech.xml"),
    }
    sources = {
        s["url"]: (s["title"], s["folder"], s["entries"], s["unread"])
        for s in _json(capsys, "sources")
    }
    assert sources == {
        "http://example.test/world.xml": ("World", "News", 2, 1),
        "http://example.test/tech.xml": ("Tech", None, 1, 1),
    }
    # migration 2 indexed the old entries for search
    assert [h["title"] for h in _json(capsys, "search", "ferry")] == ["Ferry timetable changes"]

    db = sqlite3.connect(cache)
    assert db.execute("PRAGMA user_version").fetchone()[0] == max(MIGRATIONS)
    body = db.execute("SELECT body FROM articles WHERE entry_id = 1").fetchone()[0]
    assert "The harbour reopened." in body
    db.close()


def _recorded() -> dict[int, str]:
    lines = (SCHEMA / "migrations.sha256").read_text().splitlines()
    pairs = (line.split() for line in lines if line and not line.startswith("#"))
    return {int(n): digest for n, digest in pairs}


def test_migrations_are_append_only():
    recorded = _recorded()
    assert sorted(MIGRATIONS) == list(range(1, max(MIGRATIONS) + 1)), "migrations are numbered 1..N"
    for n, sql in sorted(MIGRATIONS.items()):
        digest = hashlib.sha256(sql.encode()).hexdigest()
        assert n in recorded, (
            f"migration {n} is new: once it is final, append '{n} {digest}' to "
            "tests/fixtures/schema/migrations.sha256"
        )
        assert recorded[n] == digest, (
            f"migration {n} was changed after release; caches that ran it keep the old schema. "
            "Add a new migration instead."
        )
    assert set(recorded) <= set(MIGRATIONS), "a released migration was removed"

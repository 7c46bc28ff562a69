"""Sync end to end: the CLI and the engine against a real tt-rss and the GReader contract server,
into a real SQLite cache. Each test runs against both servers."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_sides import GReaderSide, Side, TtrssSide
from ttrss import ttrss, ttrss_server  # noqa: F401  (fixtures)

from tui.cli.main import main
from tui.net.http import make_client
from tui.services.context import Context
from tui.sync.engine import sync_accounts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["ttrss", "greader"])
def side(request, private_paths, monkeypatch) -> Iterator[Side]:
    made: Side = (
        TtrssSide(request.getfixturevalue("ttrss")) if request.param == "ttrss" else GReaderSide()
    )
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", made.password)
    made.write_config(private_paths / "config.toml")
    yield made
    made.close()


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def sync(*args: str) -> dict:
    code, out = cli("sync", "--json", *args)
    assert code == 0
    (account,) = json.loads(out)["accounts"]
    return account


def db(private_paths: Path) -> sqlite3.Connection:
    return sqlite3.connect(private_paths / "data" / "newsdesk.db")


def local(private_paths: Path, rids: list[str]) -> dict[str, tuple[bool, bool]]:
    """Cache-side (read, starred) by remote id."""
    rows = db(private_paths).execute("SELECT remote_id, read, starred FROM entries")
    found = {r[0]: (bool(r[1]), bool(r[2])) for r in rows}
    return {r: found[r] for r in rids if r in found}


def entry_id(private_paths: Path, rid: str) -> int:
    return (
        db(private_paths)
        .execute("SELECT id FROM entries WHERE remote_id = ?", (rid,))
        .fetchone()[0]
    )


def seeded(side: Side) -> tuple[list[str], list[str], list[str]]:
    """Two folders and a loose feed: 12, 5 and 3 entries, some read, some starred."""
    a = side.entries(side.feed("Alpha", folder="News"), 12, read={0, 1, 2}, starred={1, 5})
    b = side.entries(side.feed("Beta", folder="Tech"), 5, starred={4})
    c = side.entries(side.feed("Loose"), 3, read={0, 1, 2})
    return a, b, c


def test_first_sync_brings_every_feed_folder_entry_and_state(side: Side, private_paths) -> None:
    a, b, c = seeded(side)
    result = sync()
    assert result == {"name": "home", "type": side.type, "pulled": 20, "pushed": 0,
                      "pending": 0, "error": None}  # fmt: skip
    sources = (
        db(private_paths)
        .execute("SELECT title, folder, account FROM sources ORDER BY title")
        .fetchall()
    )
    assert sources == [("Alpha", "News", "home"), ("Beta", "Tech", "home"), ("Loose", None, "home")]
    everything = a + b + c
    assert local(private_paths, everything) == side.state(everything)
    code, out = cli("headlines", "--json", "--limit", "100")
    rows = json.loads(out)
    assert len(rows) == 20 and {r["account"] for r in rows} == {"home"}
    assert sync()["pulled"] == 0  # nothing new the second time


def test_offline_marks_are_queued_survive_kill_9_and_reach_the_server(
    side: Side, private_paths
) -> None:
    a, b, _ = seeded(side)
    sync()
    side.stop()
    side.write_config(private_paths / "config.toml")
    assert cli("star", str(entry_id(private_paths, a[6])))[0] == 0
    assert cli("mark-read", "--source", _source_url(private_paths, "Beta"))[0] == 0
    down = sync()
    assert down["error"] and "\n" not in down["error"]
    assert down["pending"] == 1 + 5  # a star, five reads; the command still exits 0
    # A process that marks an entry and is killed -9 right after: the mark is durable.
    marker = subprocess.Popen(
        [sys.executable, "-c", _MARK_AND_WAIT, str(entry_id(private_paths, a[7]))],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy(), cwd=ROOT,
    )  # fmt: skip
    assert marker.stdout is not None and marker.stdout.readline().strip() == "marked"
    marker.send_signal(signal.SIGKILL)
    marker.wait()
    assert local(private_paths, [a[7]])[a[7]] == (True, False)
    side.start()
    side.write_config(private_paths / "config.toml")
    up = sync()
    assert (up["pushed"], up["pending"], up["error"]) == (7, 0, None)
    assert side.state([a[6]])[a[6]] == (False, True)
    assert side.state([a[7]])[a[7]][0] is True
    assert all(read for read, _ in side.state(b).values())
    assert side.state([a[3]])[a[3]] == (False, False)  # untouched entries stay as they were


_MARK_AND_WAIT = """
import sys, time
from tui.services.context import Context
Context().store().set_read([int(sys.argv[1])], True)
print("marked", flush=True)
time.sleep(60)
"""


def _source_url(private_paths: Path, title: str) -> str:
    return (
        db(private_paths).execute("SELECT url FROM sources WHERE title = ?", (title,)).fetchone()[0]
    )


def test_changes_made_on_the_server_arrive(side: Side, private_paths) -> None:
    a, b, _ = seeded(side)
    sync()
    side.set(a[3], read=True)
    side.set(a[0], read=False)
    side.set(b[0], starred=True)
    side.set(a[5], starred=False)
    new = side.entries(side.feed("Gamma", folder="News"), 4, starred={0})
    result = sync()
    assert result["error"] is None and result["pulled"] == 4 + 4
    changed = [a[3], a[0], b[0], a[5], *new]
    assert local(private_paths, changed) == side.state(changed)


async def test_a_mark_during_a_sync_wins_and_touches_only_its_source(
    side: Side, private_paths
) -> None:
    a, b, _ = seeded(side)
    await asyncio.to_thread(sync)  # the CLI runs its own event loop: not on this one
    ctx = Context()
    store, config = ctx.store(), ctx.config()
    alpha = store.query("SELECT id FROM sources WHERE title = 'Alpha'")[0][0]
    side.set(b[1], read=True)  # a change on the server the same sync brings
    with store.transaction() as conn:  # as if the last sync died before saving its cursor:
        conn.execute("DELETE FROM sync_state")  # this one pulls every entry again

    def progress(_name: str, what: str) -> None:
        if what == "reading feeds":  # after the push, before the pull: the server says unread
            store.mark_read_where(source_id=alpha)

    async with make_client(timeout=10) as http:
        (result,) = await sync_accounts(store, http, config, progress=progress)
        assert result.error is None and result.pending == 9  # Alpha's unread, still queued
        assert all(read for read, _ in local(private_paths, a).values())
        beta = local(private_paths, b)
        assert beta == side.state(b) and [r for r, _ in beta.values()].count(True) == 1
        assert side.state([a[4]])[a[4]] == (False, False)  # not yet sent
        (again,) = await sync_accounts(store, http, config)
    ctx.close()
    assert (again.pushed, again.pending, again.error) == (9, 0, None)
    assert all(read for read, _ in side.state(a).values())
    assert [r for r, _ in side.state(b).values()].count(True) == 1


def test_an_entry_the_server_drops_stays_as_it_was(side: Side, private_paths) -> None:
    a, _, _ = seeded(side)
    sync()
    before = local(private_paths, [a[4], a[5]])
    assert before == {a[4]: (False, False), a[5]: (False, True)}
    side.drop(a[4])
    side.drop(a[5])
    result = sync()
    assert result["error"] is None
    assert local(private_paths, [a[4], a[5]]) == before


def test_wrong_password_keeps_the_cache_and_the_queue(
    side: Side, private_paths, monkeypatch
) -> None:
    a, _, _ = seeded(side)
    sync()
    assert cli("star", str(entry_id(private_paths, a[8])))[0] == 0
    cache = local(private_paths, a)
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", "not-the-password")
    side.set(a[9], read=True)
    result = sync()
    assert result["error"] == "login failed: wrong user or password"
    assert (result["pushed"], result["pending"]) == (0, 1)
    assert local(private_paths, a) == cache
    code, out = cli("sync")
    assert (
        code == 0
        and out.strip()
        == "home: 0 pulled, 0 pushed, 1 pending; error: login failed: wrong user or password"
    )


async def test_a_session_that_expires_mid_sync_logs_in_again(side: Side, private_paths) -> None:
    a, b, c = seeded(side)
    ctx = Context()

    def expire(_name: str, what: str) -> None:
        if what == "reading feeds":
            if isinstance(side, TtrssSide):
                side.t.expire_sessions()
            else:
                side.srv.expire_auth()

    async with make_client(timeout=10) as http:
        (result,) = await sync_accounts(ctx.store(), http, ctx.config(), progress=expire)
    ctx.close()
    assert (result.error, result.pulled) == (None, 20)


def test_refresh_syncs_accounts_and_prefetches_their_articles(
    side: Side, private_paths, server, monkeypatch
) -> None:
    page = "<html><body><article>" + "<p>A paragraph long enough to be the body.</p>" * 6
    link = server.add("/story.html", page + "</article></body></html>", content_type="text/html")
    # A synced feed's own host earns its links nothing (the aggregator chose it, issue 20), so
    # loopback stands for the public internet here: the guard is told it is public.
    import tui.net.guard as guard

    public = guard.is_public
    monkeypatch.setattr(guard, "is_public", lambda a: a.is_loopback or public(a))
    feed = side.feed("With pages", url=server.url("/feed.xml"))
    (rid,) = side.entries(feed, 1)
    _set_link(side, rid, link)
    code, out = cli("refresh", "--json")
    data = json.loads(out)
    assert code == 0 and data["accounts"][0]["pulled"] == 1 and data["articles"] == 1
    status = (
        db(private_paths)
        .execute(
            "SELECT a.status FROM articles a JOIN entries e ON e.id = a.entry_id WHERE e.remote_id = ?",
            (rid,),
        )
        .fetchone()
    )
    assert status == ("ok",)


def _set_link(side: Side, rid: str, link: str) -> None:
    if isinstance(side, TtrssSide):
        side.t.sql(f"update ttrss_entries set link = '{link}' where id = {int(rid)};")
    else:
        with side.srv.lock:
            side._item(rid).link = link

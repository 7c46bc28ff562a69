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
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_sides import GReaderSide, MinifluxSide, Side, TtrssSide
from ttrss import ttrss, ttrss_server  # noqa: F401  (fixtures)

from tui.cli.main import main
from tui.net.http import make_client
from tui.services.context import Context
from tui.sync.engine import sync_accounts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["ttrss", "greader", "miniflux"])
def side(request, private_paths, monkeypatch) -> Iterator[Side]:
    made: Side
    if request.param == "ttrss":
        made = TtrssSide(request.getfixturevalue("ttrss"))
    else:
        made = GReaderSide() if request.param == "greader" else MinifluxSide()
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
    # FreshRSS and Miniflux put a feed with no folder in a default one
    loose = {"greader": "Uncategorized", "miniflux": "All"}.get(side.type)
    assert sources == [
        ("Alpha", "News", "home"),
        ("Beta", "Tech", "home"),
        ("Loose", loose, "home"),
    ]
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


def test_entries_the_server_deleted_stop_counting_unread_and_are_not_asked_again(
    side: Side, private_paths
) -> None:
    a, b, _ = seeded(side)
    sync()
    assert local(private_paths, [a[4], a[5]]) == {a[4]: (False, False), a[5]: (False, True)}
    for rid in (a[4], a[5], a[6], b[0], b[1]):  # a cleanup that deletes unread entries too
        side.drop(rid)
    assert sync()["error"] is None
    assert unread_by_source(private_paths) == side.unread_by_feed()
    gone = db(private_paths).execute(
        "SELECT read, starred, account FROM entries WHERE key IN (?, ?)", (a[4], a[5])
    )
    assert sorted(gone.fetchall()) == [(1, 0, None), (1, 1, None)]  # the star stays, locally
    if isinstance(side, GReaderSide):
        asked = len(side.srv.requests("/reader/api/0/stream/items/contents"))
        assert sync()["error"] is None
        assert len(side.srv.requests("/reader/api/0/stream/items/contents")) == asked


def unread_by_source(private_paths: Path) -> dict[str, int]:
    rows = db(private_paths).execute(
        "SELECT s.remote_id, COUNT(e.id) FROM sources s LEFT JOIN entries e "
        "ON e.source_id = s.id AND e.read = 0 WHERE s.account IS NOT NULL GROUP BY s.id"
    )
    return dict(rows.fetchall())


def test_an_entry_pruned_here_comes_back_when_the_server_stars_or_unreads_it(
    side: Side, private_paths
) -> None:
    from tui.store.retention import prune

    a, _, _ = seeded(side)
    sync()
    ctx = Context()
    pruned = prune(ctx.store(), keep_days=90, keep_per_source=0, now=time.time() + 400 * 86400)
    ctx.close()
    assert pruned and local(private_paths, [a[0], a[2]]) == {}  # read entries, gone
    side.set(a[0], starred=True)
    side.set(a[2], read=False)
    assert sync()["error"] is None
    # every entry unread or starred there is here with that state (old unread ones included)
    wanted = {r: st for r, st in side.state(a).items() if not st[0] or st[1]}
    assert a[0] in wanted and a[2] in wanted and local(private_paths, list(wanted)) == wanted
    assert unread_by_source(private_paths) == side.unread_by_feed()


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
    said = {  # FreshRSS's Google Reader API has a password of its own; Miniflux takes a key
        "greader": "login failed: wrong user or API password (FreshRSS and Miniflux use an API",
        "miniflux": "login failed: wrong user, password or API key",
    }.get(side.type, "login failed: wrong user or password")
    assert result["error"].startswith(said)
    assert (result["pushed"], result["pending"]) == (0, 1)
    assert local(private_paths, a) == cache
    code, out = cli("sync")
    assert code == 0 and out.startswith(f"home: 0 pulled, 0 pushed, 1 pending; error: {said}")


async def test_a_session_that_expires_mid_sync_logs_in_again(side: Side, private_paths) -> None:
    a, b, c = seeded(side)
    ctx = Context()

    def expire(_name: str, what: str) -> None:
        if what == "reading feeds":
            if isinstance(side, TtrssSide):
                side.t.expire_sessions()
            elif isinstance(side, GReaderSide):
                side.srv.expire_auth()  # Miniflux authenticates every call: no session

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
    elif isinstance(side, MinifluxSide):
        with side.srv.lock:
            side.srv.state.entries[int(rid)].url = link
    else:
        with side.srv.lock:
            side._item(rid).link = link


@pytest.fixture
def freshrss(private_paths, monkeypatch) -> Iterator[GReaderSide]:
    made = GReaderSide()
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", made.password)
    made.write_config(private_paths / "config.toml")
    yield made
    made.close()


def test_a_freshrss_sync_asks_only_for_what_it_lacks(freshrss: GReaderSide, private_paths) -> None:
    a, _, _ = seeded(freshrss)
    paths = ("subscription/list", "stream/items/contents", "edit-tag", "mark-all-as-read")

    def counted() -> dict[str, list[int]]:
        return {p: freshrss.srv.requests(f"/reader/api/0/{p}") for p in paths}

    sync()
    before = counted()
    assert len(before["subscription/list"]) == 1  # folders and feeds from one list
    # All 20 were fetched within the hour the next pull looks back over: none fetched again.
    assert sync()["pulled"] == 0 and counted() == {**before, "subscription/list": [0, 0]}
    new = freshrss.entries(freshrss.feed("Gamma"), 3)
    assert sync()["pulled"] == 3
    assert counted()["stream/items/contents"] == [*before["stream/items/contents"], 3]
    # A whole source marked read: one mark-all-as-read, not an edit-tag with every id.
    assert cli("mark-read", "--source", _source_url(private_paths, "Alpha"))[0] == 0
    result = sync()
    assert (result["pushed"], result["pending"], result["error"]) == (9, 0, None)
    assert len(counted()["mark-all-as-read"]) == 1 and counted()["edit-tag"] == []
    assert all(read for read, _ in freshrss.state(a).values())
    assert not any(read for read, _ in freshrss.state(new).values())


def test_a_source_read_reaches_freshrss_whose_clock_is_an_hour_ahead(
    freshrss: GReaderSide, private_paths
) -> None:
    freshrss.srv.state.clock = 3600.0  # its fetch times and its `ts` run an hour ahead of ours
    a, _, _ = seeded(freshrss)
    sync()
    assert cli("mark-read", "--source", _source_url(private_paths, "Alpha"))[0] == 0
    assert sync()["pending"] == 0
    assert all(read for read, _ in freshrss.state(a).values())

"""The sync engine end to end: server -> engine -> SQLite cache, and queued marks back.

    python bench/sync.py [--entries 5000] [--marks 1000] [--feeds 20] [--no-greader]
                         [--no-ttrss] [--no-paint]

1. A real tt-rss (scripts/ttrss-server; installs as root) seeded with N entries over F feeds;
   a first sync into an empty cache: wall seconds, the Python heap's peak (tracemalloc) and the
   process's peak RSS growth.
2. M entries marked read in the cache (queued), then the push step alone: seconds and requests.
3. The same two figures against the GReader contract server (tests/greader_server.py).
4. 1,000 reads of one source (a whole source marked read) pushed to the GReader server: the
   requests by kind (edit-tag with every id before; one mark-all-as-read now).
5. Miniflux (tests/miniflux_server.py): the first sync of N entries and the push of M marks,
   with the requests each took and the heap's peak.
6. A mark made in the open reader: seconds until the server has it (bench/sync_reader.py).
7. Machines in step with no server, folder and ssh (bench/sync_peers.py): 1,000 marks made on
   each of two machines apart, then synced (also after kill -9 mid-sync); a change made after
   syncing in the other's with this clock an hour behind; the folder's size after 100,000.
8. Time to first paint of the reader on that cache (tmux, median of 5), with no account and
   with the account's server down: the reader must not wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("PYTHONPATH", str(ROOT))

from greader_server import GReaderServer  # noqa: E402
from miniflux_server import MinifluxServer  # noqa: E402
from ttrss import SCRIPT, Ttrss  # noqa: E402

from tui.net.http import make_client  # noqa: E402
from tui.settings.accounts import Account  # noqa: E402
from tui.settings.config import Config  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.sync.engine import AccountResult, Run, make_remote, sync_account  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def first_sync(store: Store, account: Account, label: str) -> None:
    config = Config(accounts={account.name: account})
    rss0 = rss_mb()
    tracemalloc.start()
    t0 = time.perf_counter()
    async with make_client(timeout=60) as http:
        result = await sync_account(store, http, account, config)
    took = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if result.error:
        raise SystemExit(f"{label}: {result.error}")
    entries = store.query("SELECT COUNT(*) FROM entries")[0][0]
    print(
        f"{label} first sync: {entries} entries in {took:.2f} s "
        f"({entries / took:.0f}/s), {result.requests} requests, heap peak "
        f"{peak / 2**20:.1f} MB, RSS peak +{rss_mb() - rss0:.1f} MB"
    )


async def push(store: Store, account: Account, marks: int, label: str) -> None:
    ids = [r[0] for r in store.query("SELECT id FROM entries WHERE read = 0 LIMIT ?", (marks,))]
    store.set_read(ids, True)
    await push_queued(store, account, label)


async def push_queued(store: Store, account: Account, label: str) -> None:
    config = Config(accounts={account.name: account})
    async with make_client(timeout=60) as http:
        remote = make_remote(http, account, account.password(), config.deadline)
        await remote.login()
        result = AccountResult(account.name, account.type)
        run = Run(store, remote, account, config, result, None)
        before = remote.requests
        t0 = time.perf_counter()
        await run.push()
        took = time.perf_counter() - t0
    left = store.query("SELECT COUNT(*) FROM sync_queue")[0][0]
    print(
        f"{label} push of {result.pushed} queued marks: {took:.2f} s, "
        f"{remote.requests - before} requests, {left} left queued"
    )


def seed_ttrss(server: Ttrss, entries: int, feeds: int) -> None:
    per = entries // feeds
    for f in range(feeds):
        feed = server.add_feed(f"Feed {f}", category=server.add_category(f"Folder {f % 4}"))
        server.add_entries(feed, per, read=set(range(0, per, 3)), starred={1})


async def bench_ttrss(a: argparse.Namespace, tmp: Path) -> None:
    server = Ttrss(tmp, json.loads((tmp / "server.json").read_text()))
    server.reset()
    seed_ttrss(server, a.entries, a.feeds)
    os.environ["NEWSDESK_PASSWORD_TT"] = server.password
    account = Account("tt", "ttrss", server.url, server.user)
    store = Store(tmp / "cache.db")
    await first_sync(store, account, "tt-rss")
    await push(store, account, a.marks, "tt-rss")
    store.close()


def seed_server(a: argparse.Namespace, add_feed: Any, add_entries: Any) -> None:
    """N entries over F feeds in four folders, every third read, one starred a feed."""
    per = a.entries // a.feeds
    for f in range(a.feeds):
        feed = add_feed(f"Feed {f}", folder=f"Folder {f % 4}")
        add_entries(feed, per, read=set(range(0, per, 3)), starred={1})


async def bench_greader(a: argparse.Namespace, tmp: Path) -> None:
    with GReaderServer() as srv:
        seed_server(a, srv.add_feed, srv.add_items)
        os.environ["NEWSDESK_PASSWORD_GR"] = srv.state.password
        account = Account("gr", "greader", srv.url, srv.state.user)
        store = Store(tmp / "cache-gr.db")
        await first_sync(store, account, "greader")
        await push(store, account, a.marks, "greader")
        store.close()


async def bench_source_read(a: argparse.Namespace, tmp: Path) -> None:
    """M unread entries of one source, marked read at once, pushed to the GReader server."""
    with GReaderServer() as srv:
        srv.add_items(srv.add_feed("One source"), a.marks)
        os.environ["NEWSDESK_PASSWORD_ONE"] = srv.state.password
        account = Account("one", "greader", srv.url, srv.state.user)
        store = Store(tmp / "cache-one.db")
        async with make_client(timeout=60) as http:
            await sync_account(store, http, account, Config(accounts={"one": account}))
        (source,) = [r[0] for r in store.query("SELECT id FROM sources")]
        store.mark_read_where(source_id=source)
        before = {p: len(srv.requests(p)) for p in ("/reader/api/0/edit-tag",
                                                   "/reader/api/0/mark-all-as-read")}  # fmt: skip
        await push_queued(store, account, f"greader, {a.marks} reads of one source:")
        after = {p.rsplit("/", 1)[1]: len(srv.requests(p)) - n for p, n in before.items()}
        unread = sum(not i.read for i in srv.state.items.values())
        print(f"  by kind: {after}; unread left on the server: {unread}")
        store.close()


async def bench_miniflux(a: argparse.Namespace, tmp: Path) -> None:
    with MinifluxServer() as srv:
        seed_server(a, srv.add_feed, srv.add_entries)
        os.environ["NEWSDESK_PASSWORD_MF"] = srv.state.token
        account = Account("mf", "miniflux", srv.url, "")
        store = Store(tmp / "cache-mf.db")
        await first_sync(store, account, "miniflux")
        await push(store, account, a.marks, "miniflux")
        store.close()


def bench_paint(tmp: Path, runs: int = 5) -> None:
    """The reader's first paint on the synced cache, without and with an unreachable account."""
    from bench.paint import median_of, repeat_paint, stop_tmux, tmux_available

    if not tmux_available():
        print("paint: tmux not installed, skipped")
        return
    data = tmp / "paint-data"
    data.mkdir()
    (tmp / "cache-gr.db").rename(data / "newsdesk.db")
    down = "http://127.0.0.1:9/api/greader.php"  # the discard port: connection refused
    configs = {
        "no account": "prefetch = false\n",
        "account, server down": f'prefetch = false\n[accounts.gr]\ntype = "greader"\n'
        f'url = "{down}"\nuser = "alice"\n',
    }
    cmd = [sys.executable, "-m", "tui", "--data-dir", str(data)]
    results: dict[str, list[Any]] = {label: [] for label in configs}
    try:
        repeat_paint(cmd, "Item 1", 1, env={"NEWSDESK_CONFIG": str(tmp / "none.toml")})  # warm
        for _ in range(runs):  # interleaved, so neither gets the warmer caches
            for label, text in configs.items():
                (tmp / "paint.toml").write_text(text)
                env = {"NEWSDESK_CONFIG": str(tmp / "paint.toml"), "NEWSDESK_PASSWORD_GR": "x"}
                results[label] += repeat_paint(cmd, "Item 1", 1, env=env)
        for label, paints in results.items():
            seconds = median_of(paints, "seconds")
            shown = f"{seconds:.3f} s" if seconds is not None else "never painted"
            print(f"reader first paint, {label}: {shown} (median of {runs})")
    finally:
        stop_tmux()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--entries", type=int, default=5000)
    p.add_argument("--marks", type=int, default=1000)
    p.add_argument("--feeds", type=int, default=20)
    p.add_argument("--no-greader", action="store_true")
    p.add_argument("--no-ttrss", action="store_true")
    p.add_argument("--no-paint", action="store_true")
    p.add_argument("--no-peers", action="store_true")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not a.no_ttrss:
            subprocess.run([str(SCRIPT), "start", name], check=True, capture_output=True)
            try:
                asyncio.run(bench_ttrss(a, tmp))
            finally:
                subprocess.run([str(SCRIPT), "stop", name], capture_output=True)
        asyncio.run(bench_miniflux(a, tmp))
        if not a.no_greader:
            asyncio.run(bench_greader(a, tmp))
            asyncio.run(bench_source_read(a, tmp))
            from bench.sync_reader import run as bench_reader_push

            bench_reader_push()
            if not a.no_paint:
                bench_paint(tmp)
        if not a.no_peers:
            from bench.sync_peers import run as bench_peers

            bench_peers(a.marks)


if __name__ == "__main__":
    main()

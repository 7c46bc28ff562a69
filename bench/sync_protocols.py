"""Protocol-level sync figures against a real tt-rss and the GReader contract server.

    python bench/sync_protocols.py [--entries 5000] [--unread 10000] [--marks 1000]

Pulls every entry with content (pages discarded as they come, as the engine will store them),
reports wall time and the Python heap's peak (tracemalloc), then pushes N read marks and
counts requests. Needs scripts/ttrss-server (installs as root).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from greader_server import GReaderServer  # noqa: E402
from ttrss import SCRIPT, Ttrss  # noqa: E402

from tui.net.http import make_client  # noqa: E402
from tui.sync.greader import GReaderClient  # noqa: E402
from tui.sync.ttrss import TtrssClient  # noqa: E402


async def pull(client: TtrssClient | GReaderClient, unread_only: bool) -> tuple[int, float, int]:
    tracemalloc.start()
    t0 = time.perf_counter()
    n = 0
    async for page in client.entries(unread_only=unread_only):
        n += len(page)  # the page is dropped here, as a store would write and drop it
    took = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return n, took, peak


async def push(client: TtrssClient | GReaderClient, ids: list[str]) -> tuple[float, int]:
    before = client.requests
    t0 = time.perf_counter()
    await client.set_read(ids, True)
    return time.perf_counter() - t0, client.requests - before


async def bench_ttrss(server: Ttrss, a: argparse.Namespace) -> None:
    feed = server.add_feed("Bench", category=server.add_category("Bench"))
    ids = server.add_entries(feed, a.entries, read=set(range(0, a.entries, 3)))
    async with make_client(timeout=60) as http:
        client = TtrssClient(http, server.url, server.user, server.password)
        await client.login()
        n, took, peak = await pull(client, unread_only=False)
        print(
            f"tt-rss pull {n} entries with content: {took:.2f} s, heap peak {peak / 2**20:.1f} MB"
        )
        took, reqs = await push(client, [str(i) for i in ids[: a.marks]])
        print(f"tt-rss push {a.marks} read marks: {took:.2f} s, {reqs} requests")
    server.reset()
    feed = server.add_feed("Unread")
    server.add_entries(feed, a.unread)
    async with make_client(timeout=60) as http:
        client = TtrssClient(http, server.url, server.user, server.password)
        n, took, peak = await pull(client, unread_only=True)
        print(f"tt-rss pull {n} unread: {took:.2f} s, heap peak {peak / 2**20:.1f} MB")


async def bench_greader(a: argparse.Namespace) -> None:
    with GReaderServer() as srv:
        feed = srv.add_feed("Bench", folder="Bench")
        ids = srv.add_items(feed, a.unread)
        async with make_client(timeout=60) as http:
            client = GReaderClient(http, srv.url, srv.state.user, srv.state.password)
            n, took, peak = await pull(client, unread_only=True)
            print(f"greader pull {n} unread: {took:.2f} s, heap peak {peak / 2**20:.1f} MB")
            took, reqs = await push(client, [str(i) for i in ids[: a.marks]])
            print(f"greader push {a.marks} read marks: {took:.2f} s, {reqs} requests")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--entries", type=int, default=5000)
    p.add_argument("--unread", type=int, default=10_000)
    p.add_argument("--marks", type=int, default=1000)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([str(SCRIPT), "start", tmp], check=True, capture_output=True)
        print(f"tt-rss server start: {time.perf_counter() - t0:.2f} s")
        try:
            server = Ttrss(Path(tmp), json.loads((Path(tmp) / "server.json").read_text()))
            server.reset()
            asyncio.run(bench_ttrss(server, a))
        finally:
            subprocess.run([str(SCRIPT), "stop", tmp], capture_output=True)
    asyncio.run(bench_greader(a))


if __name__ == "__main__":
    main()

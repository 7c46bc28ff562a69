"""Part 5: article prefetch throughput and core usage, one variant per subprocess.

Variants: NEWSDESK_EXTRACT_WORKERS=1 and =2 (the process pool), and "thread" (extraction in a
thread of the refresh process itself, no pool). CPU is user+sys of the measured process and its
extraction workers, read from /proc before the pool shuts down; CPU/wall ≥ 1.0 means more than
one core was busy.

    python bench/prefetch_bench.py --pages 1000 --latency 0.05 --variant 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus  # noqa: E402
from bench.httpd import LoopbackServer  # noqa: E402

PER_FEED = 40
VARIANTS = ("1", "2", "thread")


def _feeds_for(pages: int) -> int:
    return max(1, -(-pages // PER_FEED))


def fill(data_dir: Path, srv: LoopbackServer, pages: int) -> None:
    from tui.store import Store

    store = Store(data_dir / "newsdesk.db")
    feeds = _feeds_for(pages)
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO sources (id, url, added) VALUES (?,?,0)",
            [(f + 1, srv.feed_url(f)) for f in range(feeds)],
        )
        db.executemany(
            "INSERT INTO entries (source_id, key, title, link, sort_time, first_seen) "
            "VALUES (?,?,?,?,?,0)",
            [
                (
                    n // PER_FEED + 1,
                    str(n),
                    corpus.headline(1, n // PER_FEED, n % PER_FEED),
                    srv.page_url(n // PER_FEED, n % PER_FEED),
                    corpus.item_time(0, n),
                )
                for n in range(pages)
            ],
        )
    store.close()


def _cpu_of(pid: int) -> tuple[int, float]:
    """(parent pid, user+sys seconds) of a live process; (0, 0.0) once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0.0
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class DescendantCPU:
    """CPU of every process below this one (pool workers hang off the forkserver), sampled
    often enough that a worker killed and replaced mid-run still counts."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.start: dict[int, float] = {}

    def sample(self) -> None:
        parents = {os.getpid()}
        procs = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                procs[int(name)] = _cpu_of(int(name))
        for _ in range(3):  # children, grandchildren, great-grandchildren
            parents |= {pid for pid, (ppid, _) in procs.items() if ppid in parents}
        for pid in parents - {os.getpid()}:
            cpu = procs[pid][1]
            self.start.setdefault(pid, cpu)
            self.seen[pid] = max(self.seen.get(pid, 0.0), cpu)

    def total(self) -> float:
        return sum(self.seen[p] - self.start[p] for p in self.seen)

    async def watch(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(0.2)


async def _run(data_dir: Path, variant: str) -> dict:
    from tui.net.http import make_client
    from tui.services import extract_pool as extract_runner
    from tui.services.prefetch import prefetch_articles
    from tui.settings.config import Config
    from tui.store import Store

    if variant == "thread":

        async def in_thread(html, url, deadline=extract_runner.DEADLINE):
            article = await asyncio.to_thread(extract_runner._extract, html, url)
            return extract_runner._checked(article)

        extract_runner.extract_in_worker = in_thread
    else:
        # Start the pool before the clock: a reader has it warm by the time pages arrive.
        pool = extract_runner._get_pool()
        await asyncio.gather(
            *(
                asyncio.wrap_future(pool.submit(extract_runner._warm_up))
                for _ in range(extract_runner.WORKERS)
            )
        )
    store = Store(data_dir / "newsdesk.db")
    cfg = Config()
    ids = [r[0] for r in store.query("SELECT id FROM entries")]
    watcher = DescendantCPU()
    watcher.sample()  # the warm pool's CPU so far is the baseline
    task = asyncio.create_task(watcher.watch())
    before = os.times()
    start = time.perf_counter()
    async with make_client(cfg.timeout, cfg.concurrency * 2) as client:
        ok = await prefetch_articles(store, client, cfg, ids)
    wall = time.perf_counter() - start
    after = os.times()
    task.cancel()
    watcher.sample()
    cpu_workers = watcher.total()
    cpu_self = (after.user - before.user) + (after.system - before.system)
    extract_runner.shutdown()
    return {
        "variant": variant,
        "pages": len(ids),
        "ok": ok,
        "seconds": wall,
        "pages_per_s": len(ids) / wall,
        "cpu_seconds": cpu_self + cpu_workers,
        "cores_busy": (cpu_self + cpu_workers) / wall,
    }


def run_variant(srv: LoopbackServer, pages: int, variant: str) -> dict:
    """One measurement in a fresh process (the pool size is read at import)."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-prefetch-") as tmp:
        fill(Path(tmp), srv, pages)
        env = {**os.environ, "NEWSDESK_EXTRACT_WORKERS": "1" if variant == "thread" else variant}
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", tmp, "--variant", variant],
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"prefetch variant {variant} failed: {out.stderr[-2000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def bench_prefetch(
    pages: int = 1000, latency: float = 0.05, variants=VARIANTS, seed: int = 1
) -> list[dict]:
    feeds = _feeds_for(pages)
    with LoopbackServer(feeds=feeds, latency=latency, seed=seed) as srv:
        srv.warm([srv.page_url(n // PER_FEED, n % PER_FEED) for n in range(pages)])
        return [run_variant(srv, pages, v) for v in variants]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--pages", type=int, default=1000)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--variant", choices=VARIANTS, action="append")
    p.add_argument("--child", metavar="DATA_DIR", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print(json.dumps(asyncio.run(_run(Path(a.child), a.variant[0]))))
        return
    for result in bench_prefetch(a.pages, a.latency, a.variant or VARIANTS):
        print(json.dumps(result))


if __name__ == "__main__":
    main()

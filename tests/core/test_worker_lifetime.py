"""Worker processes die with the process that started them, and go away when idle.

A real `newsdesk refresh` in a subprocess, against the test server: it parses in the parse pool
and extracts in the extraction pool; one article page never answers, so the refresh is still
running when the test kills it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feedgen import rss
from server import sleep_forever

PAGE = (
    "<html><body><article><h1>T</h1>"
    + "<p>A paragraph of plain words. </p>" * 30
    + "</article></body></html>"
)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, out, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)  # polling a condition, not waiting a fixed time


def _articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles WHERE status = 'ok'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _subscribe(server, data_dir: Path, feeds: int) -> None:
    from tui.store import Store

    server.add("/hang.html", handler=sleep_forever)
    store = Store(data_dir / "newsdesk.db")
    for f in range(feeds):
        items = [
            {"title": f"Story {f}-{i}", "link": server.url(f"/p/{f}/{i}.html"), "guid": f"{f}-{i}"}
            for i in range(3)
        ]
        if f == 0:
            items.append({"title": "Never answers", "link": server.url("/hang.html"), "guid": "h"})
        for i in range(3):
            server.add(f"/p/{f}/{i}.html", PAGE, content_type="text/html; charset=utf-8")
        store.add_source(server.add(f"/f/{f}.xml", rss(f"Feed {f}", items)))
    store.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_no_worker_outlives_a_killed_refresh(server, data_dir, sig):
    _subscribe(server, data_dir, feeds=16)  # enough for the parse pool
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "refresh"],
        env={**os.environ, "NEWSDESK_POOL_IDLE": "600"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # mid-refresh: pages extracted (so both pools run), the hanging page still pending
        wait_for(lambda: _articles(data_dir / "newsdesk.db") >= 3, 60, "articles extracted")
        family = descendants(proc.pid)
        assert len(family) >= 3, family  # tracker, forkserver, workers
        proc.send_signal(sig)
        proc.wait(10)
        wait_for(lambda: not any(alive(p) for p in family), 10, f"workers to exit: {family}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_pool_exits_when_idle_and_starts_again_on_demand(monkeypatch):
    from tui.services import procpool

    monkeypatch.setattr(procpool, "IDLE_SECONDS", 0.2)
    pool = procpool.OnDemandPool(1)
    assert pool.submit(pow, 2, 10).result(30) == 1024
    workers = set(descendants(os.getpid()))
    assert workers
    wait_for(lambda: pool._pool is None, 30, "the idle pool to shut down")
    wait_for(lambda: not any(alive(p) for p in workers), 30, "idle workers and helpers to exit")
    assert pool.submit(pow, 3, 3).result(30) == 27  # and back on demand
    pool.shutdown()

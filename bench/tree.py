"""Part "tree": the reader's whole process tree (workers, forkserver and resource tracker
included), in tmux: its peak while the reader refreshes 200 feeds from the loopback server and
prefetches about 1,000 pages, and what is left once it has been idle past the pools' idle
timeout (procpool.IDLE_SECONDS)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from bench import paint
from bench.refresh_bench import subscribe_all


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            tree.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(name))
    return tree


def family(pid: int) -> list[int]:
    tree, out, todo = _children(), [pid], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kb(pid: int, path: str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_mb(pid: int) -> dict[str, float]:
    """Processes, summed RSS and summed PSS (shared pages split between sharers), in MB."""
    pids = family(pid)
    return {
        "processes": len(pids),
        "rss_mb": sum(_kb(p, "status", "VmRSS") for p in pids) / 1024,
        "pss_mb": sum(_kb(p, "smaps_rollup", "Pss") for p in pids) / 1024,
    }


def measure(data_dir: Path, feed_urls: list[str], idle: float, prefetching: int = 25) -> dict:
    """Run the reader until its refresh is done and the tree is back to one process."""
    subscribe_all(data_dir, feed_urls)
    quiet = "".join(f'[sources."{u}"]\nprefetch = false\n' for u in feed_urls[prefetching:])
    (data_dir / "config.toml").write_text("refresh_on_start = true\n" + quiet)
    env = {
        "TERM": "xterm-256color",
        "NEWSDESK_CONFIG": str(data_dir / "config.toml"),
        "NEWSDESK_POOL_IDLE": str(idle),
    }
    cmd = [c for c in paint.newsdesk_cmd(data_dir) if c != "--offline"]
    session = paint.start_session(cmd, env)
    try:
        pid = paint.session_pid(session)
        peak, start, last_change, seen = {"rss_mb": 0.0}, time.monotonic(), time.monotonic(), -1
        while time.monotonic() - start < 600:
            now = tree_mb(pid)
            if now["rss_mb"] > peak["rss_mb"]:
                peak = now
            count = _articles(data_dir / "newsdesk.db")
            if count != seen:
                seen, last_change = count, time.monotonic()
            idle_for = time.monotonic() - last_change
            screen = paint.tmux("capture-pane", "-p", "-t", session, check=False)
            busy = "refreshing" in screen or "articles" in screen
            if seen > 0 and not busy and now["processes"] == 1 and idle_for > idle + 2:
                break
            time.sleep(0.25)
        after = tree_mb(pid)
        screen = paint.tmux("capture-pane", "-p", "-t", session, check=False)
        return {
            "peak": peak,
            "idle": after,
            "articles": seen,
            "seconds": time.monotonic() - start,
            "alive": Path(f"/proc/{pid}").exists(),
            "screen": screen[-2000:],
        }
    finally:
        paint.stop_session(session)


def _articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return -1

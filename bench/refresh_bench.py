"""Part 1: refresh N feeds, cold and warm, newsdesk against newsboat in the same run.

newsdesk runs as `newsdesk refresh --json --no-articles` in a subprocess with its own data dir;
newsboat as `newsboat -x reload` with `reload-threads 8` and its own urls/cache/config. newsboat
2.21 sends no conditional GET until its third reload, so our warm run (all 304) is compared
with newsboat's third reload.

Three layouts: "hosts" (each feed on its own loopback address), "one-host" (every feed on
127.0.0.1 over HTTP/1.1) and "h2" (every feed on one HTTPS host speaking HTTP/2, bench/h2d.py;
newsboat is then measured on the one-host HTTP/1.1 server, as it is not given the test CA).
On one host the server counts the connections each newsdesk run opened.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.httpd import LoopbackServer
from bench.procs import Measured, run_measured
from bench.report import Row, ratio_row

NEWSDESK = [sys.executable, "-m", "tui"]


@dataclass
class RefreshResult:
    cold: list[Measured] = field(default_factory=list)
    warm: list[Measured] = field(default_factory=list)
    entries: int = 0  # entries stored by the cold run
    connections: list[dict] = field(default_factory=list)  # per run, from the server's count
    summary_cold: dict = field(default_factory=dict)
    summary_warm: dict = field(default_factory=dict)


def newsdesk_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_CONFIG": str(data_dir / "config.toml"),
        "XDG_DATA_HOME": str(data_dir / "xdg"),
        "XDG_CONFIG_HOME": str(data_dir / "xdg"),
    }


def subscribe_all(data_dir: Path, urls: list[str]) -> None:
    from tui.store import Store

    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / "newsdesk.db")
    with store.transaction() as db:
        db.executemany("INSERT INTO sources (url, added) VALUES (?, 0)", [(u,) for u in urls])
    store.close()


def run_newsdesk(urls: list[str], repeat: int, workdir: Path, srv=None) -> RefreshResult:
    """`repeat` times: a fresh cache, a cold refresh, then a warm one on the same cache."""
    out = RefreshResult()
    for n in range(repeat):
        data = workdir / f"newsdesk-{n}"
        subscribe_all(data, urls)
        env = {**newsdesk_env(data), **(srv.env if srv else {})}
        cmd = NEWSDESK + ["refresh", "--json", "--no-articles"]
        cold = _counted(srv, out, cmd, env)
        _check(cold, "newsdesk cold refresh")
        warm = _counted(srv, out, cmd, env)
        _check(warm, "newsdesk warm refresh")
        out.cold.append(cold)
        out.warm.append(warm)
        out.summary_cold, out.summary_warm = json.loads(cold.stdout), json.loads(warm.stdout)
        with sqlite3.connect(data / "newsdesk.db") as db:
            out.entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    return out


def _counted(srv, out: RefreshResult, cmd: list[str], env: dict[str, str]) -> Measured:
    """Run, and when the server is one host, record how many connections the run opened."""
    if srv is None:
        return run_measured(cmd, env=env)
    srv.stats(reset=True)
    measured = run_measured(cmd, env=env)
    out.connections.append(srv.stats())
    return measured


def _check(m: Measured, what: str) -> None:
    if m.returncode != 0:
        raise RuntimeError(f"{what} exited {m.returncode}: {m.stderr[-2000:]}")


def newsboat_available() -> bool:
    return shutil.which("newsboat") is not None


def run_newsboat(urls: list[str], repeat: int, workdir: Path) -> RefreshResult:
    """`repeat` times: fresh cache, reloads 1 (cold), 2, 3 (warm: conditional GETs, all 304)."""
    out = RefreshResult()
    for n in range(repeat):
        home = workdir / f"newsboat-{n}"
        home.mkdir(parents=True)
        (home / "urls").write_text("".join(u + "\n" for u in urls))
        (home / "config").write_text("reload-threads 8\nshow-read-feeds yes\n")
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "xdg"),
            "XDG_CONFIG_HOME": str(home / "xdg"),
            "TERM": "xterm",
        }
        cmd = [
            "newsboat",
            "-x",
            "reload",
            "-u",
            str(home / "urls"),
            "-c",
            str(home / "cache.db"),
            "-C",
            str(home / "config"),
        ]
        runs = [run_measured(cmd, env=env, cwd=str(home)) for _ in range(3)]
        for i, m in enumerate(runs):
            _check(m, f"newsboat reload {i + 1}")
        out.cold.append(runs[0])
        out.warm.append(runs[2])
        with sqlite3.connect(home / "cache.db") as db:
            out.entries = db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0]
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs)


LAYOUTS = {
    # layout: (row key prefix, label, cold target, warm target)
    "hosts": ("refresh", "each on its own host", 0.35, 0.30),
    "one-host": ("refresh.one_host", "one host, HTTP/1.1", 0.8, 0.8),
    "h2": ("refresh.h2", "one host, HTTP/2 + TLS", 0.8, 0.8),
}
MAX_CONNECTIONS = 6


def _servers(layout: str, feeds: int, latency: float, seed: int, tmp: Path, stack):
    """(server newsdesk fetches from, server newsboat fetches from)."""
    if layout == "hosts":
        srv = stack.enter_context(LoopbackServer(feeds=feeds, latency=latency, seed=seed))
        return srv, srv
    plain = stack.enter_context(
        LoopbackServer(feeds=feeds, latency=latency, seed=seed, one_host=True)
    )
    if layout == "one-host":
        return plain, plain
    from bench.h2d import H2Server

    return stack.enter_context(H2Server(tmp / "ca", feeds, latency, seed)), plain


def bench_refresh(
    feeds: int = 200,
    latency: float = 0.05,
    repeat: int = 3,
    newsboat: bool = True,
    seed: int = 1,
    layout: str = "hosts",
) -> tuple[list[Row], dict]:
    from contextlib import ExitStack

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsdesk-bench-")))
        srv, nb_srv = _servers(layout, feeds, latency, seed, tmp, stack)
        urls = [srv.feed_url(i) for i in range(feeds)]
        srv.warm(urls)  # build every document before anything is timed
        ours = run_newsdesk(urls, repeat, tmp, srv if layout != "hosts" else None)
        theirs = None
        if newsboat:
            nb_urls = [nb_srv.feed_url(i) for i in range(feeds)]
            nb_srv.warm(nb_urls)
            theirs = run_newsboat(nb_urls, repeat, tmp)
    return _rows(ours, theirs, feeds, latency, layout), {
        "newsdesk_cold": ours.summary_cold,
        "newsdesk_warm": ours.summary_warm,
        "connections": ours.connections,
    }


def _rows(ours: RefreshResult, theirs, feeds: int, latency: float, layout: str) -> list[Row]:
    prefix, where, cold_limit, warm_limit = LAYOUTS[layout]
    rows: list[Row] = []
    label = f"{feeds} feeds @ {latency * 1000:g} ms" + ("" if layout == "hosts" else f", {where}")
    for phase, limit in (("cold", cold_limit), ("warm", warm_limit)):
        mine = getattr(ours, phase)
        ref = getattr(theirs, phase) if theirs else None
        ref_name = "newsboat" + (" 3rd reload" if phase == "warm" else "")
        rows.append(
            ratio_row(
                f"{prefix}.{phase}",
                f"refresh {phase}, {label}",
                median([m.seconds for m in mine]),
                median([m.seconds for m in ref]) if ref else None,
                ref_name,
                limit,
                runs=[m.seconds for m in mine],
                reference_runs=[m.seconds for m in ref or []],
            )
        )
        rows.append(
            Row(
                f"{prefix}.{phase}.memory",
                f"refresh {phase}: peak RSS" + ("" if layout == "hosts" else f", {where}"),
                f"{max(m.peak_mb for m in mine):.0f} MB",
                f"newsboat {max(m.peak_mb for m in ref):.0f} MB" if ref else "newsboat: n/a",
                data={
                    "ours": max(m.peak_mb for m in mine),
                    "reference": max(m.peak_mb for m in ref) if ref else None,
                },
            )
        )
    if ours.connections:
        most = max(c["accepted"] for c in ours.connections)
        rows.append(
            Row(
                f"{prefix}.connections",
                f"connections to the host per refresh, {where}",
                f"{most} (most in one run)",
                "",
                f"≤ {MAX_CONNECTIONS}",
                most <= MAX_CONNECTIONS,
                {"runs": ours.connections},
            )
        )
    if layout == "hosts":
        rows.append(
            Row(
                "refresh.entries",
                "refresh cold: entries stored",
                str(ours.entries),
                f"newsboat {theirs.entries}" if theirs else "",
                data={
                    "ours": ours.entries,
                    "summary_cold": ours.summary_cold,
                    "summary_warm": ours.summary_warm,
                },
            )
        )
        # one story once and arrival rules run inside the refresh: their share of the cold run
        grouping = float(ours.summary_cold.get("stories_seconds", 0.0))
        share = grouping / max(float(ours.summary_cold.get("seconds", 0.0)), 1e-9)
        rows.append(
            Row(
                "refresh.stories",
                "refresh cold: stories and rules (share of the run)",
                f"{grouping:.2f} s ({share:.0%})",
                target="≤ 10%",
                passed=share <= 0.10,
                data={"seconds": grouping, "share": share},
            )
        )
    return rows

"""Part 1: refresh N feeds, cold and warm, newsdesk against newsboat in the same run.

newsdesk runs as `newsdesk refresh --json --no-articles` in a subprocess with its own data dir;
newsboat as `newsboat -x reload` with `reload-threads 8` and its own urls/cache/config. newsboat
2.21 sends no conditional GET until its third reload, so our warm run (all 304) is compared
with newsboat's third reload.
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


def run_newsdesk(urls: list[str], repeat: int, workdir: Path) -> RefreshResult:
    """`repeat` times: a fresh cache, a cold refresh, then a warm one on the same cache."""
    out = RefreshResult()
    for n in range(repeat):
        data = workdir / f"newsdesk-{n}"
        subscribe_all(data, urls)
        env = newsdesk_env(data)
        cmd = NEWSDESK + ["refresh", "--json", "--no-articles"]
        cold = run_measured(cmd, env=env)
        _check(cold, "newsdesk cold refresh")
        warm = run_measured(cmd, env=env)
        _check(warm, "newsdesk warm refresh")
        out.cold.append(cold)
        out.warm.append(warm)
        out.summary_cold, out.summary_warm = json.loads(cold.stdout), json.loads(warm.stdout)
        with sqlite3.connect(data / "newsdesk.db") as db:
            out.entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    return out


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


def bench_refresh(
    feeds: int = 200, latency: float = 0.05, repeat: int = 3, newsboat: bool = True, seed: int = 1
) -> tuple[list[Row], dict]:
    rows: list[Row] = []
    with (
        LoopbackServer(feeds=feeds, latency=latency, seed=seed) as srv,
        tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp,
    ):
        urls = [srv.feed_url(i) for i in range(feeds)]
        srv.warm(urls)  # build every document before anything is timed
        ours = run_newsdesk(urls, repeat, Path(tmp))
        theirs = run_newsboat(urls, repeat, Path(tmp)) if newsboat else None
    label = f"{feeds} feeds @ {latency * 1000:g} ms"
    for phase in ("cold", "warm"):
        mine = getattr(ours, phase)
        ref = getattr(theirs, phase) if theirs else None
        ref_name = "newsboat" + (" 3rd reload" if phase == "warm" else "")
        rows.append(
            ratio_row(
                f"refresh.{phase}",
                f"refresh {phase}, {label}",
                median([m.seconds for m in mine]),
                median([m.seconds for m in ref]) if ref else None,
                ref_name,
                0.5,
                runs=[m.seconds for m in mine],
                reference_runs=[m.seconds for m in ref or []],
            )
        )
        rows.append(
            Row(
                f"refresh.{phase}.memory",
                f"refresh {phase}: peak RSS",
                f"{max(m.peak_mb for m in mine):.0f} MB",
                f"newsboat {max(m.peak_mb for m in ref):.0f} MB" if ref else "newsboat: n/a",
                data={
                    "ours": max(m.peak_mb for m in mine),
                    "reference": max(m.peak_mb for m in ref) if ref else None,
                },
            )
        )
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
    detail = {"newsdesk_cold": ours.summary_cold, "newsdesk_warm": ours.summary_warm}
    return rows, detail

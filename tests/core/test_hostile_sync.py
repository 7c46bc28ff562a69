"""Syncs that end, whatever the server does (issue 20, holes 2-6).

Each sync runs as `newsdesk sync` in a child process, as cron would, against a misbehaving
tt-rss API on 127.0.0.1 (tests/hostile/ttrss_api.py) or the Google Reader contract server; a
child that never ends fails its test with TimeoutExpired instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from greader_server import GReaderServer
from hostile.harness import record
from hostile.ttrss_api import Behaviour, HostileTtrss, article

from tui.settings.accounts import PasswordError, run_password_command

ROOT = Path(__file__).resolve().parents[2]
# The child prints its own peak memory after the command: VmHWM, its own address space's high
# water mark (ru_maxrss would include the RSS of the parent it was forked from, this pytest).
CHILD = (
    "import sys\n"
    "from tui.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "peak = int(hwm.split()[1]) // 1024\n"
    "print(f'PEAK_MB={peak} CODE={code}', file=sys.stderr)\n"
)


def configure(tmp_path: Path, url: str, kind: str = "ttrss", extra: str = "") -> None:
    (tmp_path / "config.toml").write_text(
        f'{extra}[accounts.agg]\ntype = "{kind}"\nurl = "{url}"\nuser = "alice"\n'
    )


def newsdesk(*argv: str, timeout: float = 90, password: str = "secret") -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDESK_PASSWORD_AGG": password}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *argv, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )
    assert "CODE=0" in done.stderr, done.stderr
    return json.loads(done.stdout), done.stderr


def peak_mb(stderr: str) -> int:
    return int(stderr.split("PEAK_MB=")[1].split()[0])


def entries(tmp_path: Path) -> int:
    import sqlite3

    db = sqlite3.connect(tmp_path / "data" / "newsdesk.db")
    return int(db.execute("SELECT COUNT(*) FROM entries WHERE account = 'agg'").fetchone()[0])


# -- 2: bounded by requests and time --------------------------------------------------------


def test_server_ignoring_skip_ends_the_sync_at_the_first_repeated_page(tmp_path):
    """Before: full pages of seen ids for ever (1,046+ requests a minute), the lock held."""
    rows = [article(i) for i in range(1, 451)]
    with HostileTtrss(Behaviour(rows=rows, ignore_skip=True)) as srv:
        configure(tmp_path, srv.url)
        started = time.monotonic()
        data, _ = newsdesk("sync")
        pages = srv.count("getHeadlines")
        record("tt-rss ignoring skip", seconds=time.monotonic() - started, requests=pages)
        assert data["accounts"][0]["error"] is None
        assert srv.count("getHeadlines") <= 6  # two pages a listing: entries, unread, starred
    assert entries(tmp_path) == 200  # the page it could get is kept


def test_endless_server_is_stopped_by_the_time_budget_and_named(tmp_path):
    """A server that always has another full page of new ids: the sync stops inside
    refresh_budget, says which account and why, and keeps what came."""
    # every page holds 200 new ids, far more pages than any run can read
    behaviour = Behaviour(rows=[article(i) for i in range(1, 200_001)])
    with HostileTtrss(behaviour) as srv:
        configure(tmp_path, srv.url, extra="refresh_budget = 3\n")
        started = time.monotonic()
        data, _ = newsdesk("refresh", timeout=120)
        took = time.monotonic() - started
        record("tt-rss endless paging, budget 3 s", seconds=took)
        (account,) = data["accounts"]
        assert account["name"] == "agg" and "refresh_budget" in account["error"]
    assert entries(tmp_path) > 0  # what came is kept


# -- 3: one poison entry ----------------------------------------------------------------------


def test_ttrss_poison_times_are_clamped_per_entry(tmp_path):
    rows = [article(i) for i in range(1, 301)]
    rows[4]["updated"] = 10**400
    rows[9]["updated"] = float("nan")
    rows[14]["updated"] = "yesterday"
    with HostileTtrss(Behaviour(rows=rows)) as srv:
        configure(tmp_path, srv.url)
        for _ in range(2):
            data, _ = newsdesk("sync")
            assert data["accounts"][0]["error"] is None
    record("tt-rss poison updated", lost=300 - entries(tmp_path))
    assert entries(tmp_path) == 300  # before: 0 of 300, every sync


def test_greader_poison_published_is_clamped_per_entry(tmp_path, monkeypatch):
    import greader_server

    with GReaderServer() as srv:
        feed = srv.add_feed("Feed")
        ids = srv.add_items(feed, 300)
        poison = {ids[3]: float("nan"), ids[8]: 10**400, ids[12]: -1e300}
        item = greader_server.Handler._item

        def poisoned(handler, i):  # the answer carries the poison; the server's own state not
            out = item(handler, i)
            if i.id in poison:
                out["published"] = poison[i.id]
            return out

        monkeypatch.setattr(greader_server.Handler, "_item", poisoned)
        configure(tmp_path, srv.url, kind="greader")
        data, _ = newsdesk("sync")
        assert data["accounts"][0]["error"] is None
    record("greader poison published", lost=300 - entries(tmp_path))
    assert entries(tmp_path) == 300


# -- 4: memory, not only bytes ----------------------------------------------------------------


def test_json_of_millions_of_empty_objects_is_refused_with_memory_bounded(tmp_path):
    """30 MB of `[{},{},...]` (under the old 64 MB cap) took the process past 800 MB."""
    body = b'{"seq": 0, "status": 0, "content": [' + b"{}," * 10_000_000 + b"{}]}"
    with HostileTtrss(Behaviour(rows=[article(1)], headlines_body=body)) as srv:
        configure(tmp_path, srv.url)
        data, stderr = newsdesk("sync")
    error = data["accounts"][0]["error"]
    record("json amplification 30 MB", peak_mb=peak_mb(stderr))
    assert "JSON values" in error or "larger than" in error
    # ~135 MB measured (45 MB for a sync of one entry); before: past 800 MB
    assert peak_mb(stderr) < 300, stderr


# -- 5: password_command ------------------------------------------------------------------------


def test_password_command_printing_without_end_is_cut_at_a_few_kb():
    huge = f"{sys.executable} -c \"import sys; sys.stdout.write('x' * 50_000_000)\""
    with pytest.raises(PasswordError, match="more than 4096 bytes without a newline"):
        run_password_command(huge)
    started = time.monotonic()
    assert run_password_command("yes hunter2") == "hunter2"  # first line, then it is stopped
    record("password_command `yes`", seconds=time.monotonic() - started)


def test_password_command_sees_no_account_password(monkeypatch):
    monkeypatch.setenv("NEWSDESK_PASSWORD_OTHER", "not yours")
    monkeypatch.setenv("HOME_MARKER", "kept")
    show = (
        f'{sys.executable} -c "import os; print(sorted(k for k in os.environ '
        "if k.startswith(('NEWSDESK_PASSWORD', 'HOME_MARKER'))))\""
    )
    assert run_password_command(show) == "['HOME_MARKER']"


# -- 6: one sync per cache ------------------------------------------------------------------------


def test_second_sync_process_waits_out_the_first_instead_of_overlapping(tmp_path):
    """Before: two syncs at once, and the older comparison turned 25 of 25 marks unread."""
    gate = threading.Event()
    with HostileTtrss(Behaviour(rows=[article(i) for i in range(1, 26)], login_gate=gate)) as srv:
        configure(tmp_path, srv.url)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDESK_PASSWORD_AGG": "secret"}
        first = subprocess.Popen(
            [sys.executable, "-m", "tui", "sync", "--json"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while srv.count("login") < 1 and time.monotonic() < deadline:
                time.sleep(0.05)  # polling for the first sync to reach the server
            assert srv.count("login") == 1
            second, _ = newsdesk("sync")
            assert second == {"running": True, "message": second["message"]}
            assert "sync of this cache is already running" in second["message"]
            refresh, _ = newsdesk("refresh")
            assert "already running" in refresh["accounts"][0]["error"]
            assert srv.count("login") == 1  # neither of them talked to the server
        finally:
            gate.set()
            out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
        assert json.loads(out)["accounts"][0]["error"] is None

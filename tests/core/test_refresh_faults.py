"""A refresh run is bounded and stops cleanly: a time budget for the whole run, a shorter
deadline for hosts that timed out before, Ctrl-C within seconds saying what was kept, and
maintenance that skips VACUUM when the disk is short."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from feedgen import rss
from hostile.pages import slow

from tui.cli.main import main
from tui.services.context import Context
from tui.services.slow_hosts import SHORT_DEADLINE, SlowHosts

ROOT = Path(__file__).resolve().parents[2]
NOW = time.time()


def subscribe_all(tmp_path, urls: list[str]) -> None:
    (tmp_path / "urls").write_text("\n".join(urls) + "\n")
    assert main(["import", str(tmp_path / "urls")]) == 0


def held(gate: threading.Event):
    def handler(h) -> None:
        gate.wait(30)
        h._send(
            200, rss("Late", [{"title": "late", "guid": "late"}]).encode(), "application/rss+xml"
        )

    return handler


def test_run_budget_reports_sources_not_reached(server, tmp_path, capsys, private_paths):
    gate = threading.Event()
    good = [
        server.add(f"/ok{i}.xml", rss(f"Ok{i}", [{"title": "t", "guid": f"g{i}"}]))
        for i in range(2)
    ]
    stuck = server.add("/stuck.xml", handler=held(gate))
    subscribe_all(tmp_path, [*good, stuck])
    (private_paths / "config.toml").write_text("refresh_budget = 1.0\n")
    capsys.readouterr()
    try:
        assert main(["refresh", "--json", "--no-articles"]) == 0
    finally:
        gate.set()
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] == 2 and data["skipped"] == 1
    (err,) = data["errors"]
    assert err["source"] == stuck and "budget" in err["error"]


def test_a_host_that_timed_out_gets_a_shorter_deadline(server, tmp_path, capsys, private_paths):
    gate = threading.Event()
    stuck = server.add("/stuck.xml", handler=held(gate))
    subscribe_all(tmp_path, [stuck])
    (private_paths / "config.toml").write_text("deadline = 0.5\n")
    try:
        assert main(["refresh", "--json", "--no-articles"]) == 0
    finally:
        gate.set()
    store = Context().store()
    slow_hosts = SlowHosts.load(store)
    assert "127.0.0.1" in slow_hosts.until
    assert slow_hosts.deadline("127.0.0.1", 60.0) == SHORT_DEADLINE
    assert slow_hosts.deadline("example.org", 60.0) == 60.0
    # the host answers in time again: forgiven
    server.add("/stuck.xml", rss("Back", [{"title": "t", "guid": "g"}]))
    assert main(["refresh", "--json", "--no-articles"]) == 0
    assert "127.0.0.1" not in SlowHosts.load(Context().store()).until


def test_ctrl_c_stops_at_once_and_says_what_was_kept(server, tmp_path):
    """SIGINT while pages are being fetched and a long extraction runs in a worker."""
    gate = threading.Event()
    page = slow()
    runaway = server.add("/runaway.html", page["body"], content_type=page["content_type"])

    def held_page(h) -> None:
        gate.wait(30)
        h._send(200, b"<html><body><p>late</p></body></html>", "text/html")

    items = [{"title": "runaway", "guid": "r", "link": runaway, "date": NOW}]
    for i in range(3):
        link = server.add(f"/held{i}.html", handler=held_page)
        items.append({"title": f"held {i}", "guid": f"h{i}", "link": link, "date": NOW - i - 1})
    subscribe_all(tmp_path, [server.add("/feed.xml", rss("Feed", items))])
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "refresh"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while busiest_descendant_cpu(proc.pid) < 0.5 and time.monotonic() < deadline:
            time.sleep(0.05)  # polling until a worker is deep in the runaway extraction
        assert busiest_descendant_cpu(proc.pid) >= 0.5
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)  # a hang fails here
    finally:
        gate.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted; kept 4 new entries" in err
    deadline = time.monotonic() + 10
    while worker_alive(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not worker_alive(tmp_path)


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields after the command name


def descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, p in parents.items() if p == pid]
        found += kids
        frontier += kids
    return found


def busiest_descendant_cpu(root: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = [int(f[11]) / ticks for pid in descendants(root) if (f := _stat(pid))]
    return max(cpu, default=0.0)


def worker_alive(tmp_path) -> bool:
    """An extraction worker of that run still running (workers are children of the
    forkserver, so they outlive their parent unless stopped)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes()
        except OSError:
            continue
        fields = _stat(int(entry.name))
        if str(tmp_path).encode() in env and fields and fields[0] not in ("Z", "X"):
            return True
    return False


def test_vacuum_skipped_when_the_disk_is_short(tmp_path, monkeypatch):
    import shutil

    from tui.store import Store
    from tui.store.retention import VACUUM_EVERY, vacuum_if_due

    store = Store(tmp_path / "c.db")
    assert vacuum_if_due(store, now=1000.0) is False  # starts the clock
    real = shutil.disk_usage
    monkeypatch.setattr(
        "tui.store.retention.shutil.disk_usage",
        lambda p: real(p)._replace(free=store.path.stat().st_size),  # room for less than a copy
    )
    due = 1000.0 + VACUUM_EVERY + 1
    assert vacuum_if_due(store, now=due) is False
    assert store.meta("last_vacuum") == "1000.0"  # not counted as done: tried again next time
    monkeypatch.setattr("tui.store.retention.shutil.disk_usage", real)
    assert vacuum_if_due(store, now=due) is True

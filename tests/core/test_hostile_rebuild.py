"""Rebuilding a damaged cache never loses what it holds, whenever it is killed, and reading a
damaged file is bounded by its real size, whatever its header claims."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hostile.harness import record
from test_core_faults import checkpoint, db_file, filled

from tui.cli.main import main
from tui.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
        "NEWSDESK_CONFIG": str(tmp_path / "config.toml"),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _damage(path: Path) -> None:
    """Bands of garbage in the second half: the file opens, the integrity check fails."""
    data = bytearray(path.read_bytes())
    for off in range(len(data) // 2, len(data), 8192):
        data[off : off + 256] = b"\xff" * 256
    path.write_bytes(bytes(data))


def _state(path: Path) -> set[tuple]:
    db = sqlite3.connect(path)
    try:
        return set(db.execute("SELECT key, read, starred FROM entries"))
    finally:
        db.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)  # polling a condition, not a fixed wait
    return False


def test_killed_rebuild_keeps_the_damaged_cache_and_resumes(server, capsys, data_dir, tmp_path):
    filled(server, capsys, n_feeds=3, n_items=700)  # 2,100 entries: several batches
    path = db_file(data_dir)
    checkpoint(path)
    _damage(path)
    # what an uninterrupted rebuild keeps, from a copy of the same damaged file
    reference = tmp_path / "ref" / "newsdesk.db"
    reference.parent.mkdir()
    reference.write_bytes(path.read_bytes())
    ref = Store(reference)
    assert ref.repair() and "rebuilt with 3 sources" in (ref.recovered or "")
    expected = _state(reference)
    ref.close()
    assert len(expected) > 1000 and any(s for _k, _r, s in expected)
    damaged_sha = _sha(path)

    flag = tmp_path / "paused"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "check"],
        env=_env(tmp_path, NEWSDESK_TEST_REBUILD_PAUSE=str(flag)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert _wait_for(flag.exists), proc.communicate(timeout=5)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    # killed half way: the cache is still the damaged original, nothing was swapped in
    assert _sha(path) == damaged_sha
    assert list(data_dir.glob("newsdesk.db.damaged-*"))
    assert (data_dir / "newsdesk.db.rebuild.json").exists()

    capsys.readouterr()
    assert main(["sources", "--json"]) == 0  # the next open starts the rebuild over
    err = capsys.readouterr().err
    assert "rebuilt with 3 sources" in err, err
    after = _state(path)
    record("rebuild killed half way", lost=len(expected - after), seconds=0, code=0)
    assert after == expected  # every entry and star an uninterrupted rebuild keeps
    assert not (data_dir / "newsdesk.db.rebuild.json").exists()
    assert not (data_dir / "newsdesk.db.rebuild").exists()
    assert main(["check"]) == 0
    assert "is fine" in capsys.readouterr().out


def test_interrupted_swap_is_finished_at_the_next_open(server, capsys, data_dir):
    """Killed after the new file was complete but before it took the damaged one's name."""
    filled(server, capsys, n_feeds=1, n_items=20)
    path = db_file(data_dir)
    checkpoint(path)
    good = _state(path)
    complete = data_dir / "newsdesk.db.rebuilt"
    complete.write_bytes(path.read_bytes())  # the finished rebuild
    path.write_bytes(os.urandom(path.stat().st_size))  # still the damaged original
    (data_dir / "newsdesk.db.rebuild.json").write_text(
        f'{{"damaged": "newsdesk.db.damaged-x", "inode": {path.stat().st_ino}}}'
    )
    store = Store(path)
    assert "finished rebuilding" in (store.recovered or "")
    store.close()
    assert _state(path) == good and not complete.exists()


def _huge_claim(path: Path) -> None:
    """A 1 MB cache with 65,536-byte pages (stored as 1) whose header claims 2^32-1 pages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 65536")
    db.execute("CREATE TABLE sources (id INTEGER PRIMARY KEY, url TEXT)")
    db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, t TEXT)")
    db.executemany("INSERT INTO entries (t) VALUES (?)", [("x" * 900,) for _ in range(1000)])
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    assert int.from_bytes(data[16:18], "big") == 1 and 900_000 < len(data) < 1_300_000
    data[28:32] = (2**32 - 1).to_bytes(4, "big")
    path.write_bytes(bytes(data))


PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a runaway fails, not the machine
from tui.cli.main import main
code = main(["check"])
# VmHWM, not ru_maxrss: Linux keeps the forking parent's peak in ru_maxrss across exec
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print("RSS_KB", hwm, "CODE", code)
"""


def test_recovery_memory_and_disk_are_bounded_by_the_real_file(tmp_path):
    path = tmp_path / "data" / "newsdesk.db"
    _huge_claim(path)
    size = path.stat().st_size
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "RSS_KB" in done.stdout, done.stderr[-2000:]
    words = done.stdout.split()
    rss_mb = int(words[words.index("RSS_KB") + 1]) / 1024
    used = sum(p.stat().st_size for p in path.parent.iterdir() if p.is_file())
    record("recovery of a 1 MB file claiming 2^32 pages", seconds=0, lost=0, rss_mb=round(rss_mb))
    assert rss_mb < 200, rss_mb
    assert used < 4 * size + 10_000_000, used  # the damaged file, its copy, the new cache
    assert "cache was damaged" in done.stdout, done.stdout

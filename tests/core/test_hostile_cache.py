"""A cache file that is not newsdesk's, and a cache on a read-only mount."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from feedgen import rss
from hostile.harness import record

from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("argv", [["sources"], ["headlines"], ["refresh"], ["check"]])
def test_another_apps_database_is_refused_and_left_alone(data_dir, capsys, argv):
    data_dir.mkdir()
    path = data_dir / "newsdesk.db"
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        db.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    db.close()
    before = _sha(path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    record(f"another app's database: {argv[0]}", code=1)
    assert "is not a newsdesk cache" in err and "moz_places" in err, err
    assert _sha(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["newsdesk.db"]  # no -wal, no copy


def _can_mount_read_only(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind {probe} {probe} && "
            f"mount -o remount,bind,ro {probe} && ! touch {probe}/x",
        ],
        capture_output=True,
    )
    return done.returncode == 0


READER = """
import asyncio, json
from tui.services.context import Context
from tui.ui.app import make_app

async def main():
    app = make_app(Context(), offline=False)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        rows = app.query_one("HeadlineList").count
        said = [str(n.message) for n in app._notifications]
        print(json.dumps({"sub_title": app.sub_title, "rows": rows, "said": said}))

asyncio.run(main())
"""


def test_cache_on_a_read_only_mount_is_read(server, tmp_path, capsys, data_dir):
    if not _can_mount_read_only(tmp_path):
        pytest.skip("cannot make a read-only bind mount here (needs unshare -m)")
    url = server.add(
        "/f.xml", rss("F", [{"title": f"Story {i}", "guid": f"s{i}"} for i in range(5)])
    )
    assert main(["add", url]) == 0
    before = _sha(data_dir / "newsdesk.db")
    (tmp_path / "reader.py").write_text(READER)
    py = sys.executable
    script = (
        f"mount --bind {data_dir} {data_dir} && mount -o remount,bind,ro {data_dir} && "
        f"{py} -m tui headlines --json > {tmp_path}/headlines.json 2> {tmp_path}/headlines.err; "
        f"echo $? > {tmp_path}/headlines.rc; "
        f"{py} -m tui sources > {tmp_path}/sources.txt 2>&1; echo $? > {tmp_path}/sources.rc; "
        f"{py} -m tui refresh > {tmp_path}/refresh.txt 2>&1; echo $? > {tmp_path}/refresh.rc; "
        f"{py} {tmp_path}/reader.py > {tmp_path}/reader.json 2> {tmp_path}/reader.err; "
        f"echo $? > {tmp_path}/reader.rc"
    )
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_CONFIG": str(tmp_path / "config.toml"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, cwd=ROOT, timeout=120)
    read = lambda name: (tmp_path / name).read_text()  # noqa: E731
    assert read("headlines.rc").strip() == "0", read("headlines.err")
    assert len(json.loads(read("headlines.json"))) == 5
    assert "read-only" in read("headlines.err")
    assert read("sources.rc").strip() == "0", read("sources.txt")
    assert "F" in read("sources.txt")
    assert read("refresh.rc").strip() == "1" and "read-only" in read("refresh.txt")
    assert read("reader.rc").strip() == "0", read("reader.err")[-2000:]
    reader = json.loads(read("reader.json"))
    record("cache on a read-only mount", code=0)
    assert reader["rows"] == 5 and reader["sub_title"] == "read-only cache", reader
    assert any("read-only" in s for s in reader["said"]), reader
    assert _sha(data_dir / "newsdesk.db") == before

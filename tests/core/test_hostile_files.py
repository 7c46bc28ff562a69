"""Files no one else can aim (issue 20, holes 7-8).

7: another process swaps a rebuilt cache in (what `check` does to a damaged one) while a reader
   holds the cache open: the reader's later marks go to the new file, none to the old one.
8: another user plants symlinks in a data directory they can write: newsdesk opens none of its
   files through them. The other user is `nobody` via setpriv, so these tests need root (CI
   runs as root); elsewhere they skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile.harness import record
from ui_helpers import items, subscribe

from tui.cli.main import main
from tui.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
AS_ROOT = os.geteuid() == 0 and shutil.which("setpriv") is not None
needs_root = pytest.mark.skipif(
    not AS_ROOT, reason="needs root and setpriv to act as another user (nobody); CI runs as root"
)


def test_marks_after_another_process_swaps_the_cache_go_to_the_new_file(server, data_dir):
    subscribe(server, "/feed.xml", "Six", items(server, 6))
    path = data_dir / "newsdesk.db"
    reader = Store(path)  # the reader's open cache
    ids = [r[0] for r in reader.query("SELECT id FROM entries ORDER BY id")]
    reader.set_starred(ids[0], True)
    swap = (
        "import sys; from pathlib import Path; from tui.store import Store; "
        "from tui.store.rebuild import rebuild; rebuild(Path(sys.argv[1]), Store)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", swap, str(path)], check=True, env=env, timeout=120)
    assert list(data_dir.glob("newsdesk.db.damaged-*"))  # the old file lives on under that name
    for entry_id in ids[1:]:
        reader.set_starred(entry_id, True)
    assert reader.query("SELECT COUNT(*) FROM entries WHERE starred = 1")[0][0] == 6
    reader.close()
    on_disk = sqlite3.connect(path).execute("SELECT COUNT(*) FROM entries WHERE starred = 1")
    stars = on_disk.fetchone()[0]
    record("marks after a cache swap", lost=6 - stars)
    assert stars == 6  # before: the five made after the swap went to the .damaged-* file


# -- 8: another user's symlinks ---------------------------------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A data directory others may write (0777, no sticky bit), reachable by nobody."""
    top = Path(tempfile.mkdtemp(prefix="newsdesk-shared-", dir="/tmp"))
    top.chmod(0o755)
    data = top / "data"
    data.mkdir()
    data.chmod(0o777)
    yield data
    shutil.rmtree(top, ignore_errors=True)


def as_nobody(*argv: str) -> None:
    subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv],
        check=True,
        timeout=30,
    )


def victim(shared: Path) -> Path:
    target = shared.parent / "victim.txt"
    target.write_text("twenty-eight bytes of a file")
    return target


@needs_root
def test_planted_refresh_lock_symlink_truncates_nothing(shared_dir, capsys, monkeypatch):
    target = victim(shared_dir)
    as_nobody("ln", "-s", str(target), str(shared_dir / "refresh.lock"))
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(shared_dir))
    assert main(["refresh"]) == 1
    err = capsys.readouterr().err
    record("refresh.lock symlink", victim_bytes=target.stat().st_size)
    assert target.stat().st_size == 28  # before: truncated to 0
    assert "refresh.lock is a symbolic link: refused" in err
    assert "writable by other users" in err


@needs_root
def test_planted_dangling_cache_symlink_creates_nothing(shared_dir, capsys, monkeypatch):
    chosen = shared_dir.parent / "chosen.db"
    as_nobody("ln", "-s", str(chosen), str(shared_dir / "newsdesk.db"))
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(shared_dir))
    assert main(["sources"]) == 1
    assert "newsdesk.db is a symbolic link: refused" in capsys.readouterr().err
    assert not chosen.exists()  # before: a root-owned database at a path nobody chose


@needs_root
def test_planted_wal_and_rebuild_lock_symlinks_are_refused(shared_dir, monkeypatch):
    target = victim(shared_dir)
    as_nobody("ln", "-s", str(target), str(shared_dir / "newsdesk.db-wal"))
    with pytest.raises(StoreError, match="newsdesk.db-wal is a symbolic link"):
        Store(shared_dir / "newsdesk.db")
    os.unlink(shared_dir / "newsdesk.db-wal")
    as_nobody("ln", "-s", str(target), str(shared_dir / "newsdesk.db.rebuild.lock"))
    from tui.store.rebuild import rebuild

    with pytest.raises(StoreError, match="rebuild.lock is a symbolic link"):
        rebuild(shared_dir / "newsdesk.db", Store)
    assert target.read_text() == "twenty-eight bytes of a file"


# -- 13: a sparse 2 GB file with a SQLite header ---------------------------------------------


def test_sparse_damaged_cache_is_rebuilt_without_a_full_copy(data_dir, capsys):
    from tui.store.recovery import _sized_copy

    Store(data_dir / "newsdesk.db").close()
    header = (data_dir / "newsdesk.db").read_bytes()[:100]
    for side in data_dir.glob("newsdesk.db*"):
        side.unlink()
    sparse = data_dir / "newsdesk.db"
    with open(sparse, "wb") as f:  # a header, then 2 GB of hole
        f.write(header)
        f.truncate(2 * 1024**3 + 100)
    copy = _sized_copy(sparse)
    assert copy is not None
    on_disk = copy.stat().st_blocks * 512
    record("sparse 2 GB damaged cache: sized copy on disk", bytes=on_disk)
    assert copy.stat().st_size >= 2 * 1024**3 and on_disk < 16 * 1024**2  # before: 2 GB written
    copy.unlink()
    assert main(["sources"]) == 0  # rebuilt: one line says so, the damaged file is kept
    err = capsys.readouterr().err
    assert "damaged" in err and list(data_dir.glob("newsdesk.db.damaged-*"))

"""Machines in step through a shared folder: real caches, a real folder, the real sync code."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from peer_machines import FEEDS, SYNC_FOREVER, Machine, keys

from tui.cli.main import main
from tui.store import peers as registers
from tui.sync.peerfiles import SUFFIX, decode, encode, write_atomically
from tui.sync.peers import sync_folder

ROOT = Path(__file__).resolve().parents[2]


def sync(m: Machine, folder: Path) -> tuple[int, int, str]:
    return sync_folder(m.store, folder, "home")


def test_marks_made_apart_on_two_machines_all_arrive_and_both_agree(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    laptop, box = Machine(tmp_path, "laptop"), Machine(tmp_path, "box")
    sync(laptop, folder), sync(box, folder)  # both join (nothing marked yet)
    box.read(keys(0, [40]))
    sync(box, folder), sync(laptop, folder)
    laptop.read(keys(0, [40]), False)  # after the box's read came in: it wins
    laptop.read(keys(0, range(0, 30)))
    laptop.star(keys(1, [1, 2, 3]))
    box.read(keys(1, range(10, 40)))
    box.star(keys(0, [5]))
    for m in (laptop, box, laptop):
        assert sync(m, folder)[2] == ""
    assert laptop.state() == box.state()
    state = laptop.state()
    assert all(state[k][0] for k in keys(0, range(0, 30)) + keys(1, range(10, 40)))
    assert all(state[k][1] for k in keys(1, [1, 2, 3]) + keys(0, [5]))
    assert state[keys(0, [40])[0]] == (0, 0)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and all(n.endswith(SUFFIX) for n in names)  # one file each


def test_each_machine_writes_only_its_own_file(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    laptop, box = Machine(tmp_path, "laptop"), Machine(tmp_path, "box")
    sync(box, folder)
    (box_file,) = folder.iterdir()
    before = (box_file.read_bytes(), box_file.stat().st_mtime_ns)
    laptop.read(keys(0, [1]))
    sync(laptop, folder)
    assert (box_file.read_bytes(), box_file.stat().st_mtime_ns) == before


def test_three_machines_converge_whatever_order_they_sync_in(tmp_path: Path) -> None:
    for order in itertools.permutations(range(3)):
        root = tmp_path / "".join(map(str, order))
        root.mkdir()
        folder = root / "Sync"
        ms = [Machine(root, n, per_feed=10) for n in ("a", "b", "c")]
        for m in ms:
            sync(m, folder)
        ms[0].read(keys(0, range(0, 6)))
        ms[1].read(keys(0, range(3, 9)), True)
        ms[1].read(keys(0, [4]), False)  # b's unread of 4 comes after a's read
        ms[2].star(keys(0, [4, 7]))
        ms[2].read(keys(1, [2]))
        for i in order + order:
            sync(ms[i], folder)
        states = [m.state() for m in ms]
        assert states[0] == states[1] == states[2], order
        assert states[0][keys(0, [4])[0]] == (0, 1)


def test_a_change_made_after_syncing_in_wins_with_this_clock_an_hour_behind(tmp_path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    box = Machine(tmp_path, "box")
    sync(box, folder)
    # Another machine whose clock runs an hour ahead of this one marked two entries read.
    ahead = registers.now_ms() + 3600 * 1000
    x, y = keys(0, [1, 2])
    theirs = [(FEEDS[0], k, "read", 1, ahead, "a1" * 8) for k in (x, y)]
    box.read([y], False)  # made here *before* the other's change arrived: it loses
    write_atomically(folder, "a1" * 8 + SUFFIX, encode("a1" * 8, theirs))
    sync(box, folder)
    assert box.state()[y] == (1, 0)
    box.read([x], False)  # made here *after* syncing theirs in: it wins, an hour behind or not
    sync(box, folder)
    mine = {r[1]: r for r in decode((folder / f"{registers.clock(box.store)[0]}{SUFFIX}")
                                    .read_bytes(), "box")[1]}  # fmt: skip
    assert mine[x][3:5] == (0, mine[x][4]) and mine[x][4] > ahead
    third = Machine(tmp_path, "third")
    sync(third, folder)
    assert third.state()[x] == (0, 0) and third.state()[y] == (1, 0)


def test_subscriptions_follow_and_an_unsubscribe_too(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    laptop, box = Machine(tmp_path, "laptop"), Machine(tmp_path, "box")
    sync(laptop, folder), sync(box, folder)
    laptop.store.add_source("http://feeds.example.invalid/new.xml")
    sync(laptop, folder), sync(box, folder)
    assert "http://feeds.example.invalid/new.xml" in box.urls()
    box.store.remove_source(FEEDS[1])
    sync(box, folder), sync(laptop, folder)
    assert laptop.urls() == box.urls() and FEEDS[1] not in laptop.urls()


def test_a_mark_for_an_entry_not_fetched_here_yet_applies_when_it_arrives(tmp_path) -> None:
    folder = tmp_path / "Sync"
    laptop, box = Machine(tmp_path, "laptop", per_feed=20), Machine(tmp_path, "box", per_feed=10)
    sync(laptop, folder), sync(box, folder)
    laptop.read(keys(0, [15]))
    sync(laptop, folder), sync(box, folder)
    assert keys(0, [15])[0] not in box.state()
    from peer_machines import seed

    seed(box.store, 20)  # the next refresh brings it
    sync(box, folder)
    assert box.state()[keys(0, [15])[0]] == (1, 0)


def test_a_broken_file_is_refused_in_one_line_and_the_others_taken(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    laptop, box = Machine(tmp_path, "laptop"), Machine(tmp_path, "box")
    sync(laptop, folder)
    laptop.read(keys(0, [3]))
    sync(laptop, folder)
    (folder / ("0" * 16 + SUFFIX)).write_bytes(b"not gzip at all")
    (folder / "notes.txt").write_text("a conflict copy or a note: left alone")
    taken, _, refused = sync(box, folder)
    assert taken >= 1 and box.state()[keys(0, [3])[0]] == (1, 0)
    assert refused.startswith("0000000000000000.ndpeer: not a newsdesk peer file")
    assert "\n" not in refused


def test_marking_one_entry_many_times_keeps_one_register(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    laptop = Machine(tmp_path, "laptop")
    sync(laptop, folder)
    for n in range(40):
        laptop.read(keys(0, [1]), n % 2 == 0)
    sync(laptop, folder)
    (own,) = folder.iterdir()
    marks = [r[1:4] for r in decode(own.read_bytes(), "own")[1] if r[2] != "sub"]
    assert marks == [(keys(0, [1])[0], "read", 0)]


def test_kill_9_in_the_middle_of_syncs_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    laptop, box = Machine(tmp_path, "laptop", per_feed=400), Machine(tmp_path, "box", per_feed=400)
    sync(laptop, folder), sync(box, folder)
    box.read(keys(0, range(0, 400)))
    box.star(keys(1, range(0, 50)))
    laptop.read(keys(1, range(100, 400)))
    sync(box, folder)
    laptop.store.close()
    for _ in range(3):  # killed wherever it happens to be: merging, writing its file, between
        proc = subprocess.Popen([sys.executable, "-c", SYNC_FOREVER, str(laptop.store.path),
                                 str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    laptop = Machine.__new__(Machine)
    from tui.store import Store

    laptop.store = Store(tmp_path / "laptop.db")
    for m in (laptop, box, laptop):
        assert sync(m, folder)[2] == ""
    assert laptop.state() == box.state()
    state = laptop.state()
    assert all(state[k][0] for k in keys(0, range(0, 400)) + keys(1, range(100, 400)))
    assert all(state[k][1] for k in keys(1, range(0, 50)))


def test_the_cli_adds_a_folder_account_and_syncs_it(private_paths: Path) -> None:
    folder = private_paths / "Sync"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["account", "add", "home", "--type", "folder", "--path", str(folder)])
    assert code == 0 and "no password" not in out.getvalue()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["sync", "--json"]) == 0
    (result,) = json.loads(out.getvalue())["accounts"]
    assert (result["type"], result["error"]) == ("folder", None)
    assert [p.suffix for p in folder.iterdir()] == [SUFFIX]
    os.environ.pop("NEWSDESK_PASSWORD_HOME", None)


@pytest.mark.parametrize("bad", [{"type": "folder"}, {"type": "ssh"}, {"type": "ssh", "host": "-oProxyCommand=x"}])  # fmt: skip
def test_peer_accounts_are_checked(bad: dict[str, str]) -> None:
    from tui.settings.accounts import parse_accounts

    with pytest.raises(ValueError, match=r"^c: accounts\.a\.(path|host) should be"):
        parse_accounts({"a": bad}, "c")

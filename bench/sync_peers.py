"""Machines in step with no server (folder and ssh accounts), for bench/sync.py.

1. Two machines, each with the same feeds, make M marks apiece while apart (reads, stars,
   unreads; a tenth on entries the other also marks), then sync through a folder (and over a
   real sshd on 127.0.0.1 when run as root): identical read/starred state on both? marks lost?
   Then the same again with the syncing process killed (-9) K times mid-sync first.
2. A change made after syncing in another machine's change, with this machine's clock an hour
   behind the other's: does it win?
3. The folder's size after N marks (distinct entries, plus re-marks of some).
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peer_machines import FEEDS, SSH_FOREVER, SYNC_FOREVER, Machine, keys

from tui.store import peers as registers
from tui.sync.peerfiles import SUFFIX, encode, write_atomically
from tui.sync.peers import sync_folder

ROOT = Path(__file__).resolve().parents[1]


def make_apart(a: Machine, b: Machine, marks: int, per_feed: int, seed: int) -> set[str]:
    """M marks on each machine; returns the keys only one machine touched (must survive)."""
    rng = random.Random(seed)
    every = keys(0, range(per_feed)) + keys(1, range(per_feed))
    rng.shuffle(every)
    shared = every[: marks // 10]
    only_a = every[marks // 10 : marks]
    only_b = every[marks : 2 * marks - marks // 10]
    a.read(only_a + shared)
    a.star(only_a[:50])
    b.read(only_b)
    b.star(only_b[:50] + shared[:20])
    b.read(shared, True)
    b.read(shared[:30], False)  # concurrent with a's reads of the same: one must settle
    return set(only_a) | set(only_b)


def lost(a: Machine, marked: set[str]) -> int:
    state = a.state()
    return sum(1 for k in marked if not state[k][0])


def kill_mid_sync(db: Path, folder: Path, times: int, rng: random.Random) -> None:
    for _ in range(times):
        proc = subprocess.Popen([sys.executable, "-c", SYNC_FOREVER, str(db), str(folder)],
                                stdout=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0, 0.5))  # a random point in the sync loop to kill it at
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def bench_folder(tmp: Path, marks: int, kills: int) -> None:
    per_feed = marks * 2
    for killed in (0, kills):
        root = tmp / f"folder-{killed}"
        folder = root / "Sync"
        a, b = Machine(root, "laptop", per_feed), Machine(root, "box", per_feed)
        sync_folder(a.store, folder, "home"), sync_folder(b.store, folder, "home")
        marked = make_apart(a, b, marks, per_feed, seed=killed)
        t0 = time.perf_counter()
        if killed:
            sync_folder(b.store, folder, "home")
            kill_mid_sync(a.store.path, folder, killed, random.Random(1))
        for m in (a, b, a):
            sync_folder(m.store, folder, "home")
        took = time.perf_counter() - t0
        same = a.state() == b.state()
        label = f", after {killed} kill -9 mid-sync" if killed else ""
        print(
            f"folder: {marks} marks on each machine apart{label}: synced in {took:.2f} s, "
            f"identical {same}, lost {lost(a, marked)} + {lost(b, marked)}"
        )


def bench_ssh(tmp: Path, marks: int) -> None:
    from sshd import sshd, why_not

    from tui.settings.accounts import Account
    from tui.sync.peers import sync_ssh

    if why_not():
        print(f"ssh: skipped ({why_not()})")
        return
    per_feed = marks * 2
    root = tmp / "ssh"
    box_dir = root / "box"
    with sshd(root / "sshd") as opts:
        a, b = Machine(root, "laptop", per_feed), Machine(box_dir, "newsdesk", per_feed)
        remote = f"env NEWSDESK_DATA_DIR={box_dir} NEWSDESK_CONFIG={box_dir / 'none.toml'} "
        acct = Account("box", "ssh", "", "", None, "", "root@127.0.0.1",
                       remote + f"{sys.executable} -m tui", tuple(opts))  # fmt: skip
        asyncio.run(sync_ssh(a.store, acct))
        marked = make_apart(a, b, marks, per_feed, seed=7)
        t0 = time.perf_counter()
        asyncio.run(sync_ssh(a.store, acct))
        took = time.perf_counter() - t0
        print(
            f"ssh: {marks} marks on each machine apart: one exchange in {took:.2f} s, "
            f"identical {a.state() == b.state()}, lost {lost(a, marked)} + {lost(b, marked)}"
        )


def bench_ssh_kill(tmp: Path, marks: int, kills: int) -> None:
    """kill -9 the syncing side K times mid-exchange, then sync: nothing lost."""
    from sshd import sshd, why_not

    from tui.settings.accounts import Account
    from tui.sync.peers import sync_ssh

    if why_not():
        return
    per_feed, root = marks * 2, tmp / "ssh-kill"
    box_dir = root / "box"
    with sshd(root / "sshd") as opts:
        a, b = Machine(root, "laptop", per_feed), Machine(box_dir, "newsdesk", per_feed)
        remote = f"env NEWSDESK_DATA_DIR={box_dir} NEWSDESK_CONFIG={box_dir / 'none.toml'} "
        remote += f"{sys.executable} -m tui"
        acct = Account("box", "ssh", "", "", None, "", "root@127.0.0.1", remote, tuple(opts))
        asyncio.run(sync_ssh(a.store, acct))
        marked = make_apart(a, b, marks, per_feed, seed=11)
        rng = random.Random(2)
        for _ in range(kills):
            proc = subprocess.Popen([sys.executable, "-c", SSH_FOREVER, str(a.store.path),
                                     remote, *opts], stdout=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
            assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
            time.sleep(rng.uniform(0, 1.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        asyncio.run(sync_ssh(a.store, acct))
        asyncio.run(sync_ssh(a.store, acct))
        print(
            f"ssh: {marks} marks on each apart, after {kills} kill -9 mid-exchange: "
            f"identical {a.state() == b.state()}, lost {lost(a, marked)} + {lost(b, marked)}"
        )


def bench_clock(tmp: Path) -> None:
    root = tmp / "clock"
    folder = root / "Sync"
    box = Machine(root, "box", 10)
    sync_folder(box.store, folder, "home")
    other = "a1" * 8
    ahead = registers.now_ms() + 3600 * 1000  # the other machine's clock: an hour ahead
    (x,) = keys(0, [1])
    write_atomically(
        folder, other + SUFFIX, encode(other, [(FEEDS[0], x, "read", 1, ahead, other)])
    )
    sync_folder(box.store, folder, "home")
    box.read([x], False)
    sync_folder(box.store, folder, "home")
    third = Machine(root, "third", 10)
    sync_folder(third.store, folder, "home")
    wins = third.state()[x] == (0, 0) and box.state()[x] == (0, 0)
    print(f"a change made after syncing in the other's, this clock 1 h behind: wins {wins}")


def guid(url: str, k: int) -> str:
    """A guid as sites make them: a permalink with a slug and an opaque id (random hex here,
    so gzip gets no help from a counter)."""
    rng = random.Random(f"{url}{k}")
    slug = "-".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
    return f"https://www.example-news.org/{2020 + k % 6}/{k % 12 + 1:02d}/{slug}-{rng.getrandbits(64):x}"


WORDS = (
    "the a of city council vote new plan rain storm market stocks fall rise school health "
    "report court ruling minister says team wins final match police fire road bridge".split()
)


def bench_size(tmp: Path, marks: int) -> None:
    root = tmp / "size"
    folder = root / "Sync"
    per_feed = marks * 4 // 10  # 80% of the marks on distinct entries
    m = Machine(root, "laptop", per_feed, key=guid)
    sync_folder(m.store, folder, "home")
    every = [guid(FEEDS[f], k) for f in (0, 1) for k in range(per_feed)]
    m.read(every)  # marks 1..0.8N: each entry read once
    rest = marks - len(every)
    rng = random.Random(3)
    for k in rng.sample(every, rest // 2):  # the rest: stars and unreads of some
        m.star([k])
    m.read(rng.sample(every, rest - rest // 2), False)
    t0 = time.perf_counter()
    sync_folder(m.store, folder, "home")
    took = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(
        f"folder size after {marks:,} marks: {size / 2**20:.2f} MB "
        f"(sync that wrote it: {took:.2f} s)"
    )


def run(marks: int = 1000, kills: int = 5, size_marks: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bench_folder(tmp, marks, kills)
        bench_ssh(tmp, marks)
        bench_ssh_kill(tmp, marks, kills)
        bench_clock(tmp)
        bench_size(tmp, size_marks)

"""Machines in step over SSH: a real sshd on 127.0.0.1, the system ssh, and newsdesk running
on the far side in its own data directory (as on another machine)."""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from peer_machines import SSH_FOREVER, Machine, keys
from sshd import sshd, why_not

from tui.settings.accounts import Account
from tui.sync.model import SyncError
from tui.sync.peers import ssh_argv, sync_ssh

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(why_not() is not None, reason=why_not() or "")


@pytest.fixture
def ssh_opts(tmp_path: Path) -> Iterator[list[str]]:
    with sshd(tmp_path / "sshd") as opts:
        yield opts


def account(box_dir: Path, opts: list[str]) -> Account:
    remote = f"env NEWSDESK_DATA_DIR={box_dir} NEWSDESK_CONFIG={box_dir / 'none.toml'} "
    remote += f"{shlex.quote(sys.executable)} -m tui"
    return Account("box", "ssh", "", "", None, "", "root@127.0.0.1", remote, tuple(opts))


def test_the_ssh_command_is_an_argv_list_with_the_far_words_quoted() -> None:
    acct = Account("b", "ssh", "", "", None, "~/My Sync", "me@box", "", ("-p", "2222"))
    argv = ssh_argv(acct, "0123456789abcdef")
    assert argv[:4] == ["ssh", "-o", "BatchMode=yes", "-p"] and argv[5:7] == ["--", "me@box"]
    assert argv[7:] == ["newsdesk", "sync-peer", "--from", "0123456789abcdef", "--path",
                        "'~/My Sync'"]  # fmt: skip


async def test_two_machines_marks_made_apart_meet_over_ssh(tmp_path, ssh_opts) -> None:
    box_dir = tmp_path / "box"
    laptop, box = Machine(tmp_path, "laptop"), Machine(box_dir, "newsdesk")
    acct = account(box_dir, ssh_opts)
    await sync_ssh(laptop.store, acct)  # both join
    laptop.read(keys(0, range(0, 20)))
    laptop.star(keys(1, [2]))
    box.read(keys(1, range(5, 25)))
    box.star(keys(0, [7]))
    taken, pushed, refused = await sync_ssh(laptop.store, acct)
    assert refused == "" and taken == 21 and pushed == 21
    assert laptop.state() == box.state()  # the far side merged ours in the same run
    box.read(keys(0, [30]))
    await sync_ssh(laptop.store, acct)
    assert laptop.state()[keys(0, [30])[0]] == (1, 0)


async def test_an_unreachable_host_is_one_line_and_nothing_changes(tmp_path, ssh_opts) -> None:
    laptop = Machine(tmp_path, "laptop")
    before = laptop.state()
    wrong = list(ssh_opts)
    wrong[1] = "1"  # port 1: nobody listens
    with pytest.raises(SyncError, match=r"^ssh exited with status 255: .*") as err:
        await sync_ssh(laptop.store, account(tmp_path / "box", wrong))
    assert "\n" not in str(err.value) and laptop.state() == before


async def test_kill_9_mid_ssh_sync_loses_nothing(tmp_path, ssh_opts) -> None:
    box_dir = tmp_path / "box"
    laptop, box = Machine(tmp_path, "laptop", 300), Machine(box_dir, "newsdesk", 300)
    acct = account(box_dir, ssh_opts)
    await sync_ssh(laptop.store, acct)
    laptop.read(keys(0, range(0, 300)))
    box.star(keys(1, range(0, 300)))
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", SSH_FOREVER, str(laptop.store.path), acct.remote_command,
             *ssh_opts], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    await sync_ssh(laptop.store, acct)
    await sync_ssh(laptop.store, acct)
    assert laptop.state() == box.state()
    state = laptop.state()
    assert all(state[k][0] for k in keys(0, range(0, 300)))
    assert all(state[k][1] for k in keys(1, range(0, 300)))

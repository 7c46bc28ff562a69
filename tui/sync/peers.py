"""Your own machines in step with no server: through a shared folder, or over SSH.

`folder`: a directory that a file-sync tool (Syncthing, Dropbox, a git repo, rsync) shares.
Each machine writes only its own file there (tui.sync.peerfiles), so the tool never sees a
conflict; a sync reads the others' files, merges their registers into the cache
(tui.store.peers: last writer wins by hybrid logical clock, so every machine converges whatever
order files arrive in), then rewrites its own file.

`ssh`: the same folder kept on another machine that runs newsdesk. One `ssh` run (the system
binary, an argv list, never a shell string here) sends this machine's file on stdin to
`newsdesk sync-peer --from ID` there, which stores it, syncs that machine's cache with its
folder, and answers with every other machine's file. Nothing is committed here until the whole
answer has arrived: a connection that drops (or a kill -9) mid-sync loses nothing.
"""

from __future__ import annotations

import asyncio
import shlex
import subprocess
from pathlib import Path

from tui.settings.accounts import Account
from tui.store import Store
from tui.store import peers as registers
from tui.sync.model import SyncError
from tui.sync.peerfiles import MACHINE, MAX_FILE, SUFFIX, decode, encode, read_others
from tui.sync.peerfiles import write_atomically as write_file

SSH_DEADLINE = 300.0  # seconds for the whole exchange
MAX_ANSWER = 16 * MAX_FILE


def default_folder(data_dir: Path) -> Path:
    """Where `sync-peer` keeps the folder on the machine SSH reaches, unless told otherwise."""
    return data_dir / "peers"


def published_key(account: str) -> str:
    return f"peer_published:{account}"


def merge_files(store: Store, files: list[tuple[str, bytes]]) -> tuple[registers.Merged, str]:
    """Merge these peer files into the cache: what changed, and one line for refused files."""
    found: list[registers.Register] = []
    refused = []
    for name, data in files:
        try:
            found += decode(data, name)[1]
        except SyncError as exc:
            refused.append(str(exc))
    merged = registers.merge(store, found)
    registers.forget_old(store)
    return merged, "; ".join(refused)


def own_file(store: Store, account: str) -> tuple[str, bytes, int, int]:
    """This machine's id, its file, how many of its registers are new since `account` last
    published them, and the newest stamp in the file (what note_published records)."""
    machine, _ = registers.clock(store)
    mine = registers.mine(store, machine)
    last = int(store.meta(published_key(account)) or -1)
    top = max((r[4] for r in mine), default=-1)
    return machine, encode(machine, mine), sum(1 for r in mine if r[4] > last), top


def note_published(store: Store, account: str, top: int) -> None:
    """What was written (or sent) reaches this stamp: later local changes are the new ones."""
    store.set_meta(published_key(account), str(top))


def sync_folder(store: Store, folder: Path, account: str) -> tuple[int, int, str]:
    """One folder sync: (changes taken in, own changes written, refused files in one line)."""
    folder.mkdir(parents=True, exist_ok=True)
    machine, _ = registers.clock(store)
    datas, refused = read_others(folder, machine)
    merged, bad = merge_files(store, datas)  # also gives entries fetched since their state
    _, data, pushed, top = own_file(store, account)
    write_file(folder, f"{machine}{SUFFIX}", data)
    note_published(store, account, top)
    return _changes(merged), pushed, "; ".join(refused + ([bad] if bad else []))


def push_folder(store: Store, folder: Path, account: str) -> int:
    """Push only: rewrite this machine's file when it has changes the folder lacks (the
    reader's quick push); returns how many."""
    machine, data, pushed, top = own_file(store, account)
    if pushed:
        folder.mkdir(parents=True, exist_ok=True)
        write_file(folder, f"{machine}{SUFFIX}", data)
        note_published(store, account, top)
    return pushed


def _changes(m: registers.Merged) -> int:
    return m.entries + m.subscribed + m.unsubscribed


def ssh_argv(account: Account, machine: str) -> list[str]:
    """`ssh [options] -- HOST newsdesk sync-peer --from ID [--path P]`; ssh joins the remote
    words into one command line, so each is quoted for the remote shell."""
    remote = [*shlex.split(account.remote_command or "newsdesk"), "sync-peer", "--from", machine]
    remote += ["--path", account.path] if account.path else []
    return ["ssh", "-o", "BatchMode=yes", *account.ssh_args, "--", account.host,
            *(shlex.quote(w) for w in remote)]  # fmt: skip


async def sync_ssh(store: Store, account: Account) -> tuple[int, int, str]:
    machine, data, pushed, top = await asyncio.to_thread(own_file, store, account.name)
    proc = await asyncio.create_subprocess_exec(
        *ssh_argv(account, machine),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        async with asyncio.timeout(SSH_DEADLINE):
            out, err = await proc.communicate(data)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise SyncError(f"ssh: no answer within {SSH_DEADLINE:g} s") from None
    if proc.returncode != 0:
        said = err.decode("utf-8", "replace").strip().splitlines()
        raise SyncError(f"ssh exited with status {proc.returncode}: {said[-1] if said else ''}")
    files = unframe(out)
    merged, bad = await asyncio.to_thread(merge_files, store, files)
    await asyncio.to_thread(note_published, store, account.name, top)
    return _changes(merged), pushed, bad


def frame(files: list[tuple[str, bytes]]) -> bytes:
    out = bytearray()
    for name, data in files:
        out += f"{name} {len(data)}\n".encode() + data
    return bytes(out + b"end\n")


def unframe(data: bytes) -> list[tuple[str, bytes]]:
    """The files of a `sync-peer` answer; SyncError if it is cut short or not one."""
    if len(data) > MAX_ANSWER:
        raise SyncError("ssh: answer too large")
    files: list[tuple[str, bytes]] = []
    at = 0
    while True:
        end = data.find(b"\n", at, at + 200)
        if end < 0:
            raise SyncError("ssh: the answer is cut short (is newsdesk installed there?)")
        head = data[at:end].decode("ascii", "replace")
        if head == "end":
            return files
        name, _, size = head.partition(" ")
        if not size.isdecimal() or not MACHINE.match(name.removesuffix(SUFFIX)):
            raise SyncError("ssh: not a newsdesk answer (is newsdesk installed there?)")
        body = data[end + 1 : end + 1 + int(size)]
        if len(body) != int(size):
            raise SyncError("ssh: the answer is cut short")
        files.append((name, body))
        at = end + 1 + int(size)


def serve_peer(store: Store, folder: Path, sender: str, data: bytes) -> bytes:
    """The far side of an ssh sync: keep the sender's file, sync this cache with the folder,
    answer with every file but the sender's."""
    if not MACHINE.match(sender):
        raise SyncError(f"bad machine id {sender[:40]!r}")
    if decode(data, "the sent file")[0] != sender:
        raise SyncError("the sent file is another machine's")
    folder.mkdir(parents=True, exist_ok=True)
    write_file(folder, f"{sender}{SUFFIX}", data)
    sync_folder(store, folder, "sync-peer")
    return frame(read_others(folder, sender)[0])  # this machine's own file among them

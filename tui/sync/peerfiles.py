"""The files machines keep in a shared folder: one per machine, written only by that machine.

`<machine>.ndpeer` is gzip'd JSON: {"newsdesk_peer": 1, "machine": id, "urls": [...],
"marks": [[url index, key, kind, value, stamp], ...]}, the registers that machine wrote and that
still win (tui.store.peers). Feed URLs are listed once and marks sorted, so gzip packs years of
marks into a few MB. A file is written to a temporary name and renamed over the old one, so a
reader (or a file-sync tool) never sees half a file, and a kill -9 leaves the old one whole.
Files are read with bounds (a broken or hostile file is refused with one line, never trusted).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from pathlib import Path
from typing import Any

from tui.store.peers import KINDS, Register
from tui.sync.model import SyncError

SUFFIX = ".ndpeer"
MACHINE = re.compile(r"^[0-9a-f]{16}$")
MAX_FILE = 64 * 1024 * 1024  # compressed
MAX_JSON = 512 * 1024 * 1024  # decompressed: 100,000 marks are ~10 MB
_CODES = {"read": "r", "star": "s", "sub": "u"}
_KINDS = {v: k for k, v in _CODES.items()}


def encode(machine: str, registers: list[Register]) -> bytes:
    urls: dict[str, int] = {}
    marks = []
    for url, key, kind, value, stamp, _ in registers:
        marks.append([urls.setdefault(url, len(urls)), key, _CODES[kind], value, stamp])
    doc = {"newsdesk_peer": 1, "machine": machine, "urls": list(urls), "marks": marks}
    raw = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    return gzip.compress(raw, compresslevel=6, mtime=0)


def decode(data: bytes, where: str) -> tuple[str, list[Register]]:
    """A peer file's machine and registers; SyncError naming `where` if it is not one."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            raw = f.read(MAX_JSON + 1)
        if len(raw) > MAX_JSON:
            raise SyncError(f"{where}: larger than {MAX_JSON:,} bytes unpacked")
        doc = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise SyncError(f"{where}: not a newsdesk peer file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("newsdesk_peer") != 1:
        raise SyncError(f"{where}: not a newsdesk peer file (version {doc.get('newsdesk_peer')!r})"
                        if isinstance(doc, dict) else f"{where}: not a newsdesk peer file")  # fmt: skip
    machine, urls, marks = doc.get("machine"), doc.get("urls"), doc.get("marks")
    if not isinstance(machine, str) or not MACHINE.match(machine):
        raise SyncError(f"{where}: no machine id")
    if not isinstance(urls, list) or not isinstance(marks, list):
        raise SyncError(f"{where}: no urls or marks")
    return machine, [r for m in marks if (r := _register(m, urls, machine)) is not None]


def _register(m: Any, urls: list[Any], machine: str) -> Register | None:
    """One mark, or None when it is malformed (skipped, the rest still taken)."""
    if not isinstance(m, list) or len(m) != 5:
        return None
    u, key, code, value, stamp = m
    if not (isinstance(u, int) and 0 <= u < len(urls) and isinstance(urls[u], str)):
        return None
    if not isinstance(key, str) or code not in _KINDS or value not in (0, 1):
        return None
    if not isinstance(stamp, int) or isinstance(stamp, bool) or not 0 <= stamp < 1 << 62:
        return None
    if _KINDS[code] not in KINDS or len(key) > 2000 or len(urls[u]) > 4000:
        return None
    return (urls[u], key, _KINDS[code], value, stamp, machine)


def write_atomically(folder: Path, name: str, data: bytes) -> None:
    """Write `folder/name` so that it is either the old file or the whole new one."""
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / name)
    finally:
        tmp.unlink(missing_ok=True)
    try:  # the rename itself made durable
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def read_others(folder: Path, machine: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The other machines' files in `folder` (name, bytes) and a line for each one refused.

    Names other than <16 hex digits>.ndpeer (a file-sync tool's conflict copies, notes) are
    left alone."""
    found: list[tuple[str, bytes]] = []
    refused: list[str] = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        stem = path.name[: -len(SUFFIX)]
        if not MACHINE.match(stem) or stem == machine:
            continue
        try:
            if path.stat().st_size > MAX_FILE:
                refused.append(f"{path.name}: larger than {MAX_FILE:,} bytes")
                continue
            found.append((path.name, path.read_bytes()))
        except OSError as exc:
            refused.append(f"{path.name}: {exc.strerror or exc}")
    return found, refused

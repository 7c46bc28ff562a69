"""Aggregator accounts: `[accounts.NAME]` tables in the config file, and their passwords.

A password is never stored by newsdesk: it comes from the environment variable
NEWSDESK_PASSWORD_<NAME> or from the account's `password_command` (run without a shell, its
first line of output used, as newsboat's `*-passwordeval` and aerc do). Adding and removing an
account edits only that account's table, so the rest of the file stays as the user wrote it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.settings.configfile import toml_value

TYPES = ("ttrss", "greader", "miniflux", "folder", "ssh")
PEER_TYPES = ("folder", "ssh")  # other machines running newsdesk, no server
_TYPE_LIST = ", ".join(f'"{t}"' for t in TYPES[:-1]) + f' or "{TYPES[-1]}"'
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
PASSWORD_TIMEOUT = 60.0  # seconds: a password manager may ask its agent for a passphrase
_HEADER = re.compile(r"^\s*\[")
_ACCOUNT_HEADER = re.compile(r"""^\s*\[\s*accounts\s*\.\s*("?)([A-Za-z0-9_-]+)\1\s*\]\s*(#.*)?$""")


class PasswordError(Exception):
    """One line saying why there is no password."""


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    type: str  # "ttrss", "greader" or "miniflux"
    url: str
    user: str
    password_command: str | None = None
    path: str = ""  # folder: the shared folder; ssh: the folder on the far machine (optional)
    host: str = ""  # ssh: [user@]host as ssh takes it
    remote_command: str = ""  # ssh: how newsdesk is run there (default "newsdesk")
    ssh_args: tuple[str, ...] = ()  # ssh: options before the host (-p 2222, -i KEY)

    @property
    def is_peer(self) -> bool:
        return self.type in PEER_TYPES

    @property
    def env_var(self) -> str:
        return env_var(self.name)

    def password_source(self) -> str:
        """Where the password would come from: "env", "command" or "none"."""
        if os.environ.get(self.env_var):
            return "env"
        return "command" if self.password_command else "none"

    def password(self) -> str:
        """The password: the environment variable wins, then the command; else PasswordError."""
        value = os.environ.get(self.env_var)
        if value:
            return value
        if not self.password_command:
            raise PasswordError(f"no password: set {self.env_var} or a password_command")
        return run_password_command(self.password_command)


def env_var(name: str) -> str:
    return "NEWSDESK_PASSWORD_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


# One line of output is the password; a few KB is more than any password manager prints.
MAX_PASSWORD_BYTES = 4096


def run_password_command(command: str) -> str:
    """Run `command` (split like a shell would, but no shell) and return its first line, read
    at most MAX_PASSWORD_BYTES far; the command sees no account's NEWSDESK_PASSWORD_*."""
    import shlex  # not on the reader's start path: only a sync asks for a password
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise PasswordError(f"password command: {exc}") from None
    if not argv:
        raise PasswordError("password command is empty")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_PASSWORD_")}
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except FileNotFoundError:
        raise PasswordError(f"password command not found: {argv[0][:200]}") from None
    except OSError as exc:
        raise PasswordError(f"password command failed: {exc}") from None
    try:
        line, ended = _read_line(proc)
    finally:
        _finish(proc)
    if ended and proc.returncode != 0:  # one that printed on and on was stopped by us
        raise PasswordError(f"password command exited with status {proc.returncode}")
    if not line:
        raise PasswordError("password command printed nothing")
    return line


def _read_line(proc: Any) -> tuple[str, bool]:
    """(the first line the process prints, whether its output ended by itself), read within
    PASSWORD_TIMEOUT: the line at most MAX_PASSWORD_BYTES long, then at most as much again
    (a manager that prints more lines is fine; `yes` is cut off)."""
    import selectors
    import time

    assert proc.stdout is not None
    deadline = time.monotonic() + PASSWORD_TIMEOUT
    data = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while len(data) <= 2 * MAX_PASSWORD_BYTES:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if not sel.select(left):
                continue
            chunk = os.read(proc.stdout.fileno(), MAX_PASSWORD_BYTES)
            if not chunk:
                return _line(data), True
            data += chunk
    if b"\n" not in data:
        if len(data) > MAX_PASSWORD_BYTES:
            raise PasswordError(
                f"password command printed more than {MAX_PASSWORD_BYTES} bytes without a "
                "newline: not a password"
            )
        raise PasswordError(f"password command failed: no line in {PASSWORD_TIMEOUT:g} s")
    return _line(data), False


def _line(data: bytes) -> str:
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    if len(first) > MAX_PASSWORD_BYTES:
        raise PasswordError(
            f"password command printed more than {MAX_PASSWORD_BYTES} bytes without a newline: "
            "not a password"
        )
    return first.decode("utf-8", "replace")


def _finish(proc: Any) -> None:
    """Close our end (a command still printing gets SIGPIPE) and reap it; one that lingers is
    killed."""
    import subprocess

    if proc.stdout is not None:
        proc.stdout.close()
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def parse_accounts(raw: Any, where: str) -> dict[str, Account]:
    """The config's `accounts` table, checked; `where` prefixes each one-line error."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: accounts should be a table of [accounts.NAME] tables")
    out: dict[str, Account] = {}
    for name, spec in raw.items():
        key = f"accounts.{name}"
        if not NAME.match(str(name)):
            raise ValueError(f"{where}: {key}: names are letters, digits, - and _")
        if not isinstance(spec, dict):
            raise ValueError(f"{where}: {key} should be a table")
        kind = spec.get("type")
        if kind not in TYPES:
            raise ValueError(f"{where}: {key}.type should be {_TYPE_LIST}")
        if kind in PEER_TYPES:
            out[name] = _peer_account(str(name), str(kind), spec, f"{where}: {key}")
            continue
        url = spec.get("url")
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"{where}: {key}.url should be an http(s) URL")
        user = spec.get("user", "" if kind == "miniflux" else None)
        if not isinstance(user, str) or not (user or kind == "miniflux"):
            # Miniflux without a user: the password is an API key (X-Auth-Token)
            raise ValueError(f"{where}: {key}.user should be a non-empty string")
        command = spec.get("password_command")
        if command is not None and not isinstance(command, str):
            raise ValueError(f"{where}: {key}.password_command should be a string")
        if "password" in spec:
            raise ValueError(
                f"{where}: {key}.password is not read: use password_command or {env_var(name)}"
            )
        out[name] = Account(name, kind, url, user, command or None)
    return out


def _peer_account(name: str, kind: str, spec: dict[str, Any], where: str) -> Account:
    path, host = spec.get("path", ""), spec.get("host", "")
    command, ssh_args = spec.get("remote_command", ""), spec.get("ssh_args", [])
    if not isinstance(path, str) or (kind == "folder" and not path):
        raise ValueError(f"{where}.path should be the shared folder")
    if kind == "ssh" and (
        not isinstance(host, str)
        or not host
        or host.startswith("-")
        or any(c.isspace() for c in host)
    ):
        raise ValueError(f"{where}.host should be [user@]host, as ssh takes it")
    if not isinstance(command, str):
        raise ValueError(f"{where}.remote_command should be a string")
    if not isinstance(ssh_args, list) or not all(isinstance(a, str) for a in ssh_args):
        raise ValueError(f"{where}.ssh_args should be a list of strings")
    return Account(name, kind, "", "", None, path, str(host), command, tuple(ssh_args))


# -- editing the config file ------------------------------------------------------------------


def _account_of(line: str) -> str | None:
    match = _ACCOUNT_HEADER.match(line)
    return match.group(2) if match else None


def _block(lines: list[str], name: str) -> tuple[int, int] | None:
    start = next((i for i, line in enumerate(lines) if _account_of(line) == name), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    return start, end


def add_account_table(text: str, account: Account) -> str:
    """`text` with a new `[accounts.NAME]` table at the end (ValueError if NAME is there)."""
    lines = text.splitlines(keepends=True)
    if _block(lines, account.name) is not None:
        raise ValueError(f"account {account.name} exists; remove it first")
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    values = {"type": account.type, "url": account.url, "user": account.user}
    if account.is_peer:
        values = {"type": account.type, "path": account.path, "host": account.host}
        values = {k: v for k, v in values.items() if v}
    if account.password_command:
        values["password_command"] = account.password_command
    block = ["\n" if lines and lines[-1].strip() else "", f"[accounts.{account.name}]\n"]
    block += [f"{k} = {toml_value(v)}\n" for k, v in values.items()]
    return "".join(lines + block)


def remove_account_table(text: str, name: str) -> str:
    """`text` without the `[accounts.NAME]` table (ValueError if there is none)."""
    lines = text.splitlines(keepends=True)
    found = _block(lines, name)
    if found is None:
        raise ValueError(f"no account named {name}")
    start, end = found
    while end > start + 1 and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1  # a comment right above the next table belongs to that table
    while start > 0 and not lines[start - 1].strip():
        start -= 1  # the blank gap before it goes too
    return "".join(lines[:start] + lines[end:])


def config_has_account(path: Path, name: str) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return _block(text.splitlines(keepends=True), name) is not None

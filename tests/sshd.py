"""A real OpenSSH server on 127.0.0.1 for the ssh sync tests, with keys made for the test.

It needs root (sshd's privilege separation) and Debian's openssh-server (`.ci/run` installs it
when run as root); elsewhere the tests that use it skip, saying which.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def why_not() -> str | None:
    if os.geteuid() != 0:
        return "a real sshd on 127.0.0.1 needs root"
    if not Path(SSHD).exists() or not shutil.which("ssh") or not shutil.which("ssh-keygen"):
        return "needs openssh-server and openssh-client (apt-get install openssh-server)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def sshd(root: Path) -> Iterator[list[str]]:
    """Run sshd for this test; yields the ssh options that reach it as root@127.0.0.1."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("host", "user"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / name)],
                       check=True)  # fmt: skip
    (root / "authorized_keys").write_text((root / "user.pub").read_text())
    port = _free_port()
    config = root / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {root / 'host'}\n"
        f"AuthorizedKeysFile {root / 'authorized_keys'}\nPidFile {root / 'sshd.pid'}\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nStrictModes no\n"
        "UsePAM no\nAcceptEnv NEWSDESK_*\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # its privilege separation directory
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"sshd did not start: {err[-500:]}") from None
            time.sleep(0.05)  # polling for the port, not a fixed wait
    try:
        yield ["-p", str(port), "-i", str(root / "user"), "-o", "StrictHostKeyChecking=no",
               "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""Kitty graphics as a terminal sees them: the real reader in a pty, and inside tmux with
allow-passthrough on; nothing of it with images off."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from picture_site import photo_site
from server import FeedServer

from tui.cli.main import main
from tui.pictures.kitty import PLACEHOLDER

TRANSMIT = re.compile(rb"\x1b_Ga=T,U=1,f=100,t=d,i=(\d+),c=(\d+),r=(\d+),q=2")
TMUX_TRANSMIT = re.compile(rb"\x1bPtmux;\x1b\x1b_Ga=T,U=1,f=100,t=d,i=(\d+),c=(\d+),r=(\d+),q=2")
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


@pytest.fixture
def kept(tmp_path):
    """Two stories with two photos each, prefetched; then the server is gone."""
    (tmp_path / "config.toml").write_text("refresh_on_start = false\n")
    with FeedServer() as srv:
        url = photo_site(srv, stories=2, photos=2)
        assert main(["add", url]) == 0
        assert main(["refresh"]) == 0


class Pty:
    """The reader in a pseudo-terminal of 120x36: what it writes, and keys typed to it."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "36"}
        env.pop("TMUX", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(NEWSDESK, [NEWSDESK, *args], env)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.out = b""

    def read_until(self, pattern: bytes | re.Pattern[bytes], timeout: float = 20) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pattern.search(self.out) if isinstance(pattern, re.Pattern) else pattern in self.out:
                return True
            if select.select([self.fd], [], [], 0.2)[0]:
                try:
                    self.out += os.read(self.fd, 65536)
                except OSError:
                    return False
        return False

    def key(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def _open_first_article(term: Pty) -> None:
    assert term.read_until(b"Story 0"), term.out[-500:]
    term.key(b"\r")
    assert term.read_until(b"Paragraph 0 after figure 0"), term.out[-500:]


def test_kitty_in_a_pty_sends_each_figure_and_draws_placeholders(kept):
    term = Pty(["--offline", "--images", "kitty"])
    try:
        _open_first_article(term)
        assert term.read_until(TRANSMIT)
        term.read_until(PLACEHOLDER.encode())
        sent = TRANSMIT.findall(term.out)
        assert sent and all(int(c) > 0 and int(r) >= 6 for _, c, r in sent)
        assert _named_ids(term.out) & {int(i) for i, _, _ in sent}
        # scrolling to the second figure sends it as well
        term.key(b"\t")  # to the article pane
        for _ in range(4):
            term.key(b" ")  # page down
        assert term.read_until(re.compile(rb"(?s)(\x1b_Ga=T,U=1.*){2}"))
        ids = {i for i, _, _ in TRANSMIT.findall(term.out)}
        assert len(ids) >= 2
    finally:
        term.close()


def test_images_off_sends_no_graphics(kept):
    term = Pty(["--offline", "--images", "off"])
    try:
        _open_first_article(term)
        term.read_until(b"Paragraph 1 after figure 0")
        assert b"\x1b_G" not in term.out and PLACEHOLDER.encode() not in term.out
        assert "▣ image".encode() in term.out
    finally:
        term.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_kitty_inside_tmux_with_passthrough_wraps_commands_and_keeps_placeholders(kept, tmp_path):
    sock = f"nd-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    log = tmp_path / "pane.log"
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    cmd = f"{NEWSDESK} --offline --images kitty"
    subprocess.run(
        [*tmux, "new", "-d", "-s", "t", "-x", "120", "-y", "36", "sleep 60"], env=env, check=True
    )
    try:
        subprocess.run([*tmux, "set", "-g", "allow-passthrough", "on"], check=True)
        subprocess.run([*tmux, "pipe-pane", "-O", "-t", "t", f"cat > {log}"], check=True)
        subprocess.run([*tmux, "respawn-pane", "-k", "-t", "t", cmd], env=env, check=True)

        def screen() -> str:
            done = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True
            )
            return done.stdout

        _wait(lambda: "Story 0" in screen())
        subprocess.run([*tmux, "send-keys", "-t", "t", "Enter"], check=True)
        _wait(lambda: "Paragraph 0 after figure 0" in screen())
        _wait(lambda: TMUX_TRANSMIT.search(log.read_bytes()) is not None)
        _wait(lambda: PLACEHOLDER.encode() in log.read_bytes())
        sent = log.read_bytes()
        ids = {int(i) for i, _, _ in TMUX_TRANSMIT.findall(sent)}
        assert _named_ids(sent) & ids
        assert b"\x1b_G" not in sent.replace(b"\x1b\x1b_G", b"")  # every command wrapped
        # tmux keeps the placeholders as text in its screen, where it passes them on
        _wait(lambda: PLACEHOLDER in screen())
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


def _named_ids(out: bytes) -> set[int]:
    """The image ids the placeholders' foreground colours name (24-bit: the id itself)."""
    colours = re.findall(
        rb"38;2;(\d+);(\d+);(\d+)(?:;[\d;]*)?m" + re.escape(PLACEHOLDER.encode()), out
    )
    return {(int(r) << 16) | (int(g) << 8) | int(b) for r, g, b in colours}


def _wait(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)  # polling what tmux shows: no fixed wait


SIXEL = re.compile(rb'\x1b7\x1b\[(\d+);(\d+)H\x1bP0;1;0q"1;1;(\d+);(\d+)')


def test_sixel_in_a_pty_draws_over_the_figures_halfblocks_when_all_on_screen(kept):
    term = Pty(["--offline", "--images", "sixel"])
    try:
        _open_first_article(term)
        assert term.read_until(SIXEL), term.out[-300:]
        y, x, width, height = (int(v) for v in SIXEL.search(term.out).groups())
        assert width % 10 == 0 and height % 20 == 0 and height // 20 >= 6  # whole cells
        # the cells under it hold the picture's half-blocks (what a scroll repaints)
        assert f"\x1b[{y};{x}H".encode() in term.out
        assert "▀".encode() in term.out
        assert b"\x1b_G" not in term.out
    finally:
        term.close()

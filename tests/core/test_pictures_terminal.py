"""`images = "auto"`: what the terminal is asked, and that nothing graphic is ever sent to a
terminal that did not claim it: in a pty that answers nothing, in one that answers like a
plain VT terminal, like a Sixel one, like kitty; and in tmux with passthrough off."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tui.pictures.terminal import DA1, KITTY_QUERY, XTVERSION, choose

GRAPHICS = (b"\x1b_G", b"\x1bPtmux;", b'q"1;1')  # Kitty, tmux passthrough, Sixel raster


class Terminal:
    """A scripted terminal: answers each query it is sent from `answers`."""

    def __init__(self, answers: dict[str, bytes]) -> None:
        self.answers = answers
        self.sent: list[str] = []

    def ask(self, query: str, wait: float) -> bytes:
        self.sent.append(query)
        return b"".join(self.answers.get(part, b"") for part in _parts(query))


def _parts(query: str) -> list[str]:
    return [q for q in (XTVERSION, KITTY_QUERY, DA1) if q in query]


ENV = {"TERM": "xterm-256color"}


def test_a_terminal_that_answers_nothing_gets_halfblocks_and_no_graphics_query():
    term = Terminal({})
    choice = choose("auto", ENV, term.ask)
    assert choice.mode == "halfblock" and "did not answer" in choice.reason
    assert term.sent == [XTVERSION + DA1]


def test_a_plain_terminal_gets_halfblocks():
    term = Terminal({DA1: b"\x1b[?62;22c"})
    assert choose("auto", ENV, term.ask).mode == "halfblock"
    assert not any("\x1b_G" in q for q in term.sent)


def test_a_terminal_claiming_sixel_gets_sixel_without_a_kitty_query():
    term = Terminal({XTVERSION: b"\x1bP>|foot(1.16)\x1b\\", DA1: b"\x1b[?62;4;22c"})
    choice = choose("auto", ENV, term.ask)
    assert choice.mode == "sixel" and "foot" in choice.reason
    assert not any("\x1b_G" in q for q in term.sent)


def test_kitty_is_asked_the_graphics_query_and_its_ok_turns_kitty_on():
    term = Terminal(
        {
            XTVERSION: b"\x1bP>|kitty(0.35.2)\x1b\\",
            DA1: b"\x1b[?62;c",
            KITTY_QUERY: b"\x1b_Gi=31;OK\x1b\\",
        }
    )
    choice = choose("auto", {"TERM": "xterm-kitty"}, term.ask)
    assert choice.mode == "kitty" and not choice.tmux
    assert term.sent == [XTVERSION + DA1, KITTY_QUERY + DA1]


def test_a_terminal_naming_itself_kitty_without_the_ok_gets_no_kitty():
    term = Terminal({XTVERSION: b"\x1bP>|kitty(0.20)\x1b\\", DA1: b"\x1b[?62;c"})
    assert choose("auto", ENV, term.ask).mode == "halfblock"


def test_inside_tmux_kitty_needs_passthrough_and_a_kitty_outside():
    def tmux(values):
        return lambda fmt: values.get(fmt, "")

    env = {"TERM": "tmux-256color", "TMUX": "/tmp/x,1,0"}
    never = Terminal({})
    off = tmux({"#{client_termname}": "xterm-kitty", "#{allow-passthrough}": "0"})
    assert choose("auto", env, never.ask, off).mode == "halfblock"
    on = tmux({"#{client_termname}": "xterm-kitty", "#{allow-passthrough}": "1"})
    choice = choose("auto", env, never.ask, on)
    assert choice.mode == "kitty" and choice.tmux
    gnome = tmux({"#{client_termname}": "xterm-256color", "#{allow-passthrough}": "1"})
    assert choose("auto", env, never.ask, gnome).mode == "halfblock"
    assert never.sent == []  # tmux is asked, never the terminal behind it


def test_settings_other_than_auto_are_taken_as_given():
    assert choose("off", ENV, None).mode == "off"
    assert choose("sixel", ENV, None).mode == "sixel"
    kitty = choose("kitty", {"TMUX": "x", "TERM": "tmux"}, None)
    assert kitty.mode == "kitty" and kitty.tmux
    assert choose("auto", {"TERM": "dumb"}, Terminal({}).ask).mode == "halfblock"


PROBE = "from tui.pictures.terminal import detect; c = detect('auto'); print('MODE', c.mode)"


def _run_in_pty(answer: bytes | None, env: dict[str, str]) -> tuple[str, bytes]:
    """Run detect('auto') with a pty as its terminal; this side answers DA1 with `answer`
    (None: never). Returns the mode printed and every byte the program sent."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, its stdin and stdout on the pty
        os.execve(sys.executable, [sys.executable, "-c", PROBE], env)
    sent = b""
    deadline = time.monotonic() + 20
    answered = False
    while time.monotonic() < deadline:
        ready = select.select([fd], [], [], 0.5)[0]
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        sent += chunk
        if answer is not None and not answered and b"\x1b[c" in sent:
            os.write(fd, answer)
            answered = True
    os.waitpid(pid, 0)
    os.close(fd)
    text = sent.decode("utf-8", "replace")
    mode = text.split("MODE", 1)[1].split()[0] if "MODE" in text else ""
    return mode, sent


def _env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    keep.update({"TERM": "xterm-256color", **extra})
    keep.pop("TMUX", None)
    return keep


def test_auto_in_a_dumb_pty_sends_no_graphics_sequence():
    mode, sent = _run_in_pty(None, _env())
    assert mode == "halfblock"
    assert b"\x1b[c" in sent  # it did ask (device attributes: no graphics)
    assert not any(g in sent for g in GRAPHICS)


def test_auto_in_a_pty_answering_sixel_chooses_sixel_and_sends_nothing_graphic():
    mode, sent = _run_in_pty(b"\x1b[?62;4;22c", _env())
    assert mode == "sixel"
    assert not any(g in sent for g in GRAPHICS)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_auto_in_tmux_without_passthrough_sends_no_graphics_sequence(tmp_path: Path):
    sock = f"nd-{uuid.uuid4().hex[:8]}"
    out, log = tmp_path / "mode.txt", tmp_path / "pane.log"
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE + f"\nopen({str(out)!r}, 'w').write('MODE ' + c.mode)\n")
    cmd = f"cd {_quote(os.getcwd())} && {_quote(sys.executable)} {_quote(str(probe))}; sleep 30"
    env = {**os.environ, "TERM": "xterm-kitty"}  # even a kitty outside: passthrough is off
    env.pop("TMUX", None)
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    subprocess.run(
        [*tmux, "new", "-d", "-s", "t", "-x", "80", "-y", "24", "sleep 60"], env=env, check=True
    )
    try:
        subprocess.run([*tmux, "set", "-g", "allow-passthrough", "off"], check=True)
        subprocess.run([*tmux, "pipe-pane", "-O", "-t", "t", f"cat > {log}"], check=True)
        subprocess.run([*tmux, "respawn-pane", "-k", "-t", "t", cmd], env=env, check=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            out.exists() and out.read_text() and log.exists() and b"MODE" in log.read_bytes()
        ):
            time.sleep(0.05)  # polling a file the program writes: no fixed wait
        mode = out.read_text().strip() if out.exists() else ""
        assert mode == "MODE halfblock"
        sent = log.read_bytes() if log.exists() else b""
        assert b"MODE halfblock" in sent  # the pipe saw what the program printed
        assert b"\x1b[c" not in sent  # tmux is asked, not the terminal
        assert not any(g in sent for g in GRAPHICS)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


class _Kitty:
    """A tmux client in a pty that answers tmux's XTVERSION as kitty does (tmux keeps the
    answer as client_termtype)."""

    def __init__(self, tmux: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe("tmux", [*tmux, "attach", "-t", "t"], {**env, "TERM": "xterm-256color"})

    def pump(self, wait: float = 0.05) -> None:
        if select.select([self.fd], [], [], wait)[0]:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if b"\x1b[>q" in data or b"\x1b[>0q" in data:
                os.write(self.fd, b"\x1bP>|kitty(0.35.2)\x1b\\")

    def close(self) -> None:
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_auto_in_tmux_with_passthrough_and_a_kitty_attached_chooses_kitty(tmp_path: Path):
    """A real tmux 3.3, a client attached from a terminal that says it is kitty: what tmux
    knows about it decides, with allow-passthrough on; off, half-blocks."""
    sock = f"nd-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    probe = tmp_path / "probe.py"
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    subprocess.run(
        [*tmux, "new", "-d", "-s", "t", "-x", "80", "-y", "24", "sleep 60"], env=env, check=True
    )
    client = _Kitty(tmux, env)
    try:
        deadline = time.monotonic() + 20
        while "kitty" not in _tmux_out(tmux, "#{client_termtype}"):
            assert time.monotonic() < deadline, "the client did not attach"
            client.pump()
        for passthrough, want in (("on", "MODE kitty"), ("off", "MODE halfblock")):
            subprocess.run([*tmux, "set", "-g", "allow-passthrough", passthrough], check=True)
            out = tmp_path / f"mode-{passthrough}.txt"
            probe.write_text(PROBE + f"\nopen({str(out)!r}, 'w').write('MODE ' + c.mode)\n")
            cmd = f"cd {_quote(os.getcwd())} && {_quote(sys.executable)} {_quote(str(probe))}; sleep 30"
            subprocess.run([*tmux, "respawn-pane", "-k", "-t", "t", cmd], env=env, check=True)
            while not (out.exists() and out.read_text()):  # written, not just created
                assert time.monotonic() < deadline + 40, "no answer from the probe"
                client.pump()
            assert out.read_text() == want
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
        client.close()


def _tmux_out(tmux: list[str], fmt: str) -> str:
    done = subprocess.run(
        [*tmux, "list-clients", "-F", fmt], capture_output=True, text=True, check=False
    )
    return done.stdout

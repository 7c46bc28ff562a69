"""Which picture protocol the terminal speaks, asked before the app starts.

`auto` never sends a graphics protocol the terminal did not claim. Outside tmux it asks two
questions that every terminal may be asked and that carry no graphics: XTVERSION (the
terminal's name and version) and the primary device attributes (DA1, whose 4 means Sixel).
Only a terminal that named itself kitty or Ghostty (or set TERM/TERM_PROGRAM to say so) is
then asked the Kitty graphics query, and only its OK answer turns Kitty graphics on. Inside
tmux the outer terminal is the one tmux learned at attach (`client_termname`,
`client_termtype`), and Kitty graphics go through only when `allow-passthrough` is on; tmux
3.3 shows no Sixel, so there it is Kitty or half-blocks. Everything else gets half-blocks,
which need nothing but colour.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SETTINGS = ("off", "auto", "halfblock", "kitty", "sixel")
# Terminals that draw Kitty graphics at Unicode placeholders (what newsdesk sends): kitty
# since 0.28 and Ghostty. WezTerm and Konsole speak Kitty graphics without placeholders.
_PLACEHOLDER_TERMINALS = re.compile(r"kitty|ghostty", re.IGNORECASE)
XTVERSION = "\x1b[>0q"
DA1 = "\x1b[c"
KITTY_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
_DA1_ANSWER = re.compile(rb"\x1b\[\?([0-9;]*)c")
_XTVERSION_ANSWER = re.compile(rb"\x1bP>\|([^\x1b]*)\x1b\\")
CELL_SIZE = "\x1b[16t"  # XTWINOPS: the cell's size in pixels
_CELL_ANSWER = re.compile(rb"\x1b\[6;(\d+);(\d+)t")
WAIT = 0.3  # seconds for a terminal's answer; a local one answers in a millisecond


@dataclass(frozen=True)
class Choice:
    """What the reader draws pictures with, and why."""

    mode: str  # "off", "halfblock", "kitty" or "sixel"
    tmux: bool = False  # Kitty commands go through tmux's passthrough
    reason: str = ""
    cell: tuple[int, int] = (10, 20)  # a cell's size in pixels, for Sixel (asked, else this)


Ask = Callable[[str, float], bytes]  # write a query, return what the terminal answered


def choose(
    setting: str,
    env: Mapping[str, str],
    ask: Ask | None,
    tmux_option: Callable[[str], str] | None = None,
) -> Choice:
    """The protocol for `setting`; `ask` talks to the terminal (None: no terminal to ask)."""
    in_tmux = bool(env.get("TMUX"))
    if setting != "auto":
        return Choice(setting, tmux=in_tmux and setting == "kitty", reason=f"images = {setting}")
    if ask is None or env.get("TERM", "dumb") in ("dumb", ""):
        return Choice("halfblock", reason="no terminal to ask: half-blocks")
    if in_tmux:
        return _in_tmux(tmux_option or tmux_value)
    return _ask_terminal(env, ask)


def _in_tmux(option: Callable[[str], str]) -> Choice:
    outer = " ".join((option("#{client_termname}"), option("#{client_termtype}")))
    # a format expands an on/off option as 1/0 ("all" since tmux 3.4)
    passthrough = option("#{allow-passthrough}") in ("1", "on", "all")
    if passthrough and _PLACEHOLDER_TERMINALS.search(outer):
        return Choice("kitty", tmux=True, reason=f"tmux passthrough to {outer.strip()}")
    why = "passthrough off" if not passthrough else f"outer terminal {outer.strip() or '?'}"
    return Choice("halfblock", reason=f"tmux ({why}): half-blocks")


def _ask_terminal(env: Mapping[str, str], ask: Ask) -> Choice:
    answer = ask(XTVERSION + DA1, WAIT)
    da1 = _DA1_ANSWER.search(answer)
    if da1 is None:
        return Choice("halfblock", reason="the terminal did not answer: half-blocks")
    name_match = _XTVERSION_ANSWER.search(answer)
    name = name_match.group(1).decode("utf-8", "replace") if name_match else ""
    hinted = " ".join((name, env.get("TERM", ""), env.get("TERM_PROGRAM", "")))
    if _PLACEHOLDER_TERMINALS.search(hinted):
        # it named itself: now the graphics query, with DA1 after it to know when to stop
        reply = ask(KITTY_QUERY + DA1, WAIT)
        if b"\x1b_Gi=31;OK" in reply:
            return Choice("kitty", reason=f"{name or hinted.strip()} answered the Kitty query")
    if "4" in da1.group(1).decode().split(";"):
        cell = _CELL_ANSWER.search(ask(CELL_SIZE + DA1, WAIT))
        size = (int(cell.group(2)), int(cell.group(1))) if cell else (10, 20)
        return Choice("sixel", reason=f"{name or 'the terminal'} claims Sixel", cell=size)
    return Choice("halfblock", reason=f"{name or 'the terminal'} claims no graphics: half-blocks")


def tmux_value(fmt: str) -> str:
    """A tmux format (an option as #{name}) for the current client, or "" without tmux."""
    tmux = shutil.which("tmux")
    if tmux is None:
        return ""
    try:
        done = subprocess.run(
            [tmux, "display-message", "-p", fmt], capture_output=True, text=True, timeout=2
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def tty_ask(fd_in: int, fd_out: int) -> Ask:
    """Ask the terminal on these descriptors: no echo, no line editing, while waiting for the
    DA1 answer that ends every exchange (terminals answer in order)."""

    def ask(query: str, wait: float) -> bytes:
        import select
        import termios

        saved = termios.tcgetattr(fd_in)
        raw = termios.tcgetattr(fd_in)
        raw[3] &= ~(termios.ECHO | termios.ICANON)
        raw[6][termios.VMIN], raw[6][termios.VTIME] = 0, 0
        got = b""
        try:
            termios.tcsetattr(fd_in, termios.TCSANOW, raw)
            os.write(fd_out, query.encode())
            end = time.monotonic() + wait
            while not _DA1_ANSWER.search(got):
                left = end - time.monotonic()
                if left <= 0 or not select.select([fd_in], [], [], left)[0]:
                    break
                chunk = os.read(fd_in, 4096)
                if not chunk:
                    break
                got += chunk
        finally:
            termios.tcsetattr(fd_in, termios.TCSANOW, saved)
        return got

    return ask


def detect(setting: str) -> Choice:
    """The choice for this process's terminal (stdin and stdout)."""
    import sys

    ask = None
    try:
        if sys.stdin.isatty() and sys.stdout.isatty():
            ask = tty_ask(sys.stdin.fileno(), sys.stdout.fileno())
    except (OSError, ValueError):
        ask = None
    try:
        return choose(setting, os.environ, ask)
    except OSError:  # the terminal went away while asking
        return Choice("halfblock", reason="could not ask the terminal: half-blocks")

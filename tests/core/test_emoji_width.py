"""Emoji whose width terminals disagree on are drawn the same everywhere (issue 22, item 25).

tmux 3.3 draws a skin-tone modifier as two more cells and ignores the emoji presentation
selector (U+FE0F) that Rich counts as widening its base; either shifts the pane border. The
cleaning pass every displayed text goes through drops both (and joiners, already), so what the
layout counts is what the terminal draws. Judged in a real tmux when one is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest
from rich.cells import cell_len

from tui.textclean import clean_line

SAMPLES = ["👴🏻 Grandpa", "❤️ love", "1️⃣ first", "✔️ done", "🧑🏽‍🚀 crew", "👨‍👩‍👧 family", "🏳️ flag"]


def test_modifiers_and_presentation_selectors_are_dropped():
    assert clean_line("👴🏻 Grandpa") == "👴 Grandpa"
    assert clean_line("❤️ love") == "❤ love"
    assert clean_line("🧑🏽‍🚀 crew") == "🧑🚀 crew"  # the joiner goes too: two emoji side by side


def _tmux(socket: str, *args: str, **kw) -> subprocess.CompletedProcess[str]:
    """tmux on a server of this test's own (-L): nobody else's options or locale apply."""
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], text=True, **kw)


def _drawn_width(session: str, text: str) -> int:
    """Columns tmux moves the cursor over when `text` is printed at the start of a line."""
    _tmux(session, "send-keys", "-t", session, "-l", f"clear; printf '%s' '{text}'")
    _tmux(session, "send-keys", "-t", session, "Enter")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        shown = _tmux(session, "capture-pane", "-p", "-t", session, capture_output=True).stdout
        lines = [line for line in shown.splitlines() if line.strip()]
        if len(lines) == 1 and "printf" not in lines[0]:
            out = _tmux(session, "display", "-p", "-t", session, "#{cursor_x}", capture_output=True)
            return int(out.stdout.strip())
        time.sleep(0.05)
    raise AssertionError(f"tmux never showed {text!r}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_draws_the_cleaned_text_as_wide_as_the_layout_counts():
    session = f"newsdesk-emoji-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    _tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "5",
          "env", "PS1=", "bash", "--norc", "--noprofile", check=True, env=env)  # fmt: skip
    try:
        for text in SAMPLES:
            cleaned = clean_line(text)
            assert _drawn_width(session, cleaned) == cell_len(cleaned), cleaned
    finally:
        _tmux(session, "kill-server")

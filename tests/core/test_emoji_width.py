"""Emoji whose width terminals disagree on are drawn the same everywhere (issue 22, item 25).

tmux 3.3 draws a skin-tone modifier as two more cells and ignores the emoji presentation
selector (U+FE0F) that Rich counts as widening its base; either shifts the pane border. The
cleaning pass every displayed text goes through drops both (and joiners, already), so what the
layout counts is what the terminal draws. Judged in a real tmux when one is installed."""

from __future__ import annotations

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


def _drawn_width(session: str, text: str) -> int:
    """Columns tmux moves the cursor over when `text` is printed at the start of a line."""
    subprocess.run(["tmux", "send-keys", "-t", session, "-l", f"clear; printf '%s' '{text}'"])
    subprocess.run(["tmux", "send-keys", "-t", session, "Enter"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        shown = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
        ).stdout
        lines = [line for line in shown.splitlines() if line.strip()]
        if len(lines) == 1 and "printf" not in lines[0]:
            out = subprocess.run(
                ["tmux", "display", "-p", "-t", session, "#{cursor_x}"],
                capture_output=True, text=True,
            )  # fmt: skip
            return int(out.stdout.strip())
        time.sleep(0.05)
    raise AssertionError(f"tmux never showed {text!r}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_draws_the_cleaned_text_as_wide_as_the_layout_counts():
    session = f"newsdesk-emoji-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "5",
         "env", "PS1=", "LANG=C.UTF-8", "bash", "--norc", "--noprofile"],
        check=True,
    )  # fmt: skip
    try:
        for text in SAMPLES:
            cleaned = clean_line(text)
            assert _drawn_width(session, cleaned) == cell_len(cleaned), cleaned
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session])

"""The committed screenshots show the app as it is: the help screenshot's key table is the one
the app's help screen shows (issue 13: it showed `slash` where the app shows `/`)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tui.ui import keys
from tui.ui.screens import WIDE_HELP

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def svg_text(path: Path) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.mark.parametrize("name", ["help-80x24.svg", "help-120x36.svg", "help-160x45.svg"])
def test_help_screenshot_keys_are_the_apps(name):
    text = svg_text(SHOTS / name)
    checked = 0
    for _section, bindings in keys.SECTIONS:
        for b in bindings:
            shown = b.key_display if b.id == "link_number" else keys.effective_keys(b, {})
            # narrower than tui.ui.screens.WIDE_HELP, the help leaves the ids out
            wide = int(name.split("-")[1].split("x")[0]) >= WIDE_HELP
            # without the ids, a row ends at the help's border
            row = f" {b.description} {b.id} " if wide else f" {b.description} │"
            if row in text:
                assert f" {shown}{row}" in text, (name, shown, b.description)
                checked += 1
    assert checked >= 12, f"{name}: only {checked} key rows found; regenerate the screenshots"

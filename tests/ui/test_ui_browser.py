"""The `browser` setting (issue 22, item 37): `o` runs the configured command with the link
(`%u`, else appended), never through a shell and only for http(s) links; over SSH it is the way
to open links at all."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest
from ui_helpers import items, settle, subscribe

from tui.services.context import Context
from tui.services.links import browser_command
from tui.settings.config import load_config
from tui.ui.app import make_app

RECORDER = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"


@pytest.fixture
def source(server):
    subscribe(server, "/world.xml", "World", items(server, 3, "World"))


async def test_o_runs_the_configured_browser_with_the_link(source, tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "argv.json"
    browser = [sys.executable, "-c", RECORDER, str(out), "--url=%u", "; rm -rf ~"]
    (tmp_path / "config.toml").write_text(f"browser = {json.dumps(browser)}\n")
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "o")
        for _ in range(200):  # the browser runs in its own process: wait for what it wrote
            await settle(app, pilot, 1)
            if out.exists():
                break
            await asyncio.sleep(0.02)
    argv = json.loads(out.read_text())
    assert argv[0].startswith("--url=http://") and argv[0].endswith("/article/World-1")
    assert argv[1] == "; rm -rf ~"  # an argument, never a shell command


def test_browser_command_places_the_url_and_refuses_other_schemes():
    assert browser_command(["w3m"], "https://a.example/") == ["w3m", "https://a.example/"]
    assert browser_command(["lynx", "-dump", "%u"], "http://a.example/x") == [
        "lynx",
        "-dump",
        "http://a.example/x",
    ]
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "https://a.example/\nx"):
        with pytest.raises(ValueError):
            browser_command(["w3m", "%u"], bad)


def test_browser_may_be_a_string(tmp_path):
    (tmp_path / "c.toml").write_text('browser = "w3m %u"\n')
    assert load_config(tmp_path / "c.toml").browser == ["w3m", "%u"]

"""Start-up import discipline, checked in fresh interpreters: the CLI's read commands never load
Textual or trafilatura (each ~0.3 s), and the reader paints its first frame before trafilatura,
httpx or lxml are imported (they load later, off the first paint's path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from feedgen import rss

from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

HEAVY_FOR_CLI = ("textual", "trafilatura")
HEAVY_BEFORE_PAINT = ("trafilatura", "httpx", "lxml")

_CLI_PROBE = """
import json, sys
from tui.cli.main import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
heavy = json.loads(sys.argv[2])
loaded = sorted({n.split('.')[0] for n in sys.modules} & set(heavy))
print(json.dumps({"codes": codes, "loaded": loaded}))
"""

# Runs the real start path (`main([])` as the `newsdesk` command does) with Textual's App.run
# swapped for a headless run that records which heavy packages are loaded when the app gets
# `Ready` (sent once the first frame is on screen), then quits.
_READER_PROBE = """
import asyncio, json, sys
from textual import events
from textual.app import App

heavy = json.loads(sys.argv[1])
seen = {}
_on_event = App.on_event

async def on_event(self, event):
    if isinstance(event, events.Ready) and "at_paint" not in seen:
        seen["at_paint"] = sorted({n.split('.')[0] for n in sys.modules} & set(heavy))
    return await _on_event(self, event)

def run(self, *args, **kwargs):
    async def go():
        async with self.run_test(headless=True, size=(100, 30)) as pilot:
            await pilot.pause()
            seen["screen_text"] = "ok"
    asyncio.run(go())

App.on_event = on_event
App.run = run
from tui.cli.main import main
seen["code"] = main(["--offline"])
print(json.dumps(seen))
"""


def _probe(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def cache_with_entries(server, capsys):
    url = server.add(
        "/w.xml", rss("World", [{"title": f"Story {i}", "guid": str(i)} for i in range(5)])
    )
    assert main(["add", url]) == 0
    capsys.readouterr()


def test_cli_read_commands_load_neither_textual_nor_trafilatura(cache_with_entries):
    commands = [
        ["sources", "--json"],
        ["headlines", "--json"],
        ["headlines", "--unread"],
        ["search", "story", "--json"],
        ["export"],
        ["brief"],
        ["brief", "--format", "html"],
        ["brief", "--format", "markdown"],
        ["unread", "--json"],
    ]
    got = _probe(_CLI_PROBE, json.dumps(commands), json.dumps(HEAVY_FOR_CLI))
    assert got["codes"] == [0] * len(commands)
    assert got["loaded"] == []


def test_reader_paints_before_heavy_imports(cache_with_entries):
    got = _probe(_READER_PROBE, json.dumps(HEAVY_BEFORE_PAINT))
    assert got.get("code") == 0
    assert "at_paint" in got, "the reader never reached its first frame"
    assert got["at_paint"] == []


def test_probe_sees_a_heavy_import():
    """The probes can fail: a command path that does import trafilatura is seen."""
    code = _CLI_PROBE.replace("codes = [", "import trafilatura\ncodes = [")
    got = _probe(code, "[]", json.dumps(HEAVY_FOR_CLI))
    assert got["loaded"] == ["trafilatura"]

"""SVG baselines of the main screens at 80x24 and 120x36, over the demo cache with a frozen
clock, time zone and locale, so any visual change fails here until the baseline is updated on
purpose: `python -m pytest tests/snapshots --snapshot-update`, then review the SVG diff."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from tui.services.context import Context
from tui.services.demo import prepare_demo
from tui.ui.app import make_app

FROZEN_NOW = 1796117400.0  # 2026-12-01 09:30 UTC


@pytest.fixture
def frozen_clock(monkeypatch) -> Iterator[None]:
    """Demo entries are dated relative to now and the list shows times of day: fix both."""
    saved = {k: os.environ.get(k) for k in ("TZ", "LC_ALL", "LANG")}
    os.environ.update(TZ="UTC", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    time.tzset()
    monkeypatch.setattr(time, "time", lambda: FROZEN_NOW)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    time.tzset()


@pytest.fixture
def demo_app(frozen_clock, data_dir):
    ctx = Context()
    prepare_demo(ctx.store())
    ctx.close()
    return make_app(Context(), offline=True, demo=True)


async def _settled(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _open_first(pilot) -> None:
    await _settled(pilot)
    await pilot.press("enter")
    await _settled(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_headlines(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_article(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open_first)


def test_help(snap_compare, demo_app):
    async def open_help(pilot) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")
        await _settled(pilot)

    assert snap_compare(demo_app, terminal_size=(120, 36), run_before=open_help)


async def _river(pilot) -> None:
    await _settled(pilot)
    await pilot.press("v")
    await _settled(pilot)


def test_river(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_river)


async def _front(pilot) -> None:
    await _settled(pilot)
    reader = pilot.app.reader
    reader.sources.focus()
    await pilot.press("home", "enter")
    await _settled(pilot)


def test_front_page(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_front)

"""Part 4: key press to painted, in-process with Textual's Pilot.

Latency is from the key event reaching the app until the first screen update after it that
shows the result: `App._display` is hooked to stamp every compositor update (in headless mode
the strips are rendered, only the terminal write is skipped). A cursor move counts at the first
update after the key; an article open at the first update once the article pane holds that entry.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _idle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


async def _measure(
    data_dir: Path, moves: int, opens: int, river: bool = False
) -> dict[str, list[float]]:
    from tui.services.context import Context
    from tui.ui.app import make_app

    app = make_app(Context(data_dir=data_dir), offline=True)
    stamps: list[tuple[float, int | None]] = []
    cursor: list[float] = []
    opened: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        display = app._display

        def stamped(screen, renderable) -> None:
            if renderable is not None:
                stamps.append((time.perf_counter(), app.reader.article.entry_id))
            display(screen, renderable)

        app._display = stamped
        headlines = app.reader.headlines
        for _ in range(500):  # wait for the first page of rows
            await pilot.pause()
            if headlines.count and headlines.selected_id is not None:
                break
        await app.workers.wait_for_complete()
        await _idle(pilot)
        if river:  # the river layout: 6 lines per entry, same keys
            await pilot.press("v")
            await app.workers.wait_for_complete()
            await _idle(pilot)
        for _ in range(moves):
            stamps.clear()
            start = time.perf_counter()
            await pilot.press("down")
            await _idle(pilot)
            if stamps:
                cursor.append(stamps[0][0] - start)
        await pilot.press("home")
        await _idle(pilot)
        for _ in range(opens):
            target = headlines.selected_id
            stamps.clear()
            start = time.perf_counter()
            await pilot.press("enter")
            while app.reader.article.entry_id != target:
                await pilot.pause()
            await _idle(pilot)
            shown = [t for t, shown_id in stamps if shown_id == target]
            if shown:
                opened.append(shown[0] - start)
            app.reader.headlines.focus()
            await pilot.press("down")
            await app.workers.wait_for_complete()
            await _idle(pilot)
    return {"cursor": cursor, "open": opened}


def measure(
    data_dir: Path, moves: int = 200, opens: int = 30, river: bool = False
) -> dict[str, dict[str, float]]:
    """Median and p95 (ms) of a one-row cursor move and of opening a cached article
    (`river`: in the river layout)."""
    raw = asyncio.run(_measure(data_dir, moves, opens, river))
    return {
        name: {
            "median_ms": statistics.median(xs) * 1000,
            "p95_ms": percentile(xs, 0.95) * 1000,
            "n": len(xs),
        }
        for name, xs in raw.items()
        if xs
    }

"""Opening an article against going back from it (issue 22, item 21: back ≤ open).

    python bench/back.py [--opens 20] [--size 80x24]

Key to painted, in-process with Textual's Pilot, as bench/interact.py measures it: `App._display`
stamps every compositor update; an open counts at the first update once the article pane holds
the entry and is shown, a back (`escape`) at the first update once the list is shown again.
A cache of 10,000 entries (250 sources × 40), each opened entry with a stored article.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.interact import _idle, percentile  # noqa: E402


async def _measure(data_dir: Path, opens: int, size: tuple[int, int]) -> dict[str, list[float]]:
    from tui.services.context import Context
    from tui.ui.app import make_app

    app = make_app(Context(data_dir=data_dir), offline=True)
    stamps: list[tuple[float, bool]] = []
    opened: list[float] = []
    back: list[float] = []
    async with app.run_test(size=size) as pilot:
        display = app._display
        reader = app.reader

        def stamped(screen, renderable) -> None:
            if renderable is not None:
                stamps.append((time.perf_counter(), reader.body.has_class("-reading")))
            display(screen, renderable)

        app._display = stamped
        for _ in range(500):
            await pilot.pause()
            if reader.headlines.count and reader.headlines.selected_id is not None:
                break
        await app.workers.wait_for_complete()
        await _idle(pilot)
        for _ in range(opens):
            target = reader.headlines.selected_id
            stamps.clear()
            start = time.perf_counter()
            await pilot.press("enter")
            while reader.article.entry_id != target or not reader.state.reading:
                await pilot.pause()
            await _idle(pilot)
            shown = [t for t, reading in stamps if reading]
            if shown:
                opened.append(shown[0] - start)
            await app.workers.wait_for_complete()
            await _idle(pilot)
            stamps.clear()
            start = time.perf_counter()
            await pilot.press("escape")
            while reader.state.reading:
                await pilot.pause()
            await _idle(pilot)
            gone = [t for t, reading in stamps if not reading]
            if gone:
                back.append(gone[0] - start)
            await pilot.press("down")
            await app.workers.wait_for_complete()
            await _idle(pilot)
    return {"open": opened, "back": back}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    from bench.cache_fill import fill_newsdesk

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        fill_newsdesk(data, 250, 40, seed=1, articles=args.opens + 5)
        raw = asyncio.run(_measure(data, args.opens, (width, height)))
    for name, xs in raw.items():
        print(
            f"{args.size} {name:5} median {statistics.median(xs) * 1000:6.1f} ms  "
            f"p95 {percentile(xs, 0.95) * 1000:6.1f} ms  (n={len(xs)})"
        )


if __name__ == "__main__":
    main()

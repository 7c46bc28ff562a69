"""How long a mark made in the open reader takes to reach the server (for bench/sync.py).

The reader (headless, Textual's run_test) on a cache synced from the GReader contract server;
the highlighted entry starred and unstarred N times with `s`, each once the last push is done;
each time, the seconds from the key press until the server holds the new state (polled every
10 ms), and whether anything was pulled meanwhile (stream/items/ids requests).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from sync_sides import GReaderSide

IDS = "/reader/api/0/stream/items/ids"


async def _measure(side: GReaderSide, rids: list[str], runs: int) -> list[float]:
    from tui.net.http import make_client
    from tui.services.context import Context
    from tui.ui.app import make_app

    took = []
    async with make_client(timeout=10) as client:
        app = make_app(Context(), client=client)
        async with app.run_test(size=(120, 30)) as pilot:
            for _ in range(5):  # the start's own refresh and sync
                await app.workers.wait_for_complete()
                await pilot.pause()
            pulls = len(side.srv.requests(IDS))
            for n in range(runs):
                want = n % 2 == 0
                t0 = time.perf_counter()
                await pilot.press("s")
                while any(s for _, s in side.state(rids).values()) != want:
                    if time.perf_counter() - t0 > 30:
                        raise SystemExit("reader push: the mark never reached the server")
                    await pilot.pause(0.01)
                took.append(time.perf_counter() - t0)
                while app.workers:  # the push done, so the next mark starts from rest
                    await pilot.pause(0.01)
            if len(side.srv.requests(IDS)) != pulls:
                raise SystemExit("reader push: something was pulled")
    return took


def run(runs: int = 6) -> None:
    from tui.cli.main import main

    side = GReaderSide()
    try:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            os.environ.update(NEWSDESK_DATA_DIR=str(tmp / "data"),
                              NEWSDESK_CONFIG=str(tmp / "config.toml"),
                              NEWSDESK_PASSWORD_HOME=side.password)  # fmt: skip
            rids = side.entries(side.feed("Alpha"), 20)
            side.write_config(tmp / "config.toml", extra="prefetch = false\n")
            main(["sync"])
            took = asyncio.run(_measure(side, rids, runs))
    finally:
        side.close()
    print(f"  each (s): {[round(t, 2) for t in took]}")
    print(
        f"a mark in the open reader reaches the server: median {statistics.median(took):.2f} s, "
        f"max {max(took):.2f} s over {runs} marks (1 s of it the wait for more marks to batch); "
        "0 pulls"
    )

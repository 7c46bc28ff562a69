"""Generate screenshots/*.svg from the real reader in demo mode (no network, throwaway cache).

    python scripts/screenshots.py            # writes screenshots/*.svg

Demo dates are relative to now, so times in the pictures change from run to run; the layout and
text do not.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "screenshots"
SIZES = [(80, 24), (120, 36), (160, 45)]


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def show_front(app, pilot, back: bool = False) -> None:
    """Choose the Front page (first row of the sources pane), or with `back` All unread."""
    app.reader.sources.focus()
    await pilot.press("home", *(["down"] if back else []), "enter")
    await settle(app, pilot)


async def shoot(size: tuple[int, int], out: Path) -> list[Path]:
    """Headlines, the Front page, the river, an open article with a captioned figure, help,
    search and a light theme."""
    from tui.services.context import Context
    from tui.ui.app import make_app

    w, h = size
    written: list[Path] = []
    app = make_app(Context(), offline=True, demo=True)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)

        def save(name: str) -> None:
            path = out / f"{name}-{w}x{h}.svg"
            path.write_text(app.export_screenshot(title=f"newsdesk {name}"), encoding="utf-8")
            written.append(path)

        save("headlines")
        await show_front(app, pilot)  # the Front page, then back to All unread
        save("front")
        await show_front(app, pilot, back=True)
        await pilot.press("v")  # the river, then back to the compact list
        await settle(app, pilot)
        save("river")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        save("article")
        await pilot.press("question_mark")
        await pilot.pause()
        save("help")
        await pilot.press("escape")
        if not app.reader.wide:
            await pilot.press("escape")  # back from the full-width article
        await pilot.press("slash", *"storm")
        await pilot.pause(0.3)
        await settle(app, pilot)
        save("search")
        await pilot.press("escape")
        app.theme = "textual-light"
        await pilot.press("j", "j", "enter")
        await settle(app, pilot)
        save("light")
    return written


def main() -> int:
    from tui.services.context import Context
    from tui.services.demo import prepare_demo

    OUT.mkdir(exist_ok=True)
    for size in SIZES:
        # a fresh demo cache and config per size: every set starts from the same state
        with tempfile.TemporaryDirectory(prefix="newsdesk-shots-") as tmp:
            os.environ["NEWSDESK_DATA_DIR"] = str(Path(tmp) / "data")
            os.environ["NEWSDESK_CONFIG"] = str(Path(tmp) / "config.toml")
            ctx = Context()
            prepare_demo(ctx.store())
            ctx.close()
            for path in asyncio.run(shoot(size, OUT)):
                print(path.relative_to(OUT.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())

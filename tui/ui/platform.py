"""What this machine and build offer the reader: a graphical browser, the starter feeds."""

from __future__ import annotations

import os
import sys

NO_BROWSER = (
    'No browser available; press y to copy the link, or set browser = ["w3m", "%u"] in the config.'
)


def starter_feeds() -> list[tuple[str, str, str]]:
    """The shipped starter set, or none if this build has no `tui.services.starter`."""
    try:
        from tui.services.starter import STARTER_FEEDS
    except ImportError:
        return []
    return list(STARTER_FEEDS)


def browser_available() -> bool:
    """Only a graphical browser: a console one (lynx, w3m) would fight us for the terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

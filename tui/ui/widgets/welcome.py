"""The first-run pane: shown instead of empty lists when there are no sources yet."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from tui.ui import keys
from tui.ui.platform import starter_feeds


class WelcomePane(Vertical, can_focus=True):
    """Three ways to start: add a URL, import a file, or subscribe to the starter set."""

    BINDINGS = [*keys.WELCOME]
    DEFAULT_CSS = """
    WelcomePane { padding: 1 2; background: $surface; height: 1fr; }
    WelcomePane > Static { margin-bottom: 1; }
    WelcomePane > Button { margin-bottom: 1; min-width: 40; }
    """

    def compose(self) -> ComposeResult:
        starters = starter_feeds()
        intro = Text("Welcome to newsdesk\n", style="bold")
        intro.append("You have no sources yet. Start in one of three ways:")
        yield Static(intro)
        yield Button("a  Add a feed or site by URL", id="welcome-add")
        yield Button("i  Import an OPML or newsboat urls file", id="welcome-import")
        if starters:
            yield Button(
                f"t  Subscribe to {len(starters)} well-known news feeds",
                id="welcome-starter",
                variant="primary",
            )

    # App.run_action is a coroutine: without the await, a click did nothing.
    @on(Button.Pressed, "#welcome-add")
    async def _add(self) -> None:
        await self.screen.run_action("add_source")

    @on(Button.Pressed, "#welcome-import")
    async def _import(self) -> None:
        await self.screen.run_action("import_file")

    @on(Button.Pressed, "#welcome-starter")
    async def _starter(self) -> None:
        await self.screen.run_action("subscribe_starter")

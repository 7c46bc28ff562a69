"""Modal screens: help (every binding with its effective keys), add a source, import a file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.textclean import clean_line
from tui.ui import keys
from tui.ui.dialogs import InputDialog

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tui.services.operations import Imported
    from tui.services.subscribe import Added

    AddSource = Callable[[str, bool], Awaitable[Added]]  # (url, anyway); raises AddFailed
    ImportFile = Callable[[str], Imported]  # blocking; raises OperationError

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 70; max-width: 95%; height: auto; border: round $accent;
    background: $panel; padding: 1 2; }}
{name} .error {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 1; }}
"""


WIDE_HELP = 100  # columns from which the help shows each binding's id


class HelpScreen(ModalScreen[None]):
    """Every binding, grouped by pane, with the keys that trigger it after the user's keymap.
    It scrolls with the keys the article scrolls with; toasts wait until it closes (they would
    cover the table)."""

    BINDINGS = [*keys.HELP]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 96; max-width: 100%; height: 90%; border: round $accent;
        background: $panel; padding: 0 1; }
    """

    def on_mount(self) -> None:
        # no toast rack on this screen: toasts wait for the list's screen (shown when it
        # resumes, if they have not expired) instead of covering the table
        self.query("#textual-toastrack").remove()

    @property
    def _scroll(self) -> VerticalScroll:
        return self.query_one(VerticalScroll)

    def action_scroll_down(self) -> None:
        self._scroll.scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        self._scroll.scroll_relative(y=-1, animate=False)

    def action_scroll_home(self) -> None:
        self._scroll.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self._scroll.scroll_end(animate=False)

    def action_page_down(self) -> None:
        self._scroll.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self._scroll.scroll_page_up(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (escape closes)"
            yield Static(self._table(self._with_ids(self.app.size.width)))

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(Static).update(self._table(self._with_ids(event.size.width)))

    @staticmethod
    def _with_ids(width: int) -> bool:
        """The ids column (what [keys] remaps) only where the descriptions still fit beside it."""
        return width >= WIDE_HELP

    def _table(self, with_ids: bool = True) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        if with_ids:
            table.add_column(style="dim", no_wrap=True)  # the id to remap it with in [keys]
        else:
            table.add_row("", Text("Ids to remap keys: docs/keys.md, or a wider terminal.", "dim"))
        for section, bindings in keys.SECTIONS:
            table.add_row(Text(section, style="bold underline"), *([""] * (2 if with_ids else 1)))
            for b in bindings:
                shown = (
                    (b.key_display or b.key)
                    if b.id == "link_number"
                    else keys.effective_keys(b, self.keymap)
                )
                cells = [Text(shown), Text(b.description)]
                table.add_row(*cells, *([Text(b.id or "")] if with_ids else []))
            table.add_row("", "", *([""] if with_ids else []))
        return table


class AddSourceScreen(InputDialog["Added"]):
    """Ask for a feed or site URL; the reader's add operation subscribes (autodiscovering a
    site's feed) or says why not, and then "Add anyway" is offered. The dialog does no I/O."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="AddSourceScreen")

    def __init__(self, offline: bool, add: AddSource) -> None:
        super().__init__()
        self.offline, self.add = offline, add

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Add a source"
            yield Label("Feed URL, or a web site's address (its feed is found for you):")
            yield Input(placeholder="https://example.org/feed.xml", id="url")
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                # shown when the first fetch fails: subscribe anyway, the refresh reports it
                yield Button("Add anyway", id="anyway")
                yield Button("Add", id="add", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#anyway").display = False
        self.failed_url: str | None = None

    @on(Button.Pressed, "#add")
    @on(Input.Submitted)
    def _submit(self) -> None:
        url = self.query_one(Input).value.strip()
        if not url:
            self.say("Type a URL first.")
        elif self.offline:
            self.say("Offline: adding a source needs the network.")
        else:
            self.say("Checking…")
            self._run(url, False)

    def _failed(self, message: str, url: str | None) -> None:
        """The URL is well formed but its first fetch failed: offer to add it all the same."""
        self.failed_url = url
        self.query_one("#anyway").display = url is not None
        # the server's words are cleaned to one line; our question goes on its own line
        text = Text(clean_line(message, 400))
        if url:
            text.append(
                "\nAdd anyway subscribes without a working first fetch (the next refresh "
                "tries again, and e says why it fails); Try again checks once more."
            )
            self.query_one("#add", Button).label = "Try again"
        self.say(text)

    @on(Input.Changed)
    def _typed(self) -> None:
        if self.failed_url is not None:
            self.failed_url = None
            self.query_one("#anyway").display = False
            self.query_one("#add", Button).label = "Add"

    @on(Button.Pressed, "#anyway")
    def _add_anyway(self) -> None:
        if self.failed_url is not None:
            self._run(self.failed_url, True)

    @work(group="subscribe", exclusive=True, exit_on_error=False)
    async def _run(self, url: str, anyway: bool) -> None:
        from tui.services.operations import AddFailed

        try:
            added = await self.add(url, anyway)
        except AddFailed as exc:
            self._failed(str(exc), exc.url)
            return
        except Exception as exc:  # a bug must not take the app down
            self.say(f"{type(exc).__name__}: {exc}")
            return
        self.dismiss(added)


class ImportScreen(InputDialog["Imported"]):
    """Ask for an OPML file or a newsboat urls file; the reader's import operation reads it
    (a file it cannot read is said here, so the path can be fixed)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ImportScreen")

    def __init__(self, import_file: ImportFile) -> None:
        super().__init__()
        self.import_file = import_file

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Import subscriptions"
            yield Label("Path to an OPML file or a newsboat urls file:")
            yield Input(placeholder="~/feeds.opml", id="path")
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Import", id="import", variant="primary")

    @on(Button.Pressed, "#import")
    @on(Input.Submitted)
    def _submit(self) -> None:
        path = self.query_one(Input).value.strip()
        if path:
            self._import(path)

    @work(thread=True, group="import", exclusive=True, exit_on_error=False)
    def _import(self, path: str) -> None:
        from tui.services.operations import OperationError

        try:
            result = self.import_file(path)
        except OperationError as exc:
            self.app.call_from_thread(self.say, str(exc))
            return
        self.app.call_from_thread(self.dismiss, result)

"""Modal screens: help (every binding with its effective keys), add a source, import a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.textclean import clean_line
from tui.ui import keys

if TYPE_CHECKING:
    from tui.services.subscribe import Added
    from tui.settings.config import Config
    from tui.store import Store

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


class AddSourceScreen(ModalScreen["Added | None"]):
    """Ask for a feed or site URL, subscribe (autodiscovering a site's feed), or say why not."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="cancel_dialog")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="AddSourceScreen")

    def __init__(self, store: Store, config: Config, offline: bool) -> None:
        super().__init__()
        self.store, self.config, self.offline = store, config, offline

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

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#add")
    @on(Input.Submitted)
    def _submit(self) -> None:
        url = self.query_one(Input).value.strip()
        if not url:
            self._error("Type a URL first.")
        elif self.offline:
            self._error("Offline: adding a source needs the network.")
        else:
            self._error("Checking…")
            self._subscribe(url)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(clean_line(message, 400)))

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
        self.query_one("#error", Static).update(text)

    @on(Input.Changed)
    def _typed(self) -> None:
        if self.failed_url is not None:
            self.failed_url = None
            self.query_one("#anyway").display = False
            self.query_one("#add", Button).label = "Add"

    @on(Button.Pressed, "#anyway")
    def _add_anyway(self) -> None:
        if self.failed_url is not None:
            self._add_unchecked(self.failed_url)

    @work(thread=True, group="subscribe", exclusive=True, exit_on_error=False)
    def _add_unchecked(self, url: str) -> None:
        from tui.services.subscribe import Added

        already = not self.store.add_source(url)
        self.app.call_from_thread(self.dismiss, Added(url, None, already=already, unchecked=True))

    @work(thread=True, group="subscribe", exclusive=True, exit_on_error=False)
    def _subscribe(self, url: str) -> None:
        """subscribe() parses the feed and writes SQLite inline, so it gets its own thread
        (with its own event loop and short-lived client) instead of freezing the UI."""
        import asyncio

        from tui.net.http import make_client
        from tui.services.subscribe import SubscribeError, normalise_url, subscribe

        app, cfg = self.app, self.config

        async def go() -> Added:
            async with make_client(cfg.timeout, 4) as client:
                return await subscribe(self.store, client, cfg, url)

        try:
            added = asyncio.run(go())
        except SubscribeError as exc:
            try:
                checked: str | None = normalise_url(url)
            except SubscribeError:
                checked = None  # not a URL at all: nothing to add anyway
            app.call_from_thread(self._failed, str(exc), checked)
            return
        except Exception as exc:  # a bug must not take the app down
            app.call_from_thread(self._error, f"{type(exc).__name__}: {exc}")
            return
        app.call_from_thread(self.dismiss, added)


class ImportScreen(ModalScreen[tuple[int, int, list[str]] | None]):
    """Import subscriptions from an OPML file or a newsboat urls file."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="cancel_dialog")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="ImportScreen")

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Import subscriptions"
            yield Label("Path to an OPML file or a newsboat urls file:")
            yield Input(placeholder="~/feeds.opml", id="path")
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Import", id="import", variant="primary")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import")
    @on(Input.Submitted)
    def _submit(self) -> None:
        path = self.query_one(Input).value.strip()
        if path:
            self._import(path)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(clean_line(message, 400)))

    @work(thread=True, group="import", exclusive=True, exit_on_error=False)
    def _import(self, path: str) -> None:
        from tui.feeds.opml import ImportError_, read_subscriptions

        try:
            data = Path(path).expanduser().read_bytes()
            store = self.store
            result = read_subscriptions(data, (r["folder"] for r in store.sources() if r["folder"]))
        except OSError as exc:
            self.app.call_from_thread(self._error, f"cannot read {path}: {exc.strerror}")
            return
        except ImportError_ as exc:
            self.app.call_from_thread(self._error, f"{path}: {exc}")
            return
        subs = result.subscriptions
        added = sum(1 for s in subs if store.add_source(s.url, s.title, s.folder))
        notes = [n for n in (result.skipped_text(), result.problem, *result.notes_text()) if n]
        self.app.call_from_thread(self.dismiss, (added, len(subs) - added, notes))

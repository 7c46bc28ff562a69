"""Dialogs opened from the panes: the numbered links of an article, a source's settings, its
details and last error, and a yes/no confirmation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.services.links import Link
from tui.services.operations import SourceEdit
from tui.textclean import clean_line, safe_url
from tui.ui import keys, render

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 90; max-width: 95%; height: auto; max-height: 90%;
    border: round $accent; background: $panel; padding: 0 1; }}
{name} .hint {{ color: $text-muted; height: auto; }}
{name} .error {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin-left: 1; }}
"""


_R = TypeVar("_R")


class InputDialog(ModalScreen[_R | None], Generic[_R]):
    """A dialog that collects input and returns it: escape or Cancel returns None; `say` puts
    one line (cleaned) in its #error line."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="cancel_dialog")]

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def say(self, message: str | Text) -> None:
        text = message if isinstance(message, Text) else Text(clean_line(message, 400))
        self.query_one("#error", Static).update(text)


@dataclass(frozen=True)
class LinkChosen:
    verb: str  # "open", "copy" or "play"
    link: Link


class LinksScreen(ModalScreen[LinkChosen | None]):
    """The article's links, numbered. A number opens one; `y` or `P` first copies or plays it.

    With ten or more links, digits add up: "1" then "2" is link 12; a number that no further
    digit could extend acts at once, otherwise enter confirms.
    """

    BINDINGS = [
        *[Binding(d, f"digit({d})", show=False, id="link_number") for d in keys.DIGITS],
        *[b for b in keys.LINKS if b.id != "link_number"],
    ]
    DEFAULT_CSS = (
        _CSS.format(name="LinksScreen")
        + """
    LinksScreen OptionList, LinksScreen OptionList:focus { height: auto; max-height: 20;
        border: none; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    )

    def __init__(self, links: list[Link], can_play: bool) -> None:
        super().__init__()
        self.links = links
        self.can_play = can_play
        self.verb = "open"
        self.typed = ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Links (escape closes)"
            yield OptionList(*[self._option(i, link) for i, link in enumerate(self.links)])
            yield Static(self._hint(), classes="hint", id="links-hint")

    def _option(self, index: int, link: Link) -> Option:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{index + 1:>3}  ", style="bold")
        text.append(clean_line(link.label, 80), style="bold" if link.playable else "")
        text.append("  " + clean_line(link.url, 500), style="dim")
        return Option(text, id=str(index))

    def _hint(self) -> Text:
        if self.verb != "open":
            return Text(f"{self.verb.capitalize()} which link? Type its number, or enter.")
        if not self.links:
            return Text("This entry has no http(s) links.")
        play = ", P plays (enclosures)" if self.can_play else ""
        return Text(f"A number opens a link; y then a number copies it{play}.")

    def _set_verb(self, verb: str) -> None:
        self.verb, self.typed = verb, ""
        self.query_one("#links-hint", Static).update(self._hint())

    @property
    def _list(self) -> OptionList:
        return self.query_one(OptionList)

    def action_digit(self, digit: int) -> None:
        typed = self.typed + str(digit)
        number = int(typed)
        if not 1 <= number <= len(self.links):
            self.typed = ""
            self.notify(f"No link {typed}.", markup=False)
            return
        self._list.highlighted = number - 1
        if number * 10 > len(self.links):
            self._act(number - 1)
        else:
            self.typed = typed

    def action_open(self) -> None:
        if self._list.highlighted is not None:
            self._act(self._list.highlighted)

    def action_copy(self) -> None:
        self._set_verb("copy")

    def action_play(self) -> None:
        if not self.can_play:
            self.notify('No player configured: set player = ["mpv"] in the config.', markup=False)
            return
        self._set_verb("play")

    def action_close(self) -> None:
        if self.verb != "open":
            self._set_verb("open")
        else:
            self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._act(event.option_index)

    def _act(self, index: int) -> None:
        self.dismiss(LinkChosen(self.verb, self.links[index]))


SourceSettings = SourceEdit  # what the settings dialog collects and returns


class EditSourceScreen(InputDialog[SourceSettings]):
    """Title override and folder (kept in the cache), prefetch and refresh interval (kept in
    the config file's [sources."URL"] table)."""

    DEFAULT_CSS = (
        _CSS.format(name="EditSourceScreen")
        + """
    EditSourceScreen Input { margin-bottom: 1; background: $boost; }
    EditSourceScreen Input:focus { background: $accent 20%; }
    EditSourceScreen Label { margin-top: 0; }
    EditSourceScreen Checkbox { margin-bottom: 1; }
    """
    )

    def __init__(self, current: SourceSettings, feed_title: str) -> None:
        super().__init__()
        self.current = current
        self.feed_title = feed_title

    def compose(self) -> ComposeResult:
        cur = self.current
        with Vertical() as box:
            # named: E from a headline or "All unread" edits that entry's source
            box.border_title = render.plain_title(f"Settings of {cur.title or self.feed_title}", 80)
            # compact fields: with the URL field the dialog still fits in 24 rows
            yield Label("Feed URL")
            yield Input(clean_line(cur.url, 2000), id="url", compact=True)
            yield Label("Title (empty: the feed's own title)")
            # what an import or a feed stored is cleaned again here: an Input shows raw text
            title, folder = clean_line(cur.title, 300), clean_line(cur.folder, 300)
            placeholder = clean_line(self.feed_title, 80)
            yield Input(title, placeholder=placeholder, id="title", compact=True)
            yield Label("Folder (empty: none)")
            yield Input(folder, id="folder", compact=True)
            yield Label("Refresh at most every N minutes")
            yield Input(str(cur.interval), id="interval", type="integer", compact=True)
            yield Checkbox(
                "Fetch full articles of new entries", cur.prefetch, id="prefetch", compact=True
            )
            yield Static("", id="error", classes="error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        value = self.query_one("#interval", Input).value.strip()
        if not value.isdigit() or not 1 <= int(value) <= 7 * 24 * 60:
            self.say("Refresh interval: a whole number of minutes, 1 to 10080.")
            return
        url = self.query_one("#url", Input).value.strip()
        if safe_url(url) is None or any(c.isspace() for c in url):
            self.say("Feed URL: an http(s) address.")
            return
        title = clean_line(self.query_one("#title", Input).value, 300) or None
        folder = clean_line(self.query_one("#folder", Input).value, 300) or None
        prefetch = self.query_one("#prefetch", Checkbox).value
        settings = SourceSettings(self.current.url, title, folder, prefetch, int(value))
        if url == self.current.url:
            self.dismiss(settings)
        else:  # a new address is checked as `a` checks one: a typo is not saved
            self.query_one("#error", Static).update(Text("Checking the new address…"))
            self._check(settings, url)

    @work(thread=True, group="check-url", exclusive=True, exit_on_error=False)
    def _check(self, settings: SourceSettings, url: str) -> None:
        import asyncio

        from tui.services.desk import open_client
        from tui.services.subscribe import SubscribeError, check_feed

        app = self.app
        config = app.config  # type: ignore[attr-defined]
        if app.offline:  # type: ignore[attr-defined]
            app.notify("Offline: the new address is saved unchecked.", markup=False)
            app.call_from_thread(self.dismiss, replace(settings, new_url=url))
            return

        async def go() -> str:
            async with open_client(config) as client:
                return await check_feed(client, config, url)

        try:
            found = asyncio.run(go())
        except SubscribeError as exc:
            error = Text("Not saved: " + clean_line(str(exc), 300))
            app.call_from_thread(self.query_one("#error", Static).update, error)
            return
        moved = found if found != self.current.url else None
        app.call_from_thread(self.dismiss, replace(settings, new_url=moved))


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or the button confirms, n or escape cancels."""

    BINDINGS = [*keys.DIALOGS]
    DEFAULT_CSS = _CSS.format(name="ConfirmScreen")

    def __init__(self, title: str, question: Text, yes: str) -> None:
        super().__init__()
        self.title_text, self.question, self.yes = title, question, yes

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = render.plain_title(self.title_text, 80)
            yield Static(self.question)
            with Horizontal():
                yield Button("Cancel (n)", id="cancel")
                yield Button(f"{self.yes} (y)", id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()  # enter alone does not destroy anything

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)


class SourceInfoScreen(ModalScreen[None]):
    """A source's address, last status and error, when it was fetched and when it will be
    again: what `e` shows, from the sources pane, the list or an article."""

    BINDINGS = [b for b in keys.DIALOGS if b.id == "cancel_dialog"]
    DEFAULT_CSS = _CSS.format(name="SourceInfoScreen")

    def __init__(self, title: str, facts: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.facts = title, facts

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = render.plain_title(self.title_text, 80)
            box.border_subtitle = "escape closes"
            yield Static(self._table(), id="source-facts")
            with Horizontal():
                yield Button("Close", id="close", variant="primary")

    def _table(self) -> Text:
        text = Text()
        for i, (name, value) in enumerate(self.facts):
            text.append(("\n" if i else "") + f"{name:<12}", style="bold")
            style = "red" if name == "Error" and value != "none" else ""
            text.append(clean_line(value, 600), style=style)
        return text

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)

"""The search input over the headline list: `/` shows it, typing filters the list live."""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from tui.ui import keys

DEBOUNCE = 0.15  # seconds of quiet typing before the list is filtered


class SearchBar(Input):
    """Posts `SearchChanged` once typing pauses; escape clears, enter goes back to the list."""

    BINDINGS = [*keys.SEARCH]
    DEFAULT_CSS = """
    SearchBar { display: none; margin: 0 1; }
    """

    class SearchChanged(Message):
        """The search text settled (empty: the search was cleared)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Left(Message):
        """The user left the search for the list (enter or down)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(placeholder="Search titles and text (escape clears)", compact=True, **kw)
        self._timer: Timer | None = None
        self.sent = ""

    @property
    def active(self) -> bool:
        """A search is on: the bar is open or its words still filter the list."""
        return self.has_class("-active")

    def reset(self) -> None:
        """Hide the bar and forget its words without announcing it (a new view was chosen)."""
        self.value, self.sent = "", ""
        self.remove_class("-active")
        self.display = False

    def open(self) -> None:
        self.add_class("-active")
        self.display = True
        # focus now, not after a refresh: keys typed right after "/" belong to the search
        self.screen.set_focus(self)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._settled)

    def _settled(self) -> None:
        self._timer = None
        self._send(self.value)

    def _send(self, text: str) -> None:
        if text.strip() != self.sent:
            self.sent = text.strip()
            self.post_message(self.SearchChanged(self.sent))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._settled()
        self.post_message(self.Left())

    def action_clear(self) -> None:
        """Close the search and show the unfiltered list again."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.value = ""
        self.remove_class("-active")
        self.display = False
        self._send("")
        self.post_message(self.Left())

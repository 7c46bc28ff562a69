"""What the reader shows, in one object: the reader screen owns it, the panes update it, and
every key reads it (no pane keeps its own copy of "what is open")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.services.desk import View
from tui.services.session import Session

if TYPE_CHECKING:
    from tui.ui.pictures import Terminal

Expanded = tuple[tuple[int, int, float], ...]  # (story, the row that stands for it, its time)


@dataclass
class ReaderState:
    view: View | None = None  # the view the headline list shows (set when it is chosen)
    highlighted: int | None = None  # the entry under the list's cursor
    opened: int | None = None  # the entry whose article is open, or opening
    reading: bool = False  # the article pane is shown
    search_base: View | None = None  # the view a running search narrows
    expanded: Expanded = ()  # stories unfolded in the list
    show_hidden: bool = False  # rules' hidden entries shown (dim)

    def target(self, article_focused: bool) -> int | None:
        """The entry a key acts on: the article's when the article pane has the focus, else
        the highlighted row (never the open article while the highlight sits elsewhere)."""
        if article_focused and self.reading and self.opened is not None:
            return self.opened
        return self.highlighted

    def close(self) -> None:
        """Nothing is open any more (its entry was deleted)."""
        self.opened = None
        self.reading = False


@dataclass(frozen=True)
class ReaderSetup:
    """What the app hands the reader screen: the session (cache, config, HTTP client), whether
    to stay offline, the user's keymap, and the picture protocol."""

    session: Session
    offline: bool
    keymap: dict[str, str]
    pictures: Terminal | None = None  # how pictures are drawn (None: not at all)

"""Messages the panes and workers post to the app, all named in the past tense."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tui.store.views import View


class SourceSelected(Message):
    """The user chose a view in the sources pane."""

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view


class EntryHighlighted(Message):
    """The headline cursor moved onto an entry."""

    def __init__(self, entry_id: int | None) -> None:
        super().__init__()
        self.entry_id = entry_id


class EntryOpened(Message):
    """The user opened an entry (enter, click, n/p)."""

    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id


class ArticleLoaded(Message):
    """An article view (cached or freshly fetched) is ready for an entry."""

    def __init__(
        self, entry_id: int, entry: Any, article: Any, fetched: bool = False, blocks: Any = None
    ) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.entry = entry
        self.article = article  # tui.services.reader.ArticleView
        self.fetched = fetched
        self.blocks = blocks  # its rendered blocks (list of rich Text), made in the worker


class RefreshProgressed(Message):
    """One more source (or, after the feeds, article page) finished during a refresh; only
    the latest one matters."""

    def __init__(self, done: int, total: int, what: str = "refreshing") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.what = what

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


class RefreshFinished(Message):
    """A refresh run ended (its summary says how it went)."""

    def __init__(self, summary: Any) -> None:
        super().__init__()
        self.summary = summary


class SourcesChanged(Message):
    """Sources were added or removed: lists and counts need a reload."""


class EntriesChanged(Message):
    """Read/starred state changed in the store; the counts need a reload."""


class ThemeSaved(Message):
    """The chosen theme was written to the config file."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

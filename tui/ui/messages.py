"""Messages the panes and workers post to the app, all named in the past tense."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from tui.services.desk import EntryRow, View

if TYPE_CHECKING:  # the reader's and the refresh's modules are imported when first used
    from rich.text import Text

    from tui.services.desk import AccountResult
    from tui.services.reader import ReaderArticle
    from tui.services.refresh import RefreshSummary


class SourceSelected(Message):
    """The user chose a view in the sources pane."""

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view


class EntryOpened(Message):
    """The user opened an entry (enter, click, n/p)."""

    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id


class ArticleLoaded(Message):
    """An article view (cached or freshly fetched) is ready for an entry."""

    def __init__(
        self,
        entry_id: int,
        entry: EntryRow | None,
        article: ReaderArticle,
        fetched: bool = False,
        blocks: list[Text] | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.entry = entry
        self.article = article
        self.fetched = fetched
        self.blocks = blocks  # its rendered blocks, made in the worker
        self.size = size  # the pane's picture size when it was opened: its pictures follow


class PicturesLoaded(Message):
    """The open article's blocks again, with its pictures decoded and drawn (in a worker)."""

    def __init__(self, entry_id: int, blocks: list[Text]) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.blocks = blocks


class RefreshProgressed(Message):
    """One more source (phase "refreshing") or article page ("articles") finished during a
    refresh; only the latest one matters."""

    def __init__(self, done: int, total: int, phase: str = "refreshing") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.phase = phase

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


class RefreshFinished(Message):
    """A refresh stored its feeds (its summary says how it went); article prefetch, pruning
    and indexing may still be running in the same worker."""

    def __init__(self, summary: RefreshSummary) -> None:
        super().__init__()
        self.summary = summary


class SyncProgressed(Message):
    """An aggregator account's sync moved on ("work: 400 entries")."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SyncFinished(Message):
    """Every account's sync ended, failed ones with their error."""

    def __init__(self, results: list[AccountResult]) -> None:
        super().__init__()
        self.results = results


class EntriesChanged(Message):
    """Read/starred state changed in the store; the counts need a reload."""

"""The article pane: header (title, source, author, date, link), a one-line notice, the body.

The body is a line-API `ScrollView` (article_body.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tui.services.desk import EntryRow
from tui.ui import keys, render
from tui.ui.widgets.article_body import ArticleBody

if TYPE_CHECKING:  # the reader's module is imported when the first article opens
    from tui.models import Teaser
    from tui.services.reader import ReaderArticle


COMPACT_HEIGHT = 30  # rows below which the article's header leaves out the link and margin


class ArticleView(Vertical, can_focus=True):
    """Shows one entry's article; `entry_id` says which (None: nothing open)."""

    BINDINGS = [*keys.ARTICLE]
    DEFAULT_CSS = """
    ArticleView { background: $surface; padding: 0 2; height: 1fr; }
    ArticleView:focus { background-tint: $accent 4%; }
    ArticleView > #article-header { margin: 1 0 0 0; }
    ArticleView.-compact > #article-header { margin: 0; }
    ArticleView > #article-notice { color: $text-muted; text-style: italic; }
    ArticleView > #article-body { margin: 1 0 0 0; }
    ArticleView > #article-empty { color: $text-muted; margin: 1 0; }
    """

    class Dismissed(Message):
        """The user pressed escape: go back to the headlines."""

    class TeaserOpened(Message):
        """The user pressed enter on a teaser's headline: read that story here."""

        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.entry_id: int | None = None
        self.link: str | None = None
        self._teasers: list[
            tuple[int, str, Teaser]
        ] = []  # (block index, link, Teaser) on a page of teasers
        self._chosen = 0  # the teaser enter opens
        self._shown: tuple[Any, ReaderArticle, list[Text]] | None = None  # entry, view, blocks
        # the page of teasers a story was opened from, and its chosen teaser: escape goes back
        self._river: tuple[int, Any, ReaderArticle, list[Text], int] | None = None

    def _parts(self) -> None:
        """Mount the parts on first use: the pane is hidden at start, and its parts' CSS and
        styling would cost the first frame. Mounted widgets can be queried at once."""
        if not self.children:
            self.mount(
                Static("Press enter on a headline to read it.", id="article-empty", markup=False),
                Static(id="article-header"),
                Static(id="article-notice"),
                ArticleBody(id="article-body"),
            )

    @property
    def body(self) -> ArticleBody:
        self._parts()
        return self.query_one(ArticleBody)

    def show(
        self,
        entry_id: int,
        entry: EntryRow | None,
        view: ReaderArticle,
        loading: bool,
        blocks: list[Text] | None = None,
    ) -> None:
        """Render a reader.ReaderArticle; `loading` says the full text is on its way; `blocks`
        are its rendered blocks when a worker made them already."""
        link = entry.link if entry is not None else view.article.url
        same = entry_id == self.entry_id and link == self.link
        self.entry_id = entry_id
        self.link = link
        self._parts()
        self.query_one("#article-empty").display = False
        compact = self.app.size.height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        header = render.article_header(entry, view.article, compact)
        self.query_one("#article-header", Static).update(header)
        message = "Loading full text…" if loading else view.notice
        notice = self.query_one("#article-notice", Static)
        notice.update(render.notice(message))
        notice.display = bool(message)
        if blocks is None:
            blocks = render.article_blocks(view.article)
        if self._river is not None and entry_id != self._river[0]:
            self._river = None  # another entry: the way back is to the headlines
        self._shown = (entry, view, blocks)
        self._teasers = render.teaser_links(view.article)
        self._chosen = min(self._chosen, len(self._teasers) - 1) if same else 0
        self.show_blocks(blocks, keep_position=same)

    def show_blocks(self, blocks: list[Text], keep_position: bool = True) -> None:
        """The open article's blocks (again, with its pictures): the chosen teaser stays
        highlighted and, by default, the screen where it was."""
        if self._shown is not None:  # its pictures come after it: the way back keeps them
            self._shown = (*self._shown[:2], blocks)
        if self._teasers:
            blocks = list(blocks)
            index, _, item = self._teasers[max(0, self._chosen)]
            blocks[index] = render.teaser(item, highlight=True)
        self.body.set_blocks(blocks, keep_position=keep_position)

    def clear(self) -> None:
        self._river = None
        self.entry_id = None
        self.link = None
        self._teasers = []
        self._parts()
        self.query_one("#article-empty").display = True
        for part in ("#article-header", "#article-notice"):
            self.query_one(part, Static).update("")
        self.body.set_blocks([])

    @property
    def at_end(self) -> bool:
        body = self.body
        body.wrap_all()
        return body.scroll_y >= body.max_scroll_y

    def page_down(self) -> None:
        self.body.scroll_page_down(animate=False)

    def action_scroll_down(self) -> None:
        if self._teasers:
            self._choose(self._chosen + 1)
        else:
            self.body.scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        if self._teasers:
            self._choose(self._chosen - 1)
        else:
            self.body.scroll_relative(y=-1, animate=False)

    # -- a page of teasers: up/down choose a headline, enter reads its story -------------

    @property
    def chosen_teaser(self) -> str | None:
        return self._teasers[self._chosen][1] if self._teasers else None

    def action_open_teaser(self) -> None:
        url = self.chosen_teaser
        if url is not None:
            if self.entry_id is not None and self._shown is not None:
                self._river = (self.entry_id, *self._shown, self._chosen)
            self.post_message(self.TeaserOpened(url))

    def back_to_river(self) -> bool:
        """Show again the page of teasers the open story was read from, its teaser still
        chosen; False when the story was not opened from one."""
        if self._river is None or self._teasers and self.link == self._river[2].article.url:
            return False
        entry_id, entry, view, blocks, chosen = self._river
        self._river = None
        self.show(entry_id, entry, view, False, blocks)
        if self._teasers:
            self._choose(chosen)
        return True

    def _choose(self, n: int) -> None:
        n = max(0, min(n, len(self._teasers) - 1))
        body = self.body
        blocks = list(body._blocks)
        old, _, before = self._teasers[self._chosen]
        new, _, after = self._teasers[n]
        blocks[old] = render.teaser(before, highlight=False)
        blocks[new] = render.teaser(after, highlight=True)
        self._chosen = n
        body.set_blocks(blocks, keep_position=True)
        body.wrap_all()
        start = body._starts[new] if new < len(body._starts) else 0
        height = body.scrollable_content_region.height
        if start < body.scroll_y or start + 3 > body.scroll_y + height:
            body.scroll_to(y=max(0, start - 1), animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.body.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.body.wrap_all()
        self.body.scroll_end(animate=False)

    def action_page_up(self) -> None:
        self.body.scroll_page_up(animate=False)

    def action_back(self) -> None:
        if not self.back_to_river():
            self.post_message(self.Dismissed())

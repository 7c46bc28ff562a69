"""The article pane: header (title, source, author, date, link), a one-line notice, the body."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui.ui import keys, render


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one entry's article; `entry_id` says which (None: nothing open)."""

    BINDINGS = keys.ARTICLE
    DEFAULT_CSS = """
    ArticleView { background: $surface; padding: 0 2; height: 1fr; }
    ArticleView:focus { background-tint: $accent 4%; }
    ArticleView > #article-header { margin: 1 0 0 0; }
    ArticleView > #article-notice { color: $text-muted; text-style: italic; }
    ArticleView > #article-body { margin: 1 0 1 0; }
    ArticleView > #article-empty { color: $text-muted; margin: 1 0; }
    """

    class Dismissed(Message):
        """The user pressed escape: go back to the headlines."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.entry_id: int | None = None
        self.link: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Press enter on a headline to read it.", id="article-empty", markup=False)
        yield Static(id="article-header")
        yield Static(id="article-notice")
        yield Static(id="article-body")

    def show(self, entry_id: int, entry, view, loading: bool) -> None:
        """Render a reader.ArticleView; `loading` says the full text is on its way."""
        same = entry_id == self.entry_id
        self.entry_id = entry_id
        self.link = entry["link"] if entry is not None else view.article.url
        self.query_one("#article-empty").display = False
        self.query_one("#article-header", Static).update(render.article_header(entry, view.article))
        message = "Loading full text…" if loading else view.notice
        self.query_one("#article-notice", Static).update(render.notice(message))
        self.query_one("#article-notice").display = bool(message)
        self.query_one("#article-body", Static).update(render.article_body(view.article))
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def clear(self) -> None:
        self.entry_id = None
        self.link = None
        self.query_one("#article-empty").display = True
        for part in ("#article-header", "#article-notice", "#article-body"):
            self.query_one(part, Static).update("")

    @property
    def at_end(self) -> bool:
        return self.scroll_y >= self.max_scroll_y

    def action_back(self) -> None:
        self.post_message(self.Dismissed())

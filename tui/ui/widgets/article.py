"""The article pane: header (title, source, author, date, link), a one-line notice, the body.

The body is a line-API `ScrollView`: opening an article wraps only the blocks that reach the
screen and paints those lines, with no layout of the rest; the remaining blocks are wrapped after
that first paint. Wrapped lines are kept per width; a resize re-wraps and keeps the block at the
top of the screen in view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.pictures.fit import pane_rows
from tui.services.desk import EntryRow
from tui.ui import keys, render
from tui.ui.pictures import FigureText, draw_sixels
from tui.ui.widgets.scrolling import ShiftScroll

if TYPE_CHECKING:  # the reader's module is imported when the first article opens
    from tui.models import Teaser
    from tui.services.reader import ReaderArticle

SIXEL_AFTER = 0.02  # seconds after a frame that painted a figure: its Sixel goes over it
EAGER_CHARS = 4000  # below this much text left to wrap, wrap it now rather than after the paint


class ArticleBody(ShiftScroll):
    """The article's blocks (rich `Text`, never markup), a blank line between them."""

    DEFAULT_CSS = """
    ArticleBody { height: 1fr; background: transparent; overflow-x: hidden;
                  scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._blocks: list[Text] = []
        self._lines: list[Text] = []  # wrapped lines of the first `_done` blocks
        self._starts: list[int] = []  # first line of each wrapped block
        self._done = 0
        self._width = 0  # the width `_lines` were wrapped at
        self._rows = 0  # the most rows a picture may take, when `_lines` were wrapped
        self._strips: dict[int, Strip] = {}
        self._style: Style | None = None  # the base style until the CSS changes
        self._restore: tuple[int, float] | None = None  # re-wrapped while rendering: scroll here
        self._sixels: list[FigureText] = []  # figures drawn in Sixel over their half-blocks
        self._sixel_queued = False

    @property
    def plain_text(self) -> str:
        """What the body shows, as plain text (blocks apart by a blank line)."""
        return "\n\n".join(block.plain for block in self._blocks)

    def set_blocks(self, blocks: list[Text], keep_position: bool = False) -> None:
        self._blocks = blocks
        self._sixels = [b for b in blocks if isinstance(b, FigureText) and b.sixel_mode]
        for block in self._sixels:
            block.ready = self._sixel_ready
        self._width = -1  # wrap again
        if not keep_position:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._rewrap()
        self.refresh()

    # -- wrapping -----------------------------------------------------------------------

    def _rewrap(self, in_render: bool = False) -> tuple[int, float] | None:
        """Wrap for the current width if it changed; returns where the screen was (block,
        fraction into it) when that needs restoring."""
        width = self.scrollable_content_region.width
        rows = self._picture_rows()
        if width == self._width and rows == self._rows:
            return None
        anchor = self._anchor()
        self._lines, self._starts, self._done, self._strips = [], [], 0, {}
        self._width, self._rows = width, rows
        for block in self._blocks:
            if isinstance(block, FigureText):
                block.max_rows = rows
        if width <= 0 or not self._blocks:
            return None
        if anchor == (0, 0.0):
            self._wrap_visible(in_render)
            return None
        self._wrap_until(None)
        self._update_size(in_render)
        if in_render:
            self._restore = anchor
        return anchor

    def picture_size(self) -> tuple[int, int]:
        """(width, most rows) a picture has now: a worker draws pictures for it ahead."""
        return self.scrollable_content_region.width, self._picture_rows()

    def _picture_rows(self) -> int:
        """A picture takes at most about a third of the article pane's height."""
        pane = self.parent.size.height if isinstance(self.parent, Widget) else self.size.height
        return pane_rows(pane or self.app.size.height)

    def _wrap_until(self, line: int | None) -> None:
        """Wrap blocks until `line` exists (None: all of them)."""
        console, width = self.app.console, max(1, self._width)
        blocks, lines = self._blocks, self._lines
        while self._done < len(blocks) and (line is None or len(lines) <= line):
            self._starts.append(len(lines))
            lines.extend(blocks[self._done].wrap(console, width, overflow="fold"))
            self._done += 1
            if self._done < len(blocks):
                lines.append(Text())

    def _wrap_visible(self, in_render: bool) -> None:
        """Wrap what the screen shows now; the rest now if it is short, else after the paint."""
        height = max(1, self.scrollable_content_region.height)
        self._wrap_until(round(self.scroll_y) + height)
        if sum(len(b.plain) for b in self._blocks[self._done :]) <= EAGER_CHARS:
            self._wrap_until(None)
        else:
            self.call_after_refresh(self._wrap_rest, self._blocks, self._width)
        self._update_size(in_render)

    def _wrap_rest(self, blocks: list[Text], width: int) -> None:
        if blocks is self._blocks and width == self._width and self._done < len(blocks):
            self._wrap_until(None)
            self._update_size()

    def _update_size(self, later: bool = False) -> None:
        if later:  # not while rendering: a new virtual size refreshes the widget
            self.call_later(self._update_size)
            return
        rest = sum(len(b.plain) for b in self._blocks[self._done :])
        estimate = rest // max(1, self._width) + 1 if rest else 0
        size = Size(max(0, self._width), len(self._lines) + estimate)
        if size != self.virtual_size:
            self.virtual_size = size

    def wrap_all(self) -> None:
        """Before anything that needs the true length (end of article, paging at the end)."""
        if self._done < len(self._blocks):
            self._wrap_until(None)
            self._update_size()

    def on_resize(self) -> None:
        anchor = self._rewrap() or self._restore
        self._restore = None
        if anchor is not None:
            block, fraction = anchor
            start = self._starts[block] if block < len(self._starts) else 0
            end = self._starts[block + 1] if block + 1 < len(self._starts) else len(self._lines)
            y = start + round(fraction * (end - start))
            self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def _anchor(self) -> tuple[int, float]:
        """The block at the top of the screen and how far into it the screen starts."""
        top = round(self.scroll_y)
        if not self._starts or top <= 0:
            return 0, 0.0
        block = max(i for i, start in enumerate(self._starts) if start <= top)
        start = self._starts[block]
        end = self._starts[block + 1] if block + 1 < len(self._starts) else len(self._lines)
        return block, (top - start) / max(1, end - start)

    # -- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._style = None
        self._strips = {}
        super().notify_style_update()

    # -- Sixel: drawn over a figure's half-blocks once all of them are on screen ---------

    def _sixel_ready(self) -> None:
        """A Sixel made in a thread (the width changed): draw it after the next frame."""
        self.app.call_from_thread(self.refresh)

    def _draw_sixels(self) -> None:
        """After a frame: the Sixels of the figures wholly on screen (not under a dialog)."""
        self._sixel_queued = False
        if self.screen is self.app.screen:
            blocks = list(zip(self._starts, self._blocks[: self._done], strict=False))
            draw_sixels(blocks, self._width, round(self.scroll_y), self.scrollable_content_region)

    def render_line(self, y: int) -> Strip:
        if self._sixels and not self._sixel_queued:
            # a timer, not call_after_refresh: that asks for another frame, which renders
            # these lines again, which would ask again; this frame is written by then
            self._sixel_queued = True
            self.set_timer(SIXEL_AFTER, self._draw_sixels)
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if self._style is None:
            self._style = self.rich_style
        if width != self._width or self._picture_rows() != self._rows:
            self._rewrap(in_render=True)  # laid out anew before on_resize runs
        strip = self._strips.get(index)
        if strip is None:
            if index >= len(self._lines):
                self._wrap_until(index)
            if index >= len(self._lines):
                return Strip.blank(width, self._style)
            line = self._lines[index]
            line.end = ""
            strip = Strip(list(line.render(self.app.console)), line.cell_len)
            strip = strip.crop_extend(0, width, None).apply_style(self._style)
            self._strips[index] = strip
        return strip


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

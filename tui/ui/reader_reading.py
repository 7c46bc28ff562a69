"""The reader screen's reading layer: opening an entry (cached, then fetched), teaser links,
read and star marks, and the keys that act on the entry the state says they act on."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from tui.services import operations
from tui.services.desk import EntryRow
from tui.textclean import clean_line, safe_url
from tui.ui import render
from tui.ui.messages import (
    ArticleLoaded,
    EntriesChanged,
    EntryOpened,
    PicturesLoaded,
    SourceSelected,
)
from tui.ui.platform import NO_BROWSER, browser_available
from tui.ui.reader_panes import PanesScreen
from tui.ui.widgets.article import ArticleView
from tui.ui.widgets.headlines import HeadlineList

if TYPE_CHECKING:
    from tui.models import Article
    from tui.services.reader import ReaderArticle


class ReadingScreen(PanesScreen):
    def on_entry_opened(self, msg: EntryOpened) -> None:
        self.open_entry(msg.entry_id)

    def open_entry(self, entry_id: int) -> None:
        self.state.opened = entry_id
        # first: its reads go ahead of the write and the recount; the pictures are drawn in
        # the worker for the size the body has now (read here: widgets live on this thread)
        self._load_article(entry_id, self.article.body.picture_size())
        self._write_read([entry_id, *self.story_members(entry_id)], True)
        # the row's read mark and the switch to reading wait for the article: one frame paints
        # all three (a frame painted in between would hold the article back a frame or two)

    @work(thread=True, group="article", exclusive=True, exit_on_error=False)
    def _load_article(self, entry_id: int, size: tuple[int, int]) -> None:
        from tui.services.reader import cached_article  # on first use: not on the start path

        entry = self.store.entry(entry_id)
        view = cached_article(self.store, entry_id, entry)
        if view is not None:
            blocks = render.article_blocks(view.article)
            self.post_message(ArticleLoaded(entry_id, entry, view, blocks=blocks, size=size))

    def _post_pictures(
        self, entry_id: int, article: Article, blocks: list[Text], size: tuple[int, int]
    ) -> None:
        """Blocking: the article's blocks again with its kept pictures, decoded and drawn here
        (in the worker); nothing is posted when there are none."""
        terminal = self.setup.pictures
        if terminal is None:
            return
        from tui.services.pictures import prepared_pictures
        from tui.ui.pictures import attach

        pictures = prepared_pictures(self.store, entry_id, terminal.mode)
        if pictures:
            # a page of teasers keeps its blocks in place (teaser links count them)
            lead = None if render.teaser_links(article) else article.lead_image
            shown = attach(blocks, lead, pictures, terminal, size)
            self.post_message(PicturesLoaded(entry_id, shown))

    def on_pictures_loaded(self, msg: PicturesLoaded) -> None:
        if msg.entry_id == self.state.opened and self.article.entry_id == msg.entry_id:
            if self.setup.pictures is not None:
                self.setup.pictures.forget()  # Kitty pictures sent for blocks now replaced
            self.article.show_blocks(msg.blocks)

    def on_article_loaded(self, msg: ArticleLoaded) -> None:
        if msg.entry_id != self.state.opened:
            return  # an older worker's result: the user has moved on
        loading = msg.article.can_fetch and not self.offline and not msg.fetched
        if not msg.fetched:
            self.headlines.update_row(msg.entry_id, read=True)
            self.set_reading(True)
        if self.setup.pictures is not None:
            self.setup.pictures.forget()  # the last article's Kitty pictures, in the terminal
        self.article.show(msg.entry_id, msg.entry, msg.article, loading, msg.blocks)
        if loading and msg.entry is not None:
            self._fetch_article(msg.entry)
        elif msg.size is not None and msg.blocks is not None and self.setup.pictures is not None:
            # the text first, as fast as with no pictures; the pictures once it is painted (a
            # worker decoding meanwhile would hold the GIL from the frame)
            args = (msg.entry_id, msg.article.article, msg.blocks, msg.size)
            self.call_after_refresh(self._load_pictures, *args)

    @work(thread=True, group="pictures", exclusive=True, exit_on_error=False)
    def _load_pictures(
        self, entry_id: int, article: Article, blocks: list[Text], size: tuple[int, int]
    ) -> None:
        if entry_id == self.state.opened:
            self._post_pictures(entry_id, article, blocks, size)

    @work(group="article", exclusive=True, exit_on_error=False)
    async def _fetch_article(self, entry: EntryRow) -> None:
        """The full text, for the entry row read when it was opened (read once, not again)."""
        import asyncio

        from tui.services.reader import fetch_article

        view = await fetch_article(self.store, self.session.client, self.config, entry)
        if view is not None:
            blocks = await asyncio.to_thread(render.article_blocks, view.article)
            self.post_message(ArticleLoaded(entry.id, entry, view, fetched=True, blocks=blocks))
            if self.setup.pictures is not None:
                await self._fetch_pictures(entry, view)

    async def _fetch_pictures(self, entry: EntryRow, view: ReaderArticle) -> None:
        """The pictures of an article fetched on opening, then the article again with them."""
        import asyncio

        from tui.services.pictures import fetch_pictures

        entry_id = entry.id
        await fetch_pictures(
            self.store, self.session.client, self.config, entry_id, entry.source_url or ""
        )
        if self.state.opened == entry_id:  # kept now, or earlier: shown either way
            size = self.article.body.picture_size()
            blocks = await asyncio.to_thread(render.article_blocks, view.article)
            await asyncio.to_thread(self._post_pictures, entry_id, view.article, blocks, size)

    def on_article_view_teaser_opened(self, msg: ArticleView.TeaserOpened) -> None:
        self.open_link_in_reader(msg.url)

    def open_link_in_reader(self, url: str) -> None:
        """Read a linked story (a teaser's) in the article pane, for the entry open now."""
        opened = self.state.opened
        if self.offline or opened is None:
            self.notify("Offline: press o to open it in the browser.", markup=False)
            return
        self.notify(clean_line(f"Opening {url}", 200), markup=False)
        self._fetch_link(opened, url)

    @work(group="article", exclusive=True, exit_on_error=False)
    async def _fetch_link(self, entry_id: int, url: str) -> None:
        import asyncio

        from tui.services.prefetch import home_url
        from tui.services.reader import fetch_link_view

        client = self.session.client
        entry = await asyncio.to_thread(self.store.entry, entry_id)
        source_url = home_url(entry) if entry is not None else None
        view = await fetch_link_view(client, self.config, url, source_url)
        blocks = await asyncio.to_thread(render.article_blocks, view.article)
        self.post_message(ArticleLoaded(entry_id, None, view, fetched=True, blocks=blocks))

    def on_article_view_dismissed(self, _msg: ArticleView.Dismissed) -> None:
        self.set_reading(False)

    def action_page_article(self) -> None:
        """Page the open article; at its end, open the next unread entry."""
        if not self.article_visible:
            self.headlines.action_open()
        elif self.article.at_end:
            self.action_next_unread()
        else:
            self.article.page_down()

    def action_next_unread(self) -> None:
        self.headlines.goto_unread(True)

    def on_headline_list_no_more_unread(self, _msg: HeadlineList.NoMoreUnread) -> None:
        """newsboat's `n`: at the end of a source, on to the next source with unread entries."""
        view = self.state.view
        if view is None or view.source_id is None:
            self.notify("No more unread entries here.", markup=False)
            return
        following = self.sources.next_source(view.source_id, forward=True, unread=True)
        if following is None:
            self.notify("No more unread entries in any source.", markup=False)
            return
        self.open_first_unread = True  # when its list has loaded (on_headline_list_view_loaded)
        self.post_message(SourceSelected(following))

    def action_next_source(self) -> None:
        self._step_source(True)

    def action_prev_source(self) -> None:
        self._step_source(False)

    def _step_source(self, forward: bool) -> None:
        """J / K: the next (previous) source in the sources pane's order, shown in the list."""
        view = self.state.view
        source_id = view.source_id if view is not None else None
        step = self.sources.next_source(source_id, forward=forward, unread=False)
        if step is None:
            self.notify(f"No {'next' if forward else 'previous'} source.", markup=False)
        else:
            self.post_message(SourceSelected(step))

    def action_prev_unread(self) -> None:
        self.headlines.goto_unread(False)

    def action_mark_all_read(self) -> None:
        self.headlines.mark_all_read()

    last_marks: tuple[list[int], bool] | None = None  # the last marking action, for `u`

    def on_headline_list_marked(self, msg: HeadlineList.Marked) -> None:
        self.last_marks = (msg.entry_ids, msg.read)

    def action_undo_mark(self) -> None:
        """`u`: the last marking action (`A`, `m`/`N`) undone."""
        if self.last_marks is None:
            self.notify("Nothing to undo.", markup=False)
            return
        ids, read = self.last_marks
        self.last_marks = None
        self._undo(ids, not read)

    @work(thread=True, group="mark", exit_on_error=False)
    def _undo(self, ids: list[int], read: bool) -> None:
        self.store.set_read(ids, read)
        self.app.call_from_thread(self.sources_changed)
        noun = "entry" if len(ids) == 1 else "entries"
        self.notify(
            f"Undone: {len(ids)} {noun} {'read' if read else 'unread'} again.", markup=False
        )

    def action_list_escape(self) -> None:
        """escape in the list: clear a search first, else close the open article."""
        bar = self.search_bar
        if bar is not None and bar.active:
            bar.action_clear()
        elif self.state.reading:
            self.set_reading(False)

    # -- read and starred --------------------------------------------------------------------

    def story_members(self, entry_id: int) -> list[int]:
        """Marking a folded story's row read marks its other entries too (cluster_read "all");
        marking it unread, or any member, touches that entry only."""
        if self.config.cluster_read != "all":
            return []
        return self.headlines.story_members(entry_id)

    def action_toggle_read(self) -> None:
        self._toggle(self.target_entry(), "read")

    def action_toggle_star(self) -> None:
        self._toggle(self.target_entry(), "starred")

    def _toggle(self, entry_id: int | None, flag: str) -> None:
        """Flip read or starred; the state comes from the list's cached row, or from the store
        when the open article's row has scrolled out of the cached pages."""
        if entry_id is None:
            return
        row = self.headlines.cached_row(entry_id)
        if row is None:
            self._toggle_uncached(entry_id, flag)
        else:
            self._set_flag(entry_id, flag, not getattr(row, flag))

    @work(thread=True, group="mark", exit_on_error=False)
    def _toggle_uncached(self, entry_id: int, flag: str) -> None:
        entry = self.store.entry(entry_id)
        if entry is not None:
            self.app.call_from_thread(self._set_flag, entry_id, flag, not entry.flag(flag))

    def _set_flag(self, entry_id: int, flag: str, value: bool) -> None:
        if flag == "read":
            self.headlines.update_row(entry_id, read=value)
            # a folded story's row marks its other entries read too (never unread)
            ids = [entry_id, *(self.story_members(entry_id) if value else [])]
            self.last_marks = (ids, value)
            self._write_read(ids, value)
        else:
            self.headlines.update_row(entry_id, starred=value)
            self._write_star(entry_id, value)

    @work(thread=True, group="mark", exit_on_error=False)
    def _write_read(self, entry_ids: list[int], read: bool) -> None:
        operations.mark_read(self.store, entry_ids, read)
        self.post_message(EntriesChanged())

    @work(thread=True, group="mark", exit_on_error=False)
    def _write_star(self, entry_id: int, starred: bool) -> None:
        operations.star(self.store, entry_id, starred)
        self.post_message(EntriesChanged())

    # -- the entry's link ---------------------------------------------------------------------

    def action_open_link(self) -> None:
        self._open_link(self.target_entry())

    @work(thread=True, group="link", exclusive=True, exit_on_error=False)
    def _open_link(self, entry_id: int | None) -> None:
        url = self._link_of(entry_id)
        if url is not None:
            self.browse(url)

    def browse(self, url: str) -> None:
        """Open `url` (from a worker thread): in the configured `browser` with the reader
        suspended, else in the desktop's browser; only http(s) links, never through a shell."""
        if safe_url(url) is None:
            self.notify("Only http(s) links are opened.", markup=False)
        elif self.config.browser:
            self.app.call_from_thread(self._run_browser, url)
        elif not browser_available() or not webbrowser.open(url):
            self.notify(NO_BROWSER, severity="warning", markup=False)

    def _run_browser(self, url: str) -> None:
        import subprocess

        from textual.app import SuspendNotSupported

        from tui.services.links import browser_command

        argv = browser_command(self.config.browser, url)
        try:
            try:
                with self.app.suspend():  # a console browser has the terminal until it quits
                    subprocess.run(argv, check=False)
            except SuspendNotSupported:  # no terminal to hand over (a headless run)
                subprocess.run(argv, check=False, stdin=subprocess.DEVNULL)
        except OSError as exc:
            message = clean_line(f"Cannot start the browser {argv[0]}: {exc.strerror or exc}", 300)
            self.notify(message, severity="error", markup=False)

    def action_copy_link(self) -> None:
        self._copy_link(self.target_entry())

    @work(thread=True, group="link", exclusive=True, exit_on_error=False)
    def _copy_link(self, entry_id: int | None) -> None:
        url = self._link_of(entry_id)
        if url is not None:
            self.app.call_from_thread(self.app.copy_to_clipboard, url)
            self.notify(f"Copied {clean_line(url, 200)}", markup=False)

    def _link_of(self, entry_id: int | None) -> str | None:
        """Blocking: the entry's link if it is a safe http(s) URL (else say so)."""
        entry = self.store.entry(entry_id) if entry_id is not None else None
        url = safe_url(entry.link) if entry is not None else None
        if entry is not None and url is None:
            self.notify("This entry has no http(s) link.", markup=False)
        return url

"""Opening entries: the article pane's loading, fetching and teaser links, and the read and
star writes (a mixin of the app, typed against AppHost like actions.py and tools.py)."""

from __future__ import annotations

from textual import work

from tui.textclean import clean_line
from tui.ui import render
from tui.ui.host import AppHost
from tui.ui.messages import ArticleLoaded, EntriesChanged, EntryOpened
from tui.ui.widgets.article import ArticleView


class ReadingActions(AppHost):
    def on_entry_opened(self, msg: EntryOpened) -> None:
        self.open_entry(msg.entry_id)

    def open_entry(self, entry_id: int) -> None:
        self.opened_id = entry_id
        self._load_article(entry_id)  # first: its reads go ahead of the write and the recount
        self._write_read([entry_id, *self.story_members(entry_id)], True)
        # the row's read mark and the switch to reading wait for the article: one frame paints
        # all three (a frame painted in between would hold the article back a frame or two)

    @work(thread=True, group="article", exclusive=True, exit_on_error=False)
    def _load_article(self, entry_id: int) -> None:
        from tui.services.reader import (
            cached_article,
        )  # imported on first use: not on the start path

        entry = self.store.entry(entry_id)
        view = cached_article(self.store, entry_id, entry)
        if view is not None:
            blocks = render.article_blocks(view.article)
            self.post_message(ArticleLoaded(entry_id, entry, view, blocks=blocks))

    def on_article_loaded(self, msg: ArticleLoaded) -> None:
        if msg.entry_id != self.opened_id:
            return  # an older worker's result: the user has moved on
        loading = msg.article.can_fetch and not self.offline and not msg.fetched
        if not msg.fetched:
            self.headlines.update_row(msg.entry_id, read=True)
            self._set_reading(True)
        self.article.show(msg.entry_id, msg.entry, msg.article, loading, msg.blocks)
        if loading:
            self._fetch_article(msg.entry_id)

    @work(group="article", exclusive=True, exit_on_error=False)
    async def _fetch_article(self, entry_id: int) -> None:
        from tui.services.reader import fetch_article

        client = self._ensure_client()
        view = await fetch_article(self.store, client, self.config, entry_id)
        if view is not None:
            import asyncio

            entry = await asyncio.to_thread(self.store.entry, entry_id)
            blocks = await asyncio.to_thread(render.article_blocks, view.article)
            self.post_message(ArticleLoaded(entry_id, entry, view, fetched=True, blocks=blocks))

    def on_article_view_teaser_opened(self, msg: ArticleView.TeaserOpened) -> None:
        self.open_link_in_reader(msg.url)

    def open_link_in_reader(self, url: str) -> None:
        """Read a linked story (a teaser's) in the article pane, for the entry open now."""
        if self.offline or self.opened_id is None:
            self.notify("Offline: press o to open it in the browser.", markup=False)
            return
        self.notify(clean_line(f"Opening {url}", 200), markup=False)
        self._fetch_link(self.opened_id, url)

    @work(group="article", exclusive=True, exit_on_error=False)
    async def _fetch_link(self, entry_id: int, url: str) -> None:
        import asyncio

        from tui.services.prefetch import home_url
        from tui.services.reader import fetch_link_view

        client = self._ensure_client()
        entry = await asyncio.to_thread(self.store.entry, entry_id)
        source_url = home_url(entry) if entry is not None else None
        view = await fetch_link_view(client, self.config, url, source_url)
        blocks = await asyncio.to_thread(render.article_blocks, view.article)
        self.post_message(ArticleLoaded(entry_id, None, view, fetched=True, blocks=blocks))

    def on_article_view_dismissed(self, _msg: ArticleView.Dismissed) -> None:
        self._set_reading(False)

    @work(thread=True, group="mark", exit_on_error=False)
    def _write_read(self, entry_ids: list[int], read: bool) -> None:
        self.store.set_read(entry_ids, read)
        self.post_message(EntriesChanged())

    @work(thread=True, group="mark", exit_on_error=False)
    def _write_star(self, entry_id: int, starred: bool) -> None:
        self.store.set_starred(entry_id, starred)
        self.post_message(EntriesChanged())

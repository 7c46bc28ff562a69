"""The reader screen's first layer: the three panes, how they share the width, the state they
show, and the sources pane's loading (the welcome pane when there are none yet).

ReaderScreen (reader.py) builds on this with reading (reader_reading.py) and the tools. Nothing
here touches the network before the cached state is on screen.
"""

from __future__ import annotations

import gc
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from tui.services.desk import ALL_UNREAD, Config, FirstPage, SourceRow, saved_views
from tui.services.front import front_count
from tui.textclean import clean_line
from tui.ui import keys, render
from tui.ui.layout import sources_width, width_classes
from tui.ui.messages import EntriesChanged, SourceSelected
from tui.ui.state import ReaderSetup, ReaderState
from tui.ui.widgets.article import ArticleView
from tui.ui.widgets.headlines import HeadlineList
from tui.ui.widgets.searchbar import SearchBar
from tui.ui.widgets.sources import SourceList


class PanesScreen(Screen[None]):
    """Sources, headlines and the article, and the one ReaderState every key reads."""

    BINDINGS = [*keys.READER]
    # focused from the start: focusing the first focusable (the sources) and then moving
    # focus restyles both panes before the first frame
    AUTO_FOCUS = "HeadlineList"

    def __init__(self, setup: ReaderSetup, first_page: FirstPage | None, **kw: Any) -> None:
        super().__init__(**kw)
        from tui.services.rules import parse_rules, rules_sql

        self.setup, self.session = setup, setup.session
        self.store, self.offline = setup.session.store, setup.offline
        self.state = ReaderState()
        self.first_page = first_page
        rules, self.rule_errors = parse_rules(self.config.rules)
        self.rules_sql = rules_sql(rules)
        self._first_load = True
        self._sources_requested = False
        self.open_first_unread = False
        self._said_slow: set[str] = set()  # slow rule patterns the reader has told of

    def compose(self) -> ComposeResult:
        # the width classes are set here: set later, they restyle every widget before the
        # first frame. The welcome pane is mounted only if the cache turns out to be empty.
        with Horizontal(id="body", classes=" ".join(width_classes(self.app.size.width))):
            sources = SourceList(self.store, saved_views(self.config.views), id="sources")
            sources.hidden = self.rules_sql
            sources.count_front = lambda store: front_count(self.config, store)
            yield sources
            with Container(id="main"):
                with Vertical(id="list-pane"):  # the SearchBar joins on the first search
                    yield self._headline_list()
                yield ArticleView(id="article")
        # the footer's row is kept from the first frame; the Footer itself (its CSS, its keys)
        # is mounted once the first headlines are painted
        yield Container(id="footer-slot")

    def _headline_list(self) -> HeadlineList:
        """The list, shaped by the config: stories folded, rules' hidden entries left out."""
        from tui.services.listing import listing_for

        lst = HeadlineList(self.store, self.state, id="headlines")
        lst.shape = lambda view, show_hidden: listing_for(view, self.config, show_hidden)
        lst.river = self.config.river
        lst.thumbs = {} if self.setup.pictures is not None else None  # the river's photos
        return lst

    @property
    def config(self) -> Config:
        """The session's config: read where used, as a change replaces it (never edits it)."""
        return self.session.config

    @property
    def sources(self) -> SourceList:
        return self.query_one(SourceList)

    @property
    def headlines(self) -> HeadlineList:
        return self.query_one(HeadlineList)

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def body(self) -> Horizontal:
        return self.query_one("#body", Horizontal)

    @property
    def search_bar(self) -> SearchBar | None:
        """The search input; None until the first search mounts it (it is not on the start
        path: an Input's CSS and parts cost the first frame several milliseconds)."""
        found = self.query(SearchBar)
        return found.first() if found else None

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.headlines.border_title = ALL_UNREAD.label
        # the headlines' first page goes first; the sources and their counts follow its paint
        first, self.first_page = self.first_page, None
        self.headlines.show(ALL_UNREAD, first=first.result() if first else None)
        self.headlines.focus()
        if self.rule_errors:  # a bad rule is skipped; the others apply (one toast for all)
            text = "\n".join(clean_line(error, 300) for error in self.rule_errors)
            self.notify(text, title="Rules", severity="warning", markup=False)

    def on_screen_suspend(self) -> None:
        """A dialog opened over the reader: its footer (the reader's keys) is hidden, since
        those keys do not reach the dialog."""
        self.query_one("#footer-slot").display = False

    def on_screen_resume(self) -> None:
        self.query_one("#footer-slot").display = True

    def on_headline_list_view_loaded(self, _msg: HeadlineList.ViewLoaded) -> None:
        if self.open_first_unread:  # `n` moved on to this source: its first unread opens
            self.open_first_unread = False
            self.headlines.goto_unread(True)
        from tui.services.desk import REGEX_TIMEOUT, too_slow

        for pattern in set(too_slow()) - self._said_slow:  # switched off in a list's worker
            self._said_slow.add(pattern)
            self.notify(
                clean_line(
                    f"a /regex/ rule took over {REGEX_TIMEOUT * 1000:g} ms on one entry and is "
                    f"off until restart: {pattern.removeprefix('(?i)')}",
                    300,
                ),
                title="Rules",
                severity="warning",
                markup=False,
            )
        if not self._sources_requested:
            self._sources_requested = True
            self.call_after_refresh(self._after_first_page)

    async def _after_first_page(self) -> None:
        """The first headlines are on screen: now the sources pane and the footer."""
        if self.sources.source_count < 0:
            self.sources.load()
        await self.query_one("#footer-slot").mount(Footer(show_command_palette=False))
        self.app.refresh_bindings()  # the footer draws its keys when the bindings are announced

    # -- layout -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        body = self.body
        classes = width_classes(width)
        for name in ("-wide", "-narrow", "-medium"):
            body.set_class(name in classes, name)
        if "-hide-sources" in classes and not body.has_class("-sources-shown"):
            body.add_class("-hide-sources")
        self.sources.styles.width = sources_width(width)
        self.call_after_refresh(self.focus_visible)

    @property
    def wide(self) -> bool:
        return self.body.has_class("-wide")

    def set_reading(self, reading: bool) -> None:
        """Show the article pane (beside the list when wide, instead of it when narrow)."""
        self.state.reading = reading
        if reading and not self.body.has_class("-reading"):
            # `\` pressed over the list chose the list's layout; an article opened after it
            # takes the whole screen again (only `\` while reading keeps the sources beside it)
            self.body.remove_class("-sources-shown")
        self.body.set_class(reading, "-reading")
        if reading and not self.wide:
            self.article.focus()
        elif not reading:
            self.headlines.focus()
        self.call_after_refresh(self.focus_visible)

    @property
    def article_visible(self) -> bool:
        return self.article.entry_id is not None and self.state.reading

    def focus_visible(self) -> None:
        """Keys act on what is on screen: when the focused pane was hidden (a resize, the
        article taking the whole width), focus moves to the pane that is shown."""
        if self.app.screen is not self or self.body.has_class("-welcome"):
            return
        focused = self.focused
        if focused is not None and all(node.display for node in focused.ancestors_with_self):
            return
        if self.article_visible and self.article.display:
            self.article.focus()
        else:
            self.headlines.focus()

    def target_entry(self) -> int | None:
        """The entry a key acts on (see ReaderState.target)."""
        return self.state.target(self.article.has_focus)

    # -- sources and views ---------------------------------------------------------------

    async def on_source_list_loaded(self, msg: SourceList.Loaded) -> None:
        from tui.ui.widgets.welcome import WelcomePane

        empty = not msg.rows
        self._set_empty_hint(msg.rows)
        found = self.query(WelcomePane)
        welcome = found.first() if found else None
        if empty and welcome is None:
            welcome = WelcomePane(id="welcome")
            await self.query_one("#main", Container).mount(welcome, before=0)
        self.body.set_class(empty, "-welcome")
        in_welcome = welcome is not None and welcome.has_focus_within
        if empty and not in_welcome and welcome is not None:
            welcome.focus()
        elif not empty and (in_welcome or self.focused is None):
            self.headlines.focus()
        if self._first_load:
            self._first_load = False
            self._started(empty)

    def _started(self, empty: bool) -> None:
        """The sources pane's first load: start-up is over (ReaderScreen then refreshes)."""
        # start-up's objects live as long as the app: keep them out of the collector's
        # full passes (~35 ms each, a dropped frame now and then while moving the cursor)
        gc.freeze()
        gc.enable()  # cli disables it for start-up

    def _set_empty_hint(self, rows: list[SourceRow]) -> None:
        """When no source has any entry yet, the empty list says why."""
        hint = ""
        if rows and not any(r.entries for r in rows):
            failed = sum(1 for r in rows if r.last_error)
            if self.offline:
                hint = "No entries yet: offline, nothing was fetched (R refreshes when online)."
            elif failed:
                hint = f"No entries yet: {failed} of {len(rows)} sources failed (e shows why)."
            else:
                hint = "No entries yet: R fetches them."
        if hint != self.headlines.empty_hint:
            self.headlines.empty_hint = hint
            self.headlines.refresh()

    def on_source_selected(self, msg: SourceSelected) -> None:
        self.end_search()
        self.headlines.border_title = render.plain_title(msg.view.label or "Headlines", 60)
        self.headlines.show(msg.view)
        self.set_reading(False)

    def on_entries_changed(self, _msg: EntriesChanged) -> None:
        self.sources.load()

    def rules_changed(self, rules: list[Any]) -> None:
        """The config's [[rules]] changed while the reader runs: they apply from now on."""
        from dataclasses import replace

        from tui.services.rules import parse_rules, rules_sql

        self.session.replace_config(replace(self.config, rules=rules))
        parsed, self.rule_errors = parse_rules(rules)
        self.rules_sql = rules_sql(parsed)
        self.sources.hidden = self.rules_sql
        self.sources_changed()
        errors = "; ".join(clean_line(e, 200) for e in self.rule_errors)
        self.notify(f"Rules changed: {len(parsed)} in force." + (f" {errors}" if errors else ""),
                    title="Rules", markup=False)  # fmt: skip

    def sources_changed(self) -> None:
        self.sources.load()
        self.headlines.reload()

    def end_search(self) -> None:
        """A new view was chosen: the search does not carry over."""
        bar = self.search_bar
        if bar is not None:
            bar.reset()
        self.state.search_base = None
        self.headlines.match = None

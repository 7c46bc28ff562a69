"""What the app's action mixins, dialogs and palette use of the app, declared for the type checker.

The key actions live in mixins (actions.py, tools.py) so app.py keeps to wiring and workers. At
run time they are plain classes mixed into NewsdeskApp. For mypy they derive from `AppHost`:
Textual's App plus the panes, state and workers NewsdeskApp defines. So every use of the app in a
mixin is checked, and NewsdeskApp is checked against these declarations (an override that does
not match them is an error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    import httpx
    from textual.app import App
    from textual.containers import Horizontal
    from textual.worker import Worker

    from tui.settings.config import Config
    from tui.store import Store
    from tui.store.views import View
    from tui.ui.widgets.article import ArticleView
    from tui.ui.widgets.headlines import HeadlineList
    from tui.ui.widgets.searchbar import SearchBar
    from tui.ui.widgets.sources import SourceList

    class AppHost(App[int]):
        """NewsdeskApp as the mixins see it (app.py defines each of these)."""

        store: Store
        config: Config
        offline: bool
        client: httpx.AsyncClient | None
        keymap_overrides: dict[str, str]
        search_base: View | None  # the view a running search narrows
        saved_theme: str | None
        opened_id: int | None  # the entry whose article is open (or opening)

        @property
        def search_bar(self) -> SearchBar | None:
            raise NotImplementedError

        def _set_reading(self, reading: bool) -> None:
            raise NotImplementedError

        @property
        def sources(self) -> SourceList:
            raise NotImplementedError

        @property
        def headlines(self) -> HeadlineList:
            raise NotImplementedError

        @property
        def article(self) -> ArticleView:
            raise NotImplementedError

        @property
        def body(self) -> Horizontal:
            raise NotImplementedError

        @property
        def wide(self) -> bool:
            raise NotImplementedError

        @property
        def article_visible(self) -> bool:
            raise NotImplementedError

        def open_link_in_reader(self, url: str) -> None:
            raise NotImplementedError

        def open_entry(self, entry_id: int) -> None:
            raise NotImplementedError

        def story_members(self, entry_id: int) -> list[int]:
            raise NotImplementedError

        def _ensure_client(self) -> httpx.AsyncClient:
            raise NotImplementedError

        def _sources_changed(self) -> None:
            raise NotImplementedError

        def _write_read(self, entry_ids: list[int], read: bool) -> Worker[None]:
            raise NotImplementedError

        def _write_star(self, entry_id: int, starred: bool) -> Worker[None]:
            raise NotImplementedError

        def refresh_sources(
            self, source_ids: list[int] | None = None, queue_if_busy: bool = False
        ) -> Worker[None]:
            raise NotImplementedError

else:
    AppHost = object


class InApp(Protocol):
    """A widget, screen or palette provider: each knows its running app."""

    @property
    def app(self) -> App[Any]: ...


def host(node: InApp) -> AppHost:
    """The running app of a dialog or palette, as NewsdeskApp (Textual types it as any App)."""
    return cast("AppHost", node.app)

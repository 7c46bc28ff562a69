"""The reader app: reads the config once, then shows one ReaderScreen, which owns the panes, the
reader's state and the keys. The app keeps what outlives a screen: the store, the config, the
HTTP client (made when the network is first needed), the theme and the keymap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from tui.services.context import Context
from tui.services.desk import FirstPage
from tui.services.session import Session
from tui.settings.config import Config
from tui.textclean import clean_line
from tui.ui import keys
from tui.ui.configcheck import config_warnings, usable_keymap
from tui.ui.pictures import Terminal
from tui.ui.reader import ReaderScreen
from tui.ui.state import ReaderSetup

if TYPE_CHECKING:  # httpx is imported when the network is first needed
    import httpx
    from textual.command import Provider
    from textual.theme import Theme

    from tui.pictures.terminal import Choice


def _palette() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from tui.ui.palette import NewsdeskCommands

    return NewsdeskCommands


class NewsdeskApp(App[int]):
    """A small app: the reader screen, and what every screen shares."""

    CSS_PATH = "app.tcss"
    TITLE = "newsdesk"
    BINDINGS = [*keys.GLOBAL]
    COMMANDS = App.COMMANDS | {_palette}

    def __init__(
        self,
        ctx: Context,
        offline: bool = False,
        client: httpx.AsyncClient | None = None,
        demo: bool = False,
        first_page: FirstPage | None = None,
        images: Choice | None = None,
    ) -> None:
        super().__init__()
        self.session = Session(ctx.store(), ctx.config(), client, self._new_client)
        self.store = self.session.store
        self.offline = offline
        self.keymap_overrides = usable_keymap(self.config)
        self.saved_theme = self.config.theme
        self.first_page = first_page
        self._reader: ReaderScreen | None = None
        self.pictures = self._pictures(images)
        if demo:
            self.sub_title = "demo"

    @property
    def reader(self) -> ReaderScreen:
        """The one screen of the app (dialogs open over it)."""
        if self._reader is None:
            setup = ReaderSetup(self.session, self.offline, self.keymap_overrides, self.pictures)
            first, self.first_page = self.first_page, None
            self._reader = ReaderScreen(setup, first, id="_default")
        return self._reader

    def _pictures(self, images: Choice | None) -> Terminal | None:
        """How pictures are drawn: as the CLI found the terminal before the app started, or
        (tests, no terminal asked) the config's setting with `auto` as half-blocks."""
        if images is None:
            from tui.pictures.terminal import choose

            images = choose(self.config.images, {}, None)
        if images.mode == "off":
            return None
        write = self._write_graphics if images.mode in ("kitty", "sixel") else None
        return Terminal(images.mode, images.tmux, write, images.cell)

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm_pictures(self) -> None:
        """Import Pillow after the first paint: the first article with pictures would pay
        its ~0.15 s otherwise."""
        from tui.pictures.decode import warm

        warm()

    def _write_graphics(self, sequence: str) -> None:
        """Kitty and Sixel commands go to the terminal between frames, through the driver's
        own writer (a headless test app has nothing to write to)."""
        if self._driver is not None and not self.is_headless:
            self._driver.write(sequence)

    def get_default_screen(self) -> Screen[None]:
        return self.reader

    def on_mount(self) -> None:
        if self.pictures is not None:
            self.call_after_refresh(self._warm_pictures)
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.store.readonly:
            self.sub_title = "read-only cache"
            self.notify(
                clean_line(f"The cache {self.store.path} is read-only: reading only.", 300),
                severity="warning",
                markup=False,
                timeout=10,
            )
        warnings = config_warnings(self.config, self.available_themes)
        if warnings:  # one toast, however many lines: a stack of them would cover the list
            title = "Config" if len(warnings) == 1 else f"Config: {len(warnings)} problems"
            text = "\n".join(warnings)
            self.notify(text, title=title, severity="warning", markup=False, timeout=15)

    @property
    def config(self) -> Config:
        return self.session.config

    @staticmethod
    def _new_client(config: Config) -> httpx.AsyncClient:
        """The session's httpx client (and httpx's import) waits until the network is first
        needed; callers check `offline` first."""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        from tui.services.desk import open_client

        # DNS lookups run in the loop's default executor, and so do Textual's thread workers
        # (opening an article): with asyncio's default of 6 threads here, six slow lookups
        # held every open back 5 s. A thread for every fetch in flight, and more.
        workers = config.concurrency + 8
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(workers))
        return open_client(config)

    async def on_unmount(self) -> None:
        await self.session.aclose()

    async def action_quit(self) -> None:
        """newsboat's `q`: with an article open it closes the article; only then it quits."""
        reader = self._reader
        if self.screen is reader and reader is not None and reader.state.reading:
            reader.set_reading(False)
            return
        self.exit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands less "Theme" and "Quit": the palette already lists ours
        ("Choose a theme", "Quit"), and two of each only confuse."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Theme", "Quit"):
                yield command

    def action_change_theme(self) -> None:
        """The theme list opens on the theme in use."""
        from textual.command import CommandPalette

        from tui.ui.palette import CurrentThemeFirst

        self.push_screen(
            CommandPalette(providers=[CurrentThemeFirst], placeholder="Search for themes…")
        )

    def action_help(self) -> None:
        from tui.ui.screens import HelpScreen

        self.push_screen(HelpScreen(self.keymap_overrides))

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.saved_theme:
            self.saved_theme = theme.name
            self.session.replace_config(replace(self.config, theme=theme.name))
            self._save_theme(theme.name)

    @work(thread=True, group="config", exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        from tui.settings import configfile

        path = self.config.path
        if path is None:
            return
        try:
            configfile.rewrite(path, lambda text: configfile.set_top_level(text, "theme", name))
        except configfile.ConfigWriteError as exc:
            self.notify(clean_line(str(exc), 300), severity="error", markup=False)


# The factory tests use (with an httpx client pointed at a loopback server): the app itself.
make_app = NewsdeskApp


def run_app(
    ctx: Context,
    offline: bool = False,
    demo: bool = False,
    first_page: FirstPage | None = None,
    images: Choice | None = None,
) -> int:
    """Run the reader until the user quits; returns the exit status."""
    app = make_app(ctx, offline=offline, demo=demo, first_page=first_page, images=images)
    app.run()
    return app.return_code or 0

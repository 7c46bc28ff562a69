"""Command palette provider: every binding's action, searchable by its description."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.theme import ThemeProvider

from tui.ui import keys


class NewsdeskCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        from tui.ui.reader import ReaderScreen

        app, reader = self.app, self.screen
        if not isinstance(reader, ReaderScreen):
            return
        targets: list[tuple[list[Binding], DOMNode]] = [
            *[([b], app if b in keys.GLOBAL else reader) for b in keys.APP],
            (keys.WELCOME, reader),
            (keys.HEADLINES, reader.headlines),
            (keys.ARTICLE, reader.article),
            (keys.SOURCES, reader.sources),
        ]
        seen: set[str] = set()
        for bindings, target in targets:
            for b in bindings:
                if b.description in seen:
                    continue
                seen.add(b.description)
                key = keys.effective_keys(b, reader.setup.keymap)
                yield b.description, b.action, target, f"key: {key}"

    async def discover(self) -> Hits:
        for name, action, target, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.app.run_action, action, target), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, target, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.app.run_action, action, target),
                    help=help_text,
                )


class CurrentThemeFirst(ThemeProvider):
    """The theme list with the theme in use first, so it is the one highlighted (`T`)."""

    async def discover(self) -> Hits:
        current = self.app.theme
        commands = self.commands
        for name, callback in sorted(commands, key=lambda c: c[0] != current):
            yield DiscoveryHit(name, callback)

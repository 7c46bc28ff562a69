"""Command palette provider: every binding's action, searchable by its description."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from tui.ui import keys
from tui.ui.host import host


class NewsdeskCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        app = host(self)
        targets: list[tuple[list[Binding], DOMNode]] = [
            (keys.APP, app),
            (keys.WELCOME, app),
            (keys.HEADLINES, app.headlines),
            (keys.ARTICLE, app.article),
            (keys.SOURCES, app.sources),
        ]
        seen: set[str] = set()
        for bindings, target in targets:
            for b in bindings:
                if b.description in seen:
                    continue
                seen.add(b.description)
                key = keys.effective_keys(b, app.keymap_overrides)
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

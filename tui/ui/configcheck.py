"""Config settings only the reader can check (theme names, binding ids), said once at start
with the loader's own warnings."""

from __future__ import annotations

from collections.abc import Iterable

from tui.settings.config import Config
from tui.settings.names import THEMES
from tui.textclean import clean_line
from tui.ui import keys

# Bindings of dialogs and screens that are not in the help's sections.
_OTHER_IDS = {"close_help", "cancel_dialog"}


def binding_ids() -> set[str]:
    ids = {b.id for _section, bindings in keys.SECTIONS for b in bindings if b.id}
    return ids | _OTHER_IDS


def config_warnings(config: Config, themes: Iterable[str]) -> list[str]:
    """The loader's warnings (an unknown theme or binding id among them, checked against
    tui.settings.names), then a known theme this Textual lacks."""
    out = list(config.warnings)
    themes = list(themes)
    if config.theme and config.theme in THEMES and config.theme not in themes:
        name = clean_line(config.theme, 60)
        out.append(f"config {config.path}: theme {name!r} is not a theme here")
    return out


def usable_keymap(config: Config) -> dict[str, str]:
    ids = binding_ids()
    return {k: v for k, v in config.keys.items() if k in ids}

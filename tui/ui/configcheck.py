"""Config settings only the reader can check (theme names, binding ids), said once at start
with the loader's own warnings."""

from __future__ import annotations

from collections.abc import Iterable

from tui.settings.config import Config
from tui.settings.validate import did_you_mean
from tui.textclean import clean_line
from tui.ui import keys

# Bindings of dialogs and screens that are not in the help's sections.
_OTHER_IDS = {"close_help", "cancel_dialog"}


def binding_ids() -> set[str]:
    ids = {b.id for _section, bindings in keys.SECTIONS for b in bindings if b.id}
    return ids | _OTHER_IDS


def _hint(name: str, known: Iterable[str]) -> str:
    return did_you_mean(name, known)


def config_warnings(config: Config, themes: Iterable[str]) -> list[str]:
    """The loader's warnings, then an unknown theme and unknown binding ids."""
    out = list(config.warnings)
    where = f"config {config.path}"
    themes = list(themes)
    if config.theme and config.theme not in themes:
        name = clean_line(config.theme, 60)
        out.append(f"{where}: theme {name!r} is not a theme here{_hint(name, themes)}")
    ids = binding_ids()
    for name in config.keys:
        if name not in ids:
            shown = clean_line(name, 60)
            out.append(f"{where}: keys.{shown} is not a binding id; ignored{_hint(shown, ids)}")
    return out


def usable_keymap(config: Config) -> dict[str, str]:
    ids = binding_ids()
    return {k: v for k, v in config.keys.items() if k in ids}

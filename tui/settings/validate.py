"""Every config key's type and range, checked at load.

A value that would hang, crash or quietly break a refresh (`concurrency = 0`, `timeout = nan`,
`keys = 5`) is an error: one line naming the key and what is allowed. Something newsdesk can
ignore and still do what the user meant elsewhere (an unknown key, a bad per-source value, a
non-string key binding) is a warning, said once, and the app starts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.textclean import clean_line


@dataclass(frozen=True)
class Rule:
    kind: str  # "int", "number", "bool", "str"
    low: float | None = None
    high: float | None = None
    above: bool = False  # `low` itself is not allowed (timeouts must be more than 0)
    choices: tuple[str, ...] = ()  # for "str": the only values allowed, when given

    def allowed(self) -> str:
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            return " or ".join(f'"{c}"' for c in self.choices) if self.choices else "a string"
        what = "a whole number" if self.kind == "int" else "a number"
        if self.low is not None and self.high is not None:
            return f"{what} from {self.low:g} to {self.high:g}"
        if self.low is not None:
            return f"{what} {'greater than' if self.above else 'of at least'} {self.low:g}"
        return what

    def accepts(self, value: Any) -> bool:
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "str":
            return isinstance(value, str) and (not self.choices or value in self.choices)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False  # TOML `true` is not a count
        if self.kind == "int" and not isinstance(value, int):
            return False
        if not math.isfinite(value):
            return False
        if self.low is not None and (value <= self.low if self.above else value < self.low):
            return False
        return self.high is None or value <= self.high


# Top-level (or [general]) settings; the Config dataclass holds their defaults.
SCALARS: dict[str, Rule] = {
    "concurrency": Rule("int", 1, 1000),
    # 6: the browsers' norm for HTTP/1.1 connections to one host; more is impolite
    "per_host": Rule("int", 1, 6),
    "timeout": Rule("number", 0, above=True),
    "deadline": Rule("number", 0, above=True),
    "max_feed_bytes": Rule("int", 1),
    "max_page_bytes": Rule("int", 1),
    "prefetch": Rule("bool"),
    "prefetch_concurrency": Rule("int", 1, 100),
    "refresh_budget": Rule("number", 0, above=True),  # seconds a whole refresh run may take
    "refresh_on_start": Rule("bool"),
    "refresh_interval": Rule("number", 0),
    "keep_days": Rule("int", 0),  # 0: keep forever
    "keep_per_source": Rule("int", 0),  # 0: no limit
    "keep_min_per_source": Rule("int", 0),  # the newest N of a source stay, however old
    "theme": Rule("str"),
    "river": Rule("bool"),  # the headline list as a river (`v` saves it)
    "stories": Rule("bool"),  # one story once
    "cluster_read": Rule("str", choices=("all", "one")),  # what opening a story's row marks
    "images": Rule("str", choices=("off", "auto", "halfblock", "kitty", "sixel")),
    "image_cache_mb": Rule("int", 0),  # 0: keep no pictures
    "max_image_bytes": Rule("int", 1),
    "images_per_article": Rule("int", 0, 100),
    "front_hours": Rule("number", 0, above=True),  # the front page's window
    "notify": Rule("str", choices=("off", "terminal", "command")),  # after a refresh
    "notify_match": Rule("str"),  # a rule match: only matching new entries are announced
    "notify_timeout": Rule("number", 0, above=True),  # seconds the notify command may take
}
TABLES = {
    "general": "a table",
    "keys": "a table",
    "sources": "a table",
    "views": "an array",
    "accounts": "a table",
}
# [[rules]] is checked by services.rules; player, browser and notify_command are argument lists
TOP_LEVEL = set(SCALARS) | set(TABLES) | {"player", "browser", "rules", "notify_command"}

PER_SOURCE: dict[str, Rule] = {
    "title": Rule("str"),
    "folder": Rule("str"),
    "prefetch": Rule("bool"),
    "refresh_interval": Rule("number", 0),
    "max_entries": Rule("int", 0),
    "user_agent": Rule("str"),
}
VIEW_KEYS = {"name", "query", "sources", "unread"}


class Problems:
    """What was wrong with a config file: errors stop loading, warnings are said once."""

    def __init__(self, path: object) -> None:
        self.path = path
        self.warnings: list[str] = []

    def error(self, key: str, message: str) -> str:
        return f"config {self.path}: {key} {message}"

    def warn(self, key: str, message: str) -> None:
        self.warnings.append(f"config {self.path}: {key} {message}")


def show(value: Any) -> str:
    return clean_line(repr(value), 60)


def check_scalar(problems: Problems, name: str, value: Any) -> str | None:
    """None when `value` suits `name`, else the error line."""
    rule = SCALARS[name]
    if rule.accepts(value):
        return None
    return problems.error(name, f"= {show(value)}: must be {rule.allowed()}")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """ " (did you mean X?)" for the closest known name, or nothing."""
    import difflib  # only when a name is unknown: off the start path

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def unknown(problems: Problems, where: str, name: str, known: set[str]) -> None:
    hint = did_you_mean(name, known)
    problems.warn(
        f"{where}{clean_line(name, 60)}", f"is not a setting newsdesk knows; ignored{hint}"
    )


def source_settings(problems: Problems, url: str, spec: Any) -> dict[str, Any] | None:
    """The usable settings of one [sources."URL"] table; what is wrong is warned and dropped."""
    where = f'sources."{clean_line(url, 200)}"'
    if not isinstance(spec, dict):
        problems.warn(where, "should be a table of settings; ignored")
        return None
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "headers":
            headers = _headers(problems, f"{where}.headers", value)
            if headers is not None:
                out[key] = headers
        elif key not in PER_SOURCE:
            unknown(problems, f"{where}.", key, set(PER_SOURCE) | {"headers"})
        elif PER_SOURCE[key].accepts(value):
            out[key] = value
        else:
            problems.warn(
                f"{where}.{key}", f"= {show(value)} ignored: must be {PER_SOURCE[key].allowed()}"
            )
    return out


def _headers(problems: Problems, where: str, value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        problems.warn(where, f"= {show(value)} ignored: must be a table of strings")
        return None
    out: dict[str, str] = {}
    for name, text in value.items():
        # a newline in a header would let one header smuggle in another
        if not isinstance(text, str) or clean_line(text, 8192) != text.strip():
            problems.warn(f"{where}.{clean_line(name, 60)}", "ignored: must be a one-line string")
        elif not name or not all(c.isalnum() or c in "-_!#$%&'*+.^`|~" for c in name):
            problems.warn(f"{where}.{clean_line(name, 60)}", "ignored: not a header name")
        else:
            out[name] = text.strip()
    return out


def known_names(problems: Problems, theme: str | None, keys: dict[str, Any]) -> None:
    """Warn about a theme or a [keys] binding id the reader does not have."""
    from tui.settings.names import BINDING_IDS, THEMES

    if theme and theme not in THEMES:
        name = clean_line(theme, 60)
        problems.warn("theme", f"{name!r} is not a theme here{did_you_mean(name, THEMES)}")
    for name in keys:
        if name not in BINDING_IDS:
            shown = clean_line(name, 60)
            hint = did_you_mean(shown, BINDING_IDS)
            problems.warn(f"keys.{shown}", f"is not a binding id; ignored{hint}")


def key_bindings(problems: Problems, value: dict[str, Any]) -> dict[str, str]:
    """[keys]: binding id -> keys; a value that is not a string is warned about and ignored
    (`next_unread = 5` must not replace `n`). Unknown ids are checked by the reader, which
    knows them."""
    out: dict[str, str] = {}
    for name, keys in value.items():
        if isinstance(keys, str) and keys.strip():
            out[str(name)] = keys
        else:
            problems.warn(
                f"keys.{clean_line(name, 60)}",
                f'= {show(keys)} ignored: must be a string of keys, e.g. "n,ctrl+n"',
            )
    return out


def views(problems: Problems, value: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, spec in enumerate(value):
        where = f"views[{i + 1}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            problems.warn(where, 'ignored: each [[views]] needs name = "..."')
            continue
        for key in set(spec) - VIEW_KEYS:
            unknown(problems, f"{where}.", key, VIEW_KEYS)
        out.append(dict(spec))
    return out

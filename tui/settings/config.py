"""The optional TOML config file. A missing file means defaults; a broken one, a clear error."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.settings import validate
from tui.settings.accounts import Account, parse_accounts
from tui.textclean import clean_line


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    """The settings, read once: never changed after loading. A change (a toggle in the reader,
    a source's edit) makes a new one with dataclasses.replace, and its holder swaps it in."""

    path: Path | None = None
    # Feeds fetched at once (per_host still bounds any one server). 64 against 32: a warm
    # refresh of 200 feeds on 200 hosts at 50 ms, 0.42 s against 0.72 s in-process (2 cores).
    concurrency: int = 64
    # Connections to one host at once: 6 is the browsers' norm for HTTP/1.1 and also the most
    # the config may ask for (politeness); over HTTP/2 the one connection carries more requests.
    per_host: int = 6
    timeout: float = 20.0  # seconds per read/connect
    deadline: float = 60.0  # seconds for a whole request, however slow the server drips
    max_feed_bytes: int = 20 * 1024 * 1024
    max_page_bytes: int = 10 * 1024 * 1024
    prefetch: bool = True  # fetch full articles of new entries during refresh
    prefetch_concurrency: int = 8
    refresh_budget: float = 300.0  # seconds a whole refresh run (feeds and articles) may take
    refresh_on_start: bool = True
    refresh_interval: float = 30  # minutes between automatic refreshes of one source
    keep_days: int = 90  # retention: read entries older than this are pruned (0: never)
    keep_per_source: int = 2000  # 0: no limit
    keep_min_per_source: int = 50  # retention: the newest N of a source stay, however old
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    player: list[str] = field(default_factory=list)  # argument list; the media URL is appended
    # `o` runs this (with the reader suspended) instead of the desktop's browser; %u: the URL
    browser: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-source settings by URL
    views: list[dict[str, Any]] = field(default_factory=list)
    accounts: dict[str, Account] = field(default_factory=dict)  # [accounts.NAME]: aggregators
    river: bool = False  # the headline list as a river: title, dek, photo line (key v)
    stories: bool = True  # one story once: group entries of one story from several sources
    cluster_read: str = "all"  # opening a story's row marks "all" its members read, or "one"
    # Pictures (issue 24): "auto" asks the terminal before the app starts (tui.pictures.terminal)
    images: str = "auto"
    image_cache_mb: int = 200  # the cache's budget for kept pictures; the oldest go first
    max_image_bytes: int = 8 * 1024 * 1024  # a picture larger than this is not fetched
    images_per_article: int = 12  # figures fetched per kept article (a gallery stops here)
    rules: list[Any] = field(default_factory=list)  # [[rules]]: checked by services.rules
    front_hours: float = 24.0  # the front page's window
    notify: str = "off"  # after a refresh: "off", "terminal" (OSC 9/777) or "command"
    notify_match: str = ""  # a rule match (word, "phrase", /regex/, !negated): only these
    notify_command: list[str] = field(default_factory=list)  # argv; the JSON summary on stdin
    notify_timeout: float = 10.0  # seconds the command may take before it is killed
    raw: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # said once by whoever shows the config
    # A source that moved (permanent redirect) keeps its [sources."old URL"] settings:
    # new URL -> the URL its settings are written under.
    moved: dict[str, str] = field(default_factory=dict)

    def interval(self, url: str) -> float:
        """Seconds between automatic refreshes of this source, from the config."""
        return 60.0 * float(self.source_setting(url, "refresh_interval", self.refresh_interval))

    def settings_for(self, url: str) -> dict[str, Any]:
        """This source's settings: those under its first URL (if it moved), then its own."""
        first = self.moved.get(url)
        if first is None or first == url:
            return self.sources.get(url, {})
        return {**self.sources.get(first, {}), **self.sources.get(url, {})}

    def headers_for(self, url: str) -> tuple[str, dict[str, str]] | None:
        """(the URL they were configured under, the headers): they go to that origin only,
        even after the source moved elsewhere."""
        for key in (url, self.moved.get(url)):
            if key and self.sources.get(key, {}).get("headers"):
                return key, dict(self.sources[key]["headers"])
        return None

    def source_setting(self, url: str, name: str, default: Any = None) -> Any:
        return self.settings_for(url).get(name, default)


def load_config(path: Path) -> Config:
    if not path.exists():
        return Config(path=path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_error(path, exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    problems = validate.Problems(path)
    kw: dict[str, Any] = {"path": path, "raw": raw, "warnings": problems.warnings}
    for name, kind in validate.TABLES.items():
        want = list if name == "views" else dict
        if name in raw and not isinstance(raw[name], want):
            raise ConfigError(problems.error(name, f"= {validate.show(raw[name])}: must be {kind}"))
    general = raw.get("general", {})
    for name in general:
        if name not in validate.SCALARS:
            validate.unknown(problems, "general.", name, set(validate.SCALARS))
    for name in raw:
        if name not in validate.TOP_LEVEL:
            validate.unknown(problems, "", name, validate.TOP_LEVEL)
    section = {**general, **{k: v for k, v in raw.items() if k in validate.SCALARS}}
    for name, value in section.items():
        if name in validate.SCALARS:
            error = validate.check_scalar(problems, name, value)
            if error:
                raise ConfigError(error)
            kw[name] = value
    kw["player"] = _command(problems, "player", raw.get("player", []))
    kw["browser"] = _command(problems, "browser", raw.get("browser", []))
    kw["notify_command"] = _command(problems, "notify_command", raw.get("notify_command", []))
    validate.known_names(problems, kw.get("theme"), raw.get("keys", {}))
    kw["keys"] = validate.key_bindings(problems, raw.get("keys", {}))
    kw["sources"] = {}
    for url, spec in raw.get("sources", {}).items():
        settings = validate.source_settings(problems, str(url), spec)
        if settings is not None:
            kw["sources"][str(url)] = settings
    kw["views"] = validate.views(problems, raw.get("views", []))
    try:
        kw["accounts"] = parse_accounts(raw.get("accounts"), f"config {path}")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    # each rule is checked on its own (a bad one is a warning naming it, the others apply)
    rules = raw.get("rules", [])
    kw["rules"] = list(rules) if isinstance(rules, list) else [rules]
    return Config(**kw)


def _command(problems: validate.Problems, name: str, value: Any) -> list[str]:
    """A command as an argument list. A string (newsboat's `player = "mpv"`) is split as a
    shell would split words, but never run through a shell."""
    if isinstance(value, str):
        import shlex

        try:
            return shlex.split(value)
        except ValueError as exc:
            raise ConfigError(problems.error(name, f"= {validate.show(value)}: {exc}")) from None
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise ConfigError(problems.error(name, "must be a list of strings or a string"))
    return list(value)


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _syntax_error(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """`config FILE, line 3: not valid TOML (illegal character '\\n' at column 10)`."""
    text = str(exc)
    match = _AT.search(text)
    what = clean_line(_AT.sub("", text), 200)
    what = what[:1].lower() + what[1:]
    if match is None:
        return f"config {path}: not valid TOML ({what})"
    line, column = match.groups()
    return f"config {path}, line {line}: not valid TOML ({what} at column {column})"


def source_changes(
    config: Config, url: str, edited: dict[str, str | bool | int | None]
) -> dict[str, Any]:
    """What `[sources."URL"]` must say for a settings dialog's values (`title`, `folder`,
    `prefetch`, `refresh_interval`) to stay: prefetch and the interval only where they differ
    from what applies now (no unchanged defaults written), title and folder where the config
    sets them (it wins over the cache at every start; None removes a key the dialog cleared)."""
    now = {
        "prefetch": bool(config.source_setting(url, "prefetch", config.prefetch)),
        "refresh_interval": int(config.interval(url) // 60),
    }
    table = config.settings_for(url)
    changes: dict[str, Any] = {}
    for key, value in edited.items():
        if key in now and value != now[key]:
            changes[key] = value
        elif key in ("title", "folder") and key in table and table[key] != value:
            changes[key] = value
    return changes

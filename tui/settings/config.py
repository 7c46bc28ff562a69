"""The optional TOML config file. A missing file means defaults; a broken one, a clear error."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.settings.accounts import Account, parse_accounts


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Path | None = None
    concurrency: int = 32  # feeds fetched at once (per_host still bounds any one server)
    per_host: int = 3  # connections to one host at once
    timeout: float = 20.0  # seconds per read/connect
    deadline: float = 60.0  # seconds for a whole request, however slow the server drips
    max_feed_bytes: int = 20 * 1024 * 1024
    max_page_bytes: int = 10 * 1024 * 1024
    prefetch: bool = True  # fetch full articles of new entries during refresh
    prefetch_concurrency: int = 8
    refresh_budget: float = 300.0  # seconds a whole refresh run (feeds and articles) may take
    refresh_on_start: bool = True
    refresh_interval: int = 30  # minutes between automatic refreshes of one source
    keep_days: int = 90  # retention: read entries older than this are pruned
    keep_per_source: int = 2000
    keep_min_per_source: int = 50  # retention: the newest N of a source stay, however old
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    player: list[str] = field(default_factory=list)  # argument list; the media URL is appended
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-source settings by URL
    views: list[dict[str, Any]] = field(default_factory=list)
    accounts: dict[str, Account] = field(default_factory=dict)  # [accounts.NAME]: aggregators
    raw: dict[str, Any] = field(default_factory=dict)

    def interval(self, url: str) -> float:
        """Seconds between automatic refreshes of this source, from the config."""
        return 60.0 * float(self.source_setting(url, "refresh_interval", self.refresh_interval))

    def source_setting(self, url: str, name: str, default: Any = None) -> Any:
        return self.sources.get(url, {}).get(name, default)


_SCALARS = {
    "concurrency": int,
    "per_host": int,
    "timeout": float,
    "deadline": float,
    "max_feed_bytes": int,
    "max_page_bytes": int,
    "prefetch": bool,
    "prefetch_concurrency": int,
    "refresh_budget": float,
    "refresh_on_start": bool,
    "keep_days": int,
    "keep_per_source": int,
    "keep_min_per_source": int,
    "theme": str,
    "refresh_interval": int,
}


def load_config(path: Path) -> Config:
    if not path.exists():
        return Config(path=path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    cfg = Config(path=path, raw=raw)
    section = {**raw.get("general", {}), **{k: v for k, v in raw.items() if k in _SCALARS}}
    for name, kind in _SCALARS.items():
        if name in section:
            value = section[name]
            if not isinstance(value, kind) and not (kind is float and isinstance(value, int)):
                raise ConfigError(f"config {path}: {name} should be {kind.__name__}")
            setattr(cfg, name, kind(value))
    player = raw.get("player", [])
    if not isinstance(player, list) or not all(isinstance(a, str) for a in player):
        raise ConfigError(f"config {path}: player should be a list of strings")
    cfg.player = list(player)
    if cfg.keep_min_per_source < 0:
        raise ConfigError(f"config {path}: keep_min_per_source should be 0 or more")
    cfg.keys = {str(k): str(v) for k, v in raw.get("keys", {}).items()}
    cfg.sources = {
        str(k): dict(v) for k, v in raw.get("sources", {}).items() if isinstance(v, dict)
    }
    cfg.views = [dict(v) for v in raw.get("views", []) if isinstance(v, dict)]
    try:
        cfg.accounts = parse_accounts(raw.get("accounts"), f"config {path}")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return cfg

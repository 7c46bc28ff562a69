"""Where newsdesk keeps its cache and reads its config: one module, every path overridable."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "newsdesk"
DB_NAME = "newsdesk.db"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The cache directory: --data-dir, else $NEWSDESK_DATA_DIR, else the platform data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("NEWSDESK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def config_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The config file: --config, else $NEWSDESK_CONFIG, else config.toml in the config dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("NEWSDESK_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create the directory readable by its owner only: it holds reading history."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError:
        pass
    return path


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DB_NAME

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
    """Create the directory (and any missing parents) readable by its owner only: it holds
    reading history. A directory that already exists keeps its mode: it is the user's (a
    shared /tmp-like 1777 directory given with --data-dir must stay as it is)."""
    missing: list[Path] = []
    at = path
    while not at.exists() and at != at.parent:
        missing.append(at)
        at = at.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another process: not ours to change
            continue
        directory.chmod(0o700)  # whatever the umask
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists. SQLite gives its
    -wal and -shm files the mode of the database file, so they are private too."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DB_NAME

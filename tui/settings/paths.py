"""Where newsdesk keeps its cache and reads its config: one module, every path overridable."""

from __future__ import annotations

import errno
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
    -wal and -shm files the mode of the database file, so they are private too. A symlink
    in its place (or in the place of the files SQLite makes beside it) is refused."""
    for name in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        if name.is_symlink():
            raise SymlinkRefused(name)
    try:
        fd = open_no_follow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return
    os.close(fd)


class SymlinkRefused(OSError):
    """A file newsdesk creates or writes is a symbolic link: someone else may have aimed it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is a symbolic link: refused (newsdesk never writes through a link in its "
            "data directory; remove it)"
        )


def open_no_follow(path: Path, flags: int, mode: int = 0o600) -> int:
    """os.open that refuses a symlink at `path` (O_NOFOLLOW) and anything but a regular file."""
    import stat

    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EEXIST and path.is_symlink()):
            raise SymlinkRefused(path) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, f"{path} is not a regular file: refused")
    return fd


def others_can_write(directory: Path) -> bool:
    """Can users other than its owner write this directory (group or others)? Then they can
    put links where newsdesk makes its files (a sticky bit stops them replacing ours, not
    planting a name we have yet to make)."""
    import stat

    try:
        mode = directory.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWGRP | stat.S_IWOTH))


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DB_NAME

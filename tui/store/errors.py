"""What goes wrong with the cache, said in plain words."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The cache cannot be opened or written; the message says why in plain words."""


def describe_db_error(path: Path, exc: BaseException) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return f"cache {path} is not writable ({text})"
    if is_corruption(exc):
        return f"cache {path} is damaged ({text}); `newsdesk check` moves it aside and rebuilds it"
    if "full" in text:
        return f"cache {path}: disk is full ({text})"
    return f"cache {path}: {text}"


def is_corruption(exc: BaseException) -> bool:
    text = str(exc)
    return "not a database" in text or "malformed" in text or "file is encrypted" in text


def is_read_only_error(exc: BaseException) -> bool:
    """Writing is impossible here (a read-only mount or file), as opposed to a damaged file."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return True
    text = str(exc)
    return "readonly" in text or "read-only" in text or "unable to open database file" in text

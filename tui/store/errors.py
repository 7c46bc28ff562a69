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

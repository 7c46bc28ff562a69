"""Small edits to the user's TOML config that keep the rest of the file as they wrote it.

Python has no TOML writer in the standard library and a round trip would drop comments, so we
change only the lines we own: the top-level `theme`, and one `[sources."URL"]` table. Every result
is parsed back with tomllib before it is written; an edit that would break the file is refused.
No Textual here: the reader calls these from thread workers.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.settings.paths import ensure_private_dir

_HEADER = re.compile(r"^\s*\[")
_SOURCE_HEADER = re.compile(
    r"""^\s*\[\s*sources\s*\.\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*\]\s*(#.*)?$"""
)


class ConfigWriteError(Exception):
    pass


def toml_value(value: Any) -> str:
    """A TOML literal for a str, bool, int, float or a list of them (JSON strings are valid TOML
    basic strings)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(key)}\s*=")


def set_top_level(text: str, key: str, value: Any) -> str:
    """`text` with top-level `key = value` (replaced where it is, else added before any table)."""
    lines = text.splitlines(keepends=True)
    line = f"{key} = {toml_value(value)}\n"
    pattern = _key_line(key)
    for i, old in enumerate(lines):
        if _HEADER.match(old):
            at = i
            while at > 0 and not lines[at - 1].strip():
                at -= 1  # right after the last top-level line, before the blank gap
            lines.insert(at, line)
            break
        if pattern.match(old):
            lines[i] = line
            break
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(line)
    return "".join(lines)


def _source_key(header: str) -> str | None:
    match = _SOURCE_HEADER.match(header)
    if match is None:
        return None
    try:
        return str(tomllib.loads(f"k = {match.group(1)}")["k"])
    except tomllib.TOMLDecodeError:
        return None


def set_source_table(text: str, url: str, values: dict[str, Any]) -> str:
    """`text` with these keys set in `[sources."URL"]` (a None value removes its key); its
    other keys and the rest stay."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _source_key(line) == url), None)
    gone = {k for k, v in values.items() if v is None}
    new = {k: f"{k} = {toml_value(v)}\n" for k, v in values.items() if v is not None}
    if start is None and not new:
        return text
    if start is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        block = [
            "\n" if lines and lines[-1].strip() else "",
            f"[sources.{toml_value(url)}]\n",
            *new.values(),
        ]
        return "".join(lines + block)
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    body = [old for old in lines[start + 1 : end] if not any(_key_line(k).match(old) for k in gone)]
    for key, line in new.items():
        pattern = _key_line(key)
        at = next((i for i, old in enumerate(body) if pattern.match(old)), None)
        if at is None:
            last = max((i for i, old in enumerate(body) if old.strip()), default=-1)
            body.insert(last + 1, line)
        else:
            body[at] = line
    return "".join(lines[: start + 1] + body + lines[end:])


def _array_header(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]\s*(#.*)?$")


def append_array_table(text: str, name: str, values: dict[str, Any]) -> str:
    """`text` with a new `[[name]]` table holding `values` at its end."""
    if text and not text.endswith("\n"):
        text += "\n"
    block = "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items())
    return text + ("\n" if text.strip() else "") + f"[[{name}]]\n" + block


def remove_array_table(text: str, name: str, index: int) -> str:
    """`text` without the `index`-th (0-based) `[[name]]` table; ValueError if there is none
    (say, the array is written inline)."""
    lines = text.splitlines(keepends=True)
    header = _array_header(name)
    starts = [i for i, line in enumerate(lines) if header.match(line)]
    if not 0 <= index < len(starts):
        raise ValueError(f"no [[{name}]] table number {index + 1} in the file")
    start = starts[index]
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    if end == len(lines):  # the last table: the blank lines before it go too
        while start > 0 and not lines[start - 1].strip():
            start -= 1
    return "".join(lines[:start] + lines[end:])


def rename_source_table(text: str, old: str, new: str) -> str:
    """`text` with the `[sources."OLD"]` header renamed to NEW (the source's URL changed); its
    keys and the rest of the file stay as they are."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if _source_key(line) == old:
            ending = "\n" if line.endswith("\n") else ""
            lines[i] = f"[sources.{toml_value(new)}]{ending}"
    return "".join(lines)


def rewrite(path: Path, edit: Callable[[str], str]) -> dict[str, Any]:
    """Apply `edit(text) -> text` to the config file (created if missing); returns the parsed
    result. The file is replaced atomically and only if the result still parses."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigWriteError(f"cannot read {path}: {exc}") from exc
    new = edit(text)
    try:
        parsed = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigWriteError(
            f"{path} would not parse after the change ({exc}); left as is"
        ) from exc
    try:
        ensure_private_dir(path.parent)
        tmp = path.with_name(path.name + ".tmp")
        # it may hold Cookie/Authorization headers: a new file is private, an old one keeps
        # the mode its owner gave it
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new)
        os.chmod(tmp, mode)
        tmp.replace(path)
    except OSError as exc:
        raise ConfigWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return parsed

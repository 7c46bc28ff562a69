"""Typed rows: what the store hands out of a source and an entry (never a sqlite3.Row).

Built from a row by column name, so a SELECT may give fewer columns (they keep their default)
or more (a migration's new column is ignored until a field names it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from typing import Any, Self

from tui.models import Media, decode_media


def _values(cls: type[Any], row: sqlite3.Row) -> dict[str, Any]:
    keys = set(row.keys())
    return {f.name: row[f.name] for f in fields(cls) if f.name in keys}


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: int
    url: str
    title: str | None = None
    title_override: str | None = None
    site_link: str | None = None
    folder: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    warning: str | None = None
    last_fetched: float | None = None
    retry_after: float | None = None
    ttl: int | None = None
    added: float = 0.0
    min_interval: float = 0.0
    account: str | None = None
    remote_id: str | None = None
    first_url: str | None = None
    # with counts (Store.sources): the name shown, its entries and unread entries
    display_title: str | None = None
    entries: int = 0
    unread: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Self:
        return cls(**_values(cls, row))

    @property
    def name(self) -> str:
        """What the user calls it: their title, else the feed's, else its URL."""
        return self.title_override or self.title or self.url


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    source_id: int
    key: str = ""
    title: str = ""
    link: str | None = None
    author: str | None = None
    published: float | None = None
    updated: float | None = None
    sort_time: float = 0.0
    summary_html: str = ""
    content_html: str = ""
    summary_text: str = ""
    media: str = "[]"  # JSON: the feed's pictures (see feeds.mediarss)
    enclosures: str = "[]"  # JSON: audio, video and other attachments
    first_seen: float = 0.0
    read: int = 0
    starred: int = 0
    account: str | None = None
    remote_id: str | None = None
    story: int | None = None
    # joined from its source
    source_title: str | None = None
    source_url: str | None = None
    source_account: str | None = None  # the source came from an aggregator account

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Self:
        return cls(**_values(cls, row))

    @property
    def pictures(self) -> list[Media]:
        """The feed's Media RSS objects (captions and credits), decoded."""
        return decode_media(self.media)

    def flag(self, name: str) -> bool:
        """read or starred, by name (the reader's toggle keys name the flag)."""
        if name not in ("read", "starred"):
            raise ValueError(f"not a flag: {name}")
        return bool(self.read if name == "read" else self.starred)

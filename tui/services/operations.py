"""One operation per user action on sources and entries, called by the CLI and the reader
alike: add (and "add anyway"), import, the starter set, edit, remove, mark and star.

Each is blocking (SQLite, the config file) unless it is async (it fetches): the reader runs
the blocking ones in thread workers. None prints or draws; each returns what happened or raises
OperationError with a one-line message for the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.settings.config import Config, source_changes
from tui.store import Store
from tui.textclean import clean_line

if TYPE_CHECKING:  # httpx and the feed parsers load when a source is first added
    from tui.services.session import Session
    from tui.services.subscribe import Added
    from tui.sync.engine import AccountResult

# The reader imports this module on its start path: what adding needs is imported on first use.


class OperationError(Exception):
    """The action could not be done; str() says why in one line."""


class ConfigNotSaved(OperationError):
    """The config file could not be written (what went to the cache is saved, and `config`
    holds the new settings for this run)."""

    def __init__(self, message: str, config: Config) -> None:
        super().__init__(message)
        self.config = config


class AddFailed(OperationError):
    """Adding failed; `url` is the checked URL to "add anyway" (None: not a URL at all)."""

    def __init__(self, message: str, url: str | None) -> None:
        super().__init__(message)
        self.url = url


async def add_source(
    session: Session, url: str, title: str | None = None, folder: str | None = None
) -> Added:
    """Subscribe to a feed URL or a page that links to one (its first fetch must work)."""
    from tui.services.subscribe import SubscribeError, normalise_url, subscribe

    try:
        return await subscribe(session.store, session.client, session.config, url, title, folder)
    except SubscribeError as exc:
        try:
            checked: str | None = normalise_url(url)
        except SubscribeError:
            checked = None  # not a URL at all: nothing to add anyway
        raise AddFailed(str(exc), checked) from None


def add_anyway(store: Store, url: str) -> Added:
    """Subscribe without a working first fetch: the next refresh tries, and says why not."""
    from tui.services.subscribe import Added, normalise_url

    url = normalise_url(url)
    already = not store.add_source(url)
    return Added(url, None, already=already, unchecked=True)


@dataclass
class Imported:
    """What an import (or the starter set) added; `notes` are lines for the user: what was
    not a feed, where a file broke off."""

    added: int
    duplicates: int
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> how many
    noted: dict[str, int] = field(default_factory=dict)  # note -> how many
    problem: str | None = None  # where the file broke off (what came before is kept)
    skipped_text: str | None = None
    note_lines: list[str] = field(default_factory=list)  # what was imported differently


def _subscribe_all(store: Store, subs: list[tuple[str, str | None, str | None]]) -> int:
    return sum(1 for url, title, folder in subs if store.add_source(url, title, folder))


def import_subscriptions(store: Store, data: bytes, name: str) -> Imported:
    """Subscribe to every feed of an OPML or newsboat urls file (nothing is fetched)."""
    from tui.feeds.opml import ImportError_, read_subscriptions

    folders = (r.folder for r in store.sources() if r.folder)
    try:
        result = read_subscriptions(data, folders)
    except ImportError_ as exc:
        raise OperationError(f"{clean_line(name, 300)}: {exc}") from None
    subs = [(s.url, s.title, s.folder) for s in result.subscriptions]
    added = _subscribe_all(store, subs)
    skipped, note_lines = result.skipped_text(), result.notes_text()
    return Imported(
        added,
        len(subs) - added,
        [n for n in (skipped, result.problem, *note_lines) if n],
        dict(result.skipped.most_common()),
        dict(result.notes.most_common()),
        result.problem,
        skipped,
        note_lines,
    )


def import_file(store: Store, path: str) -> Imported:
    """import_subscriptions from a file (`~` is the home directory)."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise OperationError(f"cannot read {path}: {exc.strerror}") from None
    return import_subscriptions(store, data, path)


def subscribe_starter(store: Store, feeds: list[tuple[str, str, str]]) -> Imported:
    """The starter set ((title, url, folder) each): subscribed, nothing fetched yet."""
    added = _subscribe_all(store, [(url, title, folder) for title, url, folder in feeds])
    return Imported(added, len(feeds) - added)


def remove_source(store: Store, url: str) -> bool:
    """Unsubscribe and delete its entries (starred ones too); False: no such source. A URL
    stored with control characters is found by its cleaned form, which is what users see."""
    if store.source(url) is None:
        url = next((r.url for r in store.sources() if clean_line(r.url, 8192) == url), url)
    return store.remove_source(url)


@dataclass(frozen=True)
class SourceEdit:
    """A source's settings as the user edits them (the cache's title and folder, the config
    file's prefetch and interval), and a new URL when the feed moved."""

    url: str
    title: str | None
    folder: str | None
    prefetch: bool
    interval: int  # minutes
    new_url: str | None = None


def source_edit(store: Store, config: Config, source_id: int) -> tuple[SourceEdit, str] | None:
    """The source's current settings, and the feed's own title (None: no such source)."""
    row = store.source_by_id(source_id)
    if row is None:
        return None
    url = row.url
    current = SourceEdit(
        url,
        row.title_override,
        row.folder,
        bool(config.source_setting(url, "prefetch", config.prefetch)),
        int(config.interval(url) // 60),
    )
    return current, row.title or url


def edit_source(store: Store, config: Config, s: SourceEdit) -> tuple[str, Config]:
    """Save a source's settings; returns its URL (the new one if it moved) and the config
    that holds them (a new one: `config` is not changed). Raises OperationError when the new
    URL is subscribed already, ConfigNotSaved when the config file cannot be written (the
    cache's part is saved by then; `exc.config` holds the settings all the same)."""
    from tui.settings import configfile

    url = s.url
    if s.new_url is not None:
        if store.source(s.new_url) is not None:
            raise OperationError(clean_line(f"Already subscribed to {s.new_url}.", 300))
        store.move_source(url, s.new_url)
        # a new address: its validators and last error belonged to the old one
        store.update_source(
            s.new_url, etag=None, last_modified=None, last_error=None, retry_after=None
        )
        url = s.new_url
    store.update_source(url, title_override=s.title, folder=s.folder)
    # only what changed, and a title or folder the config sets (it wins at every start)
    edited = {"title": s.title, "folder": s.folder, "prefetch": s.prefetch}
    values = source_changes(config, s.url, {**edited, "refresh_interval": s.interval})

    def edit(text: str) -> str:
        if url != s.url:
            text = configfile.rename_source_table(text, s.url, url)
        return configfile.set_source_table(text, url, values)

    sources = {k: v for k, v in config.sources.items() if k != s.url}
    table = {**config.sources.get(s.url, {}), **values}
    sources[url] = {k: v for k, v in table.items() if v is not None}
    new = replace(config, sources=sources)
    moved_table = url != s.url and s.url in config.sources
    if config.path is not None and (values or moved_table):
        try:
            configfile.rewrite(config.path, edit)
        except configfile.ConfigWriteError as exc:
            raise ConfigNotSaved(clean_line(str(exc), 300), new) from None
    return url, new


async def push_marks(session: Session) -> list[AccountResult]:
    """Send the marks queued for aggregator accounts now (no pull): the reader calls it a
    moment after the user marks entries."""
    from tui.sync.push import push_accounts

    return await push_accounts(session.store, session.client, session.config)


def mark_read(store: Store, entry_ids: list[int], read: bool = True) -> None:
    store.set_read(entry_ids, read)


def star(store: Store, entry_id: int, starred: bool = True) -> bool:
    """Star or unstar an entry; False: no such entry."""
    if store.entry(entry_id) is None:
        return False
    store.set_starred(entry_id, starred)
    return True

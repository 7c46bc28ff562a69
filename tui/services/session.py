"""A Session: what one run of newsdesk works with (the cache, the config, the HTTP client),
handed to the operations that need more than one of them. And the typed events a refresh
reports to its caller, instead of a callback per kind of news.

The config is immutable once loaded: a change (a setting the reader toggles, a source's edit)
makes a new Config and the session holds that one from then on (`replace_config`, called on
the thread that owns the session: the reader's UI thread, the CLI's only one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from tui.settings.config import Config
from tui.store import Store

if TYPE_CHECKING:  # httpx is imported when the network is first needed
    import httpx

    from tui.services.refresh import RefreshSummary
    from tui.sync.engine import AccountResult


def _default_client(config: Config) -> httpx.AsyncClient:
    from tui.net.http import make_client

    return make_client(config.timeout, config.concurrency * 2)


class Session:
    """The cache, the config and the HTTP client; the client is made on first use (and closed
    by `aclose` only if the session made it)."""

    def __init__(
        self,
        store: Store,
        config: Config,
        client: httpx.AsyncClient | None = None,
        make_client: Callable[[Config], httpx.AsyncClient] = _default_client,
    ) -> None:
        self.store = store
        self._config = config
        self._client = client
        self._make_client = make_client
        self._own_client = False

    @property
    def config(self) -> Config:
        return self._config

    def replace_config(self, config: Config) -> None:
        """From now on the session's config is this one (the old one is never changed)."""
        self._config = config

    @property
    def has_client(self) -> bool:
        return self._client is not None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = self._make_client(self._config)
            self._own_client = True
        return self._client

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
        self._client = None


class RefreshEvents(Protocol):
    """What a refresh tells its caller while it runs (each may come from the event loop's
    thread only; none may block)."""

    def progressed(self, done: int, total: int, phase: str) -> None:
        """One more feed ("refreshing") or article page ("articles") finished."""

    def stored(self, summary: RefreshSummary) -> None:
        """The feeds are stored (rules and stories applied); articles may still be fetched."""

    def sync_progressed(self, account: str, what: str) -> None:
        """An aggregator account's sync moved on."""

    def synced(self, results: list[AccountResult]) -> None:
        """Every account's sync ended, failed ones with their error."""


class QuietRefresh:
    """Events nobody listens to: subclass it and override the ones you want."""

    def progressed(self, done: int, total: int, phase: str) -> None:
        pass

    def stored(self, summary: RefreshSummary) -> None:
        pass

    def sync_progressed(self, account: str, what: str) -> None:
        pass

    def synced(self, results: list[AccountResult]) -> None:
        pass

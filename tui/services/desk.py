"""The reader's one gateway to the core: the types it shows and the reads it makes. tui/ui
imports nothing from tui.store, tui.net, tui.feeds, tui.extract or tui.sync (an import contract
keeps it so); what it needs of them comes through here and the other services.

What is on the reader's start path is imported at the top; the rest (search, the HTTP client)
on first use, inside the functions below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.settings.config import Config as Config
from tui.store import EntryRow as EntryRow
from tui.store import SourceRow as SourceRow
from tui.store import Store as Store
from tui.store.counts import sources_counted as sources_counted
from tui.store.counts import unread_in as unread_in
from tui.store.counts import unread_total as unread_total
from tui.store.extras import RowExtra as RowExtra
from tui.store.listing import Listing as Listing
from tui.store.listing import RulesSQL as RulesSQL
from tui.store.marks import unread_members as unread_members
from tui.store.rows import PAGE as PAGE
from tui.store.rows import FirstPage as FirstPage
from tui.store.rows import HeadlineRow as HeadlineRow
from tui.store.rows import hidden_count as hidden_count
from tui.store.rows import load_page as load_page
from tui.store.rulematch import REGEX_TIMEOUT as REGEX_TIMEOUT
from tui.store.rulematch import too_slow as too_slow
from tui.store.views import ALL_UNREAD as ALL_UNREAD
from tui.store.views import FRONT as FRONT
from tui.store.views import STARRED as STARRED
from tui.store.views import TODAY as TODAY
from tui.store.views import StickyView as StickyView
from tui.store.views import View as View
from tui.store.views import saved_views as saved_views

if TYPE_CHECKING:
    import re

    import httpx

    from tui.sync.engine import AccountResult as AccountResult


def search_view(text: str, base: View | None = None) -> View | None:
    """The headline list's view of a search (None: no words to search for)."""
    from tui.store.search import search_view as _search_view

    return _search_view(text, base=base)


def match_pattern(text: str) -> re.Pattern[str] | None:
    """The search's words as a pattern, to underline them in titles."""
    from tui.store.search import match_pattern as _match_pattern

    return _match_pattern(text)


def open_client(config: Config) -> httpx.AsyncClient:
    """The reader's one HTTP client (httpx is imported here, when the network is first needed)."""
    from tui.net.http import make_client

    return make_client(config.timeout, config.concurrency * 2)

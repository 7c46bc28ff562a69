"""The `e` details panel says when a source is fetched next by the refresh's own rules."""

from __future__ import annotations

import time

from tui.settings.config import Config
from tui.store import Store
from tui.ui.source_facts import source_facts


def test_retry_after_far_away_is_capped_and_shows_its_date(tmp_path):
    store = Store(tmp_path / "c.db")
    url = "https://example.org/feed.xml"
    store.add_source(url)
    now = time.time()
    store.update_source(url, retry_after=253402300799.0, last_fetched=now)  # year 9999
    facts = dict(source_facts(store.source(url), Config()))
    week = time.strftime("%Y-%m-%d", time.localtime(now + 7 * 86400))
    assert facts["Next"].startswith(f"not before {week} "), facts["Next"]

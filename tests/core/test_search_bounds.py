"""Search stays bounded for common words: the words as typed first, the prefix only when they
alone do not fill the newest MAX_MATCHES."""

from __future__ import annotations

from tui.models import ParsedEntry, ParsedFeed
from tui.store import Store
from tui.store.fts import MAX_MATCHES, fts_query
from tui.store.search import search, search_view


def _store(tmp_path, titles: list[str]) -> Store:
    store = Store(tmp_path / "s.db")
    store.add_source("http://a/")
    entries = [
        ParsedEntry(key=f"k{i}", title=t, published=1_000_000.0 + i) for i, t in enumerate(titles)
    ]
    store.store_feed("http://a/", ParsedFeed(title="A", entries=entries))
    store.index_pending()
    return store


def test_a_common_word_matches_as_typed_a_rare_one_as_a_prefix_too(tmp_path):
    titles = [f"vote number {i}" for i in range(MAX_MATCHES + 5)] + ["voters rally downtown"]
    store = _store(tmp_path, titles)
    common = search(store, "vote", limit=MAX_MATCHES + 10)
    assert len(common) == MAX_MATCHES  # bounded to the newest matches
    assert all(r.entry.title.startswith("vote number") for r in common)
    assert [r.entry.title for r in search(store, "voter")] == ["voters rally downtown"]
    assert [r.entry.title for r in search(store, "rall")] == ["voters rally downtown"]
    view = search_view("vote")
    assert view is not None and store.count(view) == MAX_MATCHES
    store.close()


def test_title_holding_more_words_ranks_first_then_newest(tmp_path):
    store = _store(
        tmp_path,
        ["harbour news", "bridge and harbour", "bridge works", "harbour bridge opens"],
    )
    titles = [r.entry.title for r in search(store, "harbour bridge")]
    assert titles == ["harbour bridge opens", "bridge and harbour"]
    store.close()


def test_a_short_last_word_is_not_a_prefix():
    assert fts_query("council t") == '"council" "t"'
    assert fts_query("council vot") == '"council" "vot"*'

"""Small lookups for the services that need one answer from the cache and no row."""

from __future__ import annotations

from tui.store.db import Store


def entry_ids_by_link(store: Store, feed_url: str) -> dict[str, int]:
    """The entries of the source at `feed_url`: their id by link."""
    rows = store.query(
        "SELECT e.id, e.link FROM entries e JOIN sources s ON s.id = e.source_id WHERE s.url = ?",
        (feed_url,),
    )
    return {str(link): int(entry_id) for entry_id, link in rows}

"""The Store's queries on full articles and the small state kept between runs (a mixin of
tui.store.db.Store, which provides the connection)."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from tui.models import Article
from tui.store.glance import article_glance
from tui.store.records import EntryRow
from tui.store.upsert import index_pending

if TYPE_CHECKING:
    from tui.store.views import SqlParams


# An article is due when never tried, or when its last failure is older than its backoff: an
# hour after the first, doubling with each failure, at most a week. One parameter: now.
ATTEMPT_DUE = (
    "(a.entry_id IS NULL OR (a.body IS NULL "
    "AND a.fetched + min(3600 << min(a.attempts - 1, 8), 604800) <= ?))"
)


class ArticleQueries:
    if TYPE_CHECKING:  # provided by the Store

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def query(self, sql: str, params: SqlParams | list[int] = ()) -> list[sqlite3.Row]: ...

    # -- articles -------------------------------------------------------------------------

    def save_article(
        self, entry_id: int, article: Article | None, error: str | None = None
    ) -> None:
        body = json.dumps(article.to_json()) if article else None
        status = "ok" if article else "failed"
        glance = article_glance(article) if article else (None, None, None)  # for the river
        with self.transaction() as db:
            index_pending(db)  # the article text goes into the entry's search row
            # a failure counts one more attempt: the next one waits longer (ATTEMPT_DUE)
            db.execute(
                "INSERT INTO articles (entry_id, status, fetched, error, body, dek, credit, "
                "caption, attempts) VALUES (?,?,?,?,?,?,?,?,1) ON CONFLICT (entry_id) DO UPDATE "
                "SET status = excluded.status, fetched = excluded.fetched, error = excluded.error, "
                "body = excluded.body, dek = excluded.dek, credit = excluded.credit, "
                "caption = excluded.caption, attempts = articles.attempts + 1",
                (entry_id, status, time.time(), error, body, *glance),
            )
            if article is not None:
                db.execute(
                    "UPDATE entry_fts SET article = ? WHERE rowid = ?",
                    (article.body_text(figures=True), entry_id),
                )

    def article(self, entry_id: int) -> tuple[Article | None, str | None] | None:
        """(article, error) if extraction was tried for this entry, else None."""
        rows = self.query("SELECT body, error FROM articles WHERE entry_id = ?", (entry_id,))
        if not rows:
            return None
        body, error = rows[0]
        return (Article.from_json(json.loads(body)) if body else None, error)

    def entries_without_article(self, entry_ids: list[int]) -> list[EntryRow]:
        """Of these entries (id, source, link only), those with a link whose article is due:
        never tried, or failed longer ago than its backoff."""
        if not entry_ids:
            return []
        marks = ",".join("?" * len(entry_ids))
        rows = self.query(
            f"SELECT e.id, e.source_id, e.link, s.url AS source_url, s.account AS source_account "
            f"FROM entries e JOIN sources s ON s.id = e.source_id "
            f"LEFT JOIN articles a ON a.entry_id = e.id "
            f"WHERE e.id IN ({marks}) AND e.link IS NOT NULL AND {ATTEMPT_DUE}",
            [*entry_ids, int(time.time())],
        )
        return [EntryRow.from_row(r) for r in rows]

    def entries_missing_article(self, limit: int) -> list[int]:
        """The newest entries with a link whose article is due (never tried, or failed longer
        ago than its backoff), newest first, whatever stored them: add, import, a sync, a
        refresh that was interrupted or answered 304."""
        rows = self.query(
            "SELECT e.id FROM entries e LEFT JOIN articles a ON a.entry_id = e.id "
            f"WHERE e.link IS NOT NULL AND {ATTEMPT_DUE} "
            "ORDER BY e.sort_time DESC, e.id DESC LIMIT ?",
            (time.time(), limit),
        )
        return [r[0] for r in rows]

    # -- small state kept between runs ------------------------------------------------------

    def meta(self, name: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    def set_meta(self, name: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def stored_since(self, since: float) -> tuple[int, int]:
        """(entries first stored, full articles kept) since `since`: what an interrupted
        refresh kept."""
        entries = self.query("SELECT COUNT(*) FROM entries WHERE first_seen >= ?", (since,))
        articles = self.query(
            "SELECT COUNT(*) FROM articles WHERE fetched >= ? AND body IS NOT NULL", (since,)
        )
        return entries[0][0], articles[0][0]

"""The cache's schema as numbered migrations (`PRAGMA user_version` says which have run)."""

from __future__ import annotations

import sqlite3

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        title_override TEXT,
        site_link TEXT,
        folder TEXT,
        etag TEXT,
        last_modified TEXT,
        last_status TEXT,
        last_error TEXT,
        warning TEXT,
        last_fetched REAL,
        retry_after REAL,
        ttl INTEGER,
        added REAL NOT NULL
    );
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        link TEXT,
        author TEXT,
        published REAL,
        updated REAL,
        sort_time REAL NOT NULL,
        summary_html TEXT NOT NULL DEFAULT '',
        content_html TEXT NOT NULL DEFAULT '',
        summary_text TEXT NOT NULL DEFAULT '',
        media TEXT NOT NULL DEFAULT '[]',
        enclosures TEXT NOT NULL DEFAULT '[]',
        first_seen REAL NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        UNIQUE (source_id, key)
    );
    CREATE INDEX entries_by_source ON entries (source_id, sort_time DESC, id DESC);
    CREATE INDEX entries_by_time ON entries (sort_time DESC, id DESC);
    CREATE INDEX entries_unread ON entries (sort_time DESC, id DESC) WHERE read = 0;
    CREATE INDEX entries_starred ON entries (sort_time DESC, id DESC) WHERE starred = 1;
    CREATE TABLE articles (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        fetched REAL NOT NULL,
        error TEXT,
        body TEXT
    );
    """,
    2: """
    CREATE VIRTUAL TABLE entry_fts USING fts5 (title, summary, article, tokenize = 'unicode61');
    INSERT INTO entry_fts (rowid, title, summary) SELECT id, title, summary_text FROM entries;
    CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
        INSERT INTO entry_fts (rowid, title, summary) VALUES (new.id, new.title, new.summary_text);
    END;
    CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, summary_text ON entries BEGIN
        UPDATE entry_fts SET title = new.title, summary = new.summary_text WHERE rowid = new.id;
    END;
    CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
        DELETE FROM entry_fts WHERE rowid = old.id;
    END;
    """,
    3: """
    ALTER TABLE sources ADD COLUMN min_interval REAL NOT NULL DEFAULT 0;
    """,
    4: """
    CREATE TABLE pruned (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (source_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
    """,
    5: """
    CREATE INDEX entries_source_read ON entries (source_id, read);
    """,
    6: """
    -- New entries are indexed for search in one batch after a refresh (index_pending): FTS5
    -- costs far more row by row, inside every feed's transaction, than in one INSERT ... SELECT.
    DROP TRIGGER entries_fts_insert;
    CREATE TABLE fts_pending (id INTEGER PRIMARY KEY);
    CREATE TRIGGER entries_fts_pending AFTER INSERT ON entries BEGIN
        INSERT INTO fts_pending (id) VALUES (new.id);
    END;
    """,
    7: """
    -- Sync with aggregators (tui/sync): which account a source or entry comes from and its id
    -- there; local changes waiting for the server; each account's pull cursor.
    ALTER TABLE sources ADD COLUMN account TEXT;
    ALTER TABLE sources ADD COLUMN remote_id TEXT;
    CREATE UNIQUE INDEX sources_remote ON sources (account, remote_id) WHERE account IS NOT NULL;
    ALTER TABLE entries ADD COLUMN account TEXT;
    ALTER TABLE entries ADD COLUMN remote_id TEXT;
    CREATE INDEX entries_remote ON entries (account, remote_id) WHERE account IS NOT NULL;
    -- One row per entry and kind ("read", "star"): a newer change replaces the row (and gets a
    -- new id), so a push acknowledges exactly the rows it sent, never one changed meanwhile.
    -- No foreign key: a change outlives its entry (pruned, source removed) until it is sent.
    CREATE TABLE sync_queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        remote_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        value INTEGER NOT NULL,
        at REAL NOT NULL,
        UNIQUE (account, remote_id, kind)
    );
    CREATE TABLE sync_state (
        account TEXT PRIMARY KEY,
        cursor TEXT,
        last_sync REAL,
        last_error TEXT
    ) WITHOUT ROWID;
    """,
    8: """
    -- The URL a source was subscribed under, once a permanent redirect moved it: its
    -- [sources."URL"] settings in the config keep applying, and its configured headers keep
    -- going to that origin only.
    ALTER TABLE sources ADD COLUMN first_url TEXT;
    """,
    9: """
    -- One story once (issue 15): the id of the entry that started the entry's story (NULL when
    -- it stands alone), set at refresh; and what the river shows of a prefetched article.
    ALTER TABLE entries ADD COLUMN story INTEGER;
    CREATE INDEX entries_story ON entries (story, sort_time DESC, id DESC) WHERE story IS NOT NULL;
    ALTER TABLE articles ADD COLUMN dek TEXT;
    ALTER TABLE articles ADD COLUMN credit TEXT;
    ALTER TABLE articles ADD COLUMN caption TEXT;
    """,
    10: """
    -- Entry, unread and starred counts per source, kept by triggers in the same transaction as
    -- every insert, mark and delete: the sources pane and the first paint read ~one row per
    -- source instead of counting every entry (a GROUP BY over 1M entries took ~170 ms).
    CREATE TABLE source_counts (
        source_id INTEGER PRIMARY KEY,
        entries INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO source_counts (source_id, entries, unread, starred)
        SELECT s.id, COUNT(e.id), COALESCE(SUM(e.read = 0), 0), COALESCE(SUM(e.starred = 1), 0)
        FROM sources s LEFT JOIN entries e ON e.source_id = s.id GROUP BY s.id;
    CREATE TRIGGER source_counts_add AFTER INSERT ON sources BEGIN
        INSERT OR IGNORE INTO source_counts (source_id) VALUES (new.id);
    END;
    CREATE TRIGGER source_counts_remove AFTER DELETE ON sources BEGIN
        DELETE FROM source_counts WHERE source_id = old.id;
    END;
    CREATE TRIGGER entries_count_insert AFTER INSERT ON entries BEGIN
        UPDATE source_counts SET entries = entries + 1, unread = unread + (new.read = 0),
            starred = starred + (new.starred = 1) WHERE source_id = new.source_id;
    END;
    CREATE TRIGGER entries_count_delete AFTER DELETE ON entries BEGIN
        UPDATE source_counts SET entries = entries - 1, unread = unread - (old.read = 0),
            starred = starred - (old.starred = 1) WHERE source_id = old.source_id;
    END;
    CREATE TRIGGER entries_count_mark AFTER UPDATE OF read, starred, source_id ON entries
    WHEN old.read IS NOT new.read OR old.starred IS NOT new.starred
        OR old.source_id IS NOT new.source_id BEGIN
        UPDATE source_counts SET entries = entries - 1, unread = unread - (old.read = 0),
            starred = starred - (old.starred = 1) WHERE source_id = old.source_id;
        UPDATE source_counts SET entries = entries + 1, unread = unread + (new.read = 0),
            starred = starred + (new.starred = 1) WHERE source_id = new.source_id;
    END;
    """,
    11: """
    -- Pictures of kept articles (issue 24), fetched at prefetch and kept downscaled (JPEG)
    -- for --offline; one row per figure, a failure kept with its one-line reason so it is not
    -- fetched again each refresh. They go with their entry; the budget prunes the oldest.
    CREATE TABLE pictures (
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        fetched REAL NOT NULL,
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        size INTEGER NOT NULL DEFAULT 0,
        data BLOB,
        error TEXT,
        PRIMARY KEY (entry_id, url)
    ) WITHOUT ROWID;
    CREATE INDEX pictures_by_age ON pictures (fetched);
    """,
    12: """
    -- Machines kept in step through a shared folder or SSH (tui/sync/peers.py). One register
    -- per (feed URL, entry key, kind): read, star, or sub (key '') for a subscription; the
    -- winner is the highest (stamp, value, machine), stamps being hybrid logical clock values
    -- in milliseconds. Triggers record local changes of feeds' own entries and sources as they
    -- happen, once peer_clock has its row (a peer account synced once); a merge sets `merging`
    -- so what it writes is not taken for a local change.
    CREATE TABLE peer_marks (
        url TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        value INTEGER NOT NULL,
        stamp INTEGER NOT NULL,
        machine TEXT NOT NULL,
        PRIMARY KEY (url, key, kind)
    ) WITHOUT ROWID;
    CREATE TABLE peer_clock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        machine TEXT NOT NULL,
        stamp INTEGER NOT NULL,
        merging INTEGER NOT NULL DEFAULT 0
    );
    CREATE TRIGGER peer_mark AFTER UPDATE OF read, starred ON entries
    WHEN new.account IS NULL AND (old.read IS NOT new.read OR old.starred IS NOT new.starred)
        AND EXISTS (SELECT 1 FROM peer_clock WHERE merging = 0) BEGIN
        UPDATE peer_clock SET stamp = MAX(stamp + 1,
            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
        INSERT OR REPLACE INTO peer_marks (url, key, kind, value, stamp, machine)
            SELECT COALESCE(s.first_url, s.url), new.key, 'read', new.read, c.stamp, c.machine
            FROM sources s, peer_clock c WHERE s.id = new.source_id AND old.read IS NOT new.read;
        INSERT OR REPLACE INTO peer_marks (url, key, kind, value, stamp, machine)
            SELECT COALESCE(s.first_url, s.url), new.key, 'star', new.starred, c.stamp,
                c.machine
            FROM sources s, peer_clock c
            WHERE s.id = new.source_id AND old.starred IS NOT new.starred;
    END;
    CREATE TRIGGER peer_subscribe AFTER INSERT ON sources
    WHEN new.account IS NULL AND EXISTS (SELECT 1 FROM peer_clock WHERE merging = 0) BEGIN
        UPDATE peer_clock SET stamp = MAX(stamp + 1,
            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
        INSERT OR REPLACE INTO peer_marks (url, key, kind, value, stamp, machine)
            SELECT new.url, '', 'sub', 1, stamp, machine FROM peer_clock;
    END;
    CREATE TRIGGER peer_unsubscribe AFTER DELETE ON sources
    WHEN old.account IS NULL AND EXISTS (SELECT 1 FROM peer_clock WHERE merging = 0) BEGIN
        UPDATE peer_clock SET stamp = MAX(stamp + 1,
            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
        INSERT OR REPLACE INTO peer_marks (url, key, kind, value, stamp, machine)
            SELECT COALESCE(old.first_url, old.url), '', 'sub', 0, stamp, machine
            FROM peer_clock;
    END;
    """,
    13: """
    -- The front page (issue 25) reads every entry of its window (24 h: ~30,000 entries at 1M)
    -- for its source, story and read flag: from this index alone, never the entries' rows.
    CREATE INDEX entries_window ON entries (sort_time, source_id, story, read);
    """,
    14: """
    -- Full-article attempts (issue 20): a failed page is tried again after a backoff that grows
    -- with each failure, whatever stored its entry (add, import, sync, a 304 refresh).
    ALTER TABLE articles ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX articles_failed ON articles (fetched) WHERE body IS NULL;
    """,
}


def migrate(db: sqlite3.Connection, path: object) -> None:
    """Run the migrations the cache has not run yet, each in its own transaction."""
    from tui.store.errors import StoreError

    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > max(MIGRATIONS):
        raise StoreError(
            f"cache {path} was written by a newer newsdesk "
            f"(schema {version}); upgrade newsdesk to read it"
        )
    for target in sorted(MIGRATIONS):
        if target > version:
            # executescript commits whatever is pending, so the script is its own transaction.
            script = MIGRATIONS[target] + f"PRAGMA user_version = {target};"
            try:
                db.executescript("BEGIN IMMEDIATE;" + script + "COMMIT;")
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise


def _our_tables() -> frozenset[str]:
    import re

    made = set(re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", "".join(MIGRATIONS.values())))
    fts = {f"entry_fts_{part}" for part in ("data", "idx", "content", "docsize", "config")}
    return frozenset(made | fts)


OUR_TABLES = _our_tables()


def check_tables_are_ours(db: sqlite3.Connection, path: object) -> None:
    """Refuse a database holding tables newsdesk did not make (another app's SQLite file given
    as the cache): adding ours to it would change a file that is not ours."""
    from tui.store.errors import StoreError

    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    foreign = sorted(n for n in names if n not in OUR_TABLES and not n.startswith("sqlite_"))
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise StoreError(
            f"{path} is not a newsdesk cache: it holds tables newsdesk did not make ({shown}); "
            "left as it is. Point --data-dir at a directory of its own."
        )


# The columns every headline list and `headlines --json` reads: `entries e JOIN sources s`.
ENTRY_COLUMNS = (
    "e.id, e.source_id, e.key, e.title, e.link, e.author, e.published, e.sort_time, "
    "e.read, e.starred, e.story, COALESCE(s.title_override, s.title, s.url) AS source_title, "
    "s.url AS source_url, s.account AS account"
)

"""Big caches, filled straight into SQLite (executemany): newsdesk's schema and newsboat's.

Both get the same sources, titles and text, so start-up compares like with like. The newest
entry's title is a marker the paint benchmark waits for.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from bench import corpus

MARKER = "Zebra marker headline for the paint benchmark"
PAINT_MARKER = "Zebra"  # the headline column is narrow: the start of the title is enough
NEWSBOAT_MARKER = "Bench Source 0000"  # first feed title in newsboat's feed list


def _rows(sources: int, per_source: int, seed: int):
    """(source, item, title, link, published, summary_html, content_html, summary_text)."""
    import random

    r = random.Random(seed)
    texts = [corpus.paragraph(r, 3) for _ in range(397)]  # a pool: generating 50,000 is slow
    more = [f"<p>{corpus.paragraph(r, 4)}</p>" for _ in range(101)]
    n = 0
    for s in range(sources):
        for i in range(per_source):
            n += 1
            title = MARKER if (s, i) == (0, 0) else corpus.headline(seed, s, i)
            text = texts[n % len(texts)]
            html = f"<p>{text}</p>"
            yield (
                s,
                i,
                title,
                f"https://bench{s}.example/a/{i}.html",
                corpus.item_time(s, i),
                html,
                html + more[n % len(more)],
                text,
            )


def fill_newsdesk(
    data_dir: Path, sources: int, per_source: int, seed: int = 1, articles: int = 0
) -> Path:
    """A newsdesk cache with sources × per_source unread entries; `articles` newest get a body."""
    from tui.store import Store

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "newsdesk.db"
    Store(path).close()  # the real schema, migrations and triggers
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO sources (id, url, title, site_link, added, last_status, last_fetched) "
        "VALUES (?,?,?,?,0,'200',?)",
        [
            (
                s + 1,
                f"https://bench{s}.example/feed.xml",
                f"Bench Source {s:04d}",
                f"https://bench{s}.example/",
                corpus.BASE_TIME,
            )
            for s in range(sources)
        ],
    )
    media = json.dumps(
        [
            {
                "url": "https://img.example/1.jpg",
                "caption": "A caption.",
                "credit": "Photographer",
                "type": "image/jpeg",
            }
        ]
    )
    db.executemany(
        "INSERT INTO entries (source_id, key, title, link, author, published, sort_time, "
        "summary_html, content_html, summary_text, media, first_seen) "
        "VALUES (?,?,?,?,'Bench Reporter',?,?,?,?,?,?,?)",
        (
            (s + 1, link, title, link, t, t, summary, content, text, media, corpus.BASE_TIME)
            for s, _i, title, link, t, summary, content, text in _rows(sources, per_source, seed)
        ),
    )
    if articles:
        body = json.dumps(sample_article().to_json())
        newest = db.execute(
            "SELECT id FROM entries ORDER BY sort_time DESC, id DESC LIMIT ?", (articles,)
        ).fetchall()
        db.executemany(
            "INSERT INTO articles (entry_id, status, fetched, error, body) "
            "VALUES (?, 'ok', ?, NULL, ?)",
            [(i, corpus.BASE_TIME, body) for (i,) in newest],
        )
    db.execute("COMMIT")
    db.close()
    # as a refresh leaves it: entries in the search index (a refresh indexes what it stored)
    store = Store(path)
    store.index_pending()
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def sample_article():
    """A real extraction of one generated 40 KB page (what a prefetched article looks like)."""
    from tui.extract import extract_article

    page = corpus.page_document(1, "https://bench0.example", 0, 0)
    return extract_article(page, "https://bench0.example/a/0.html")


def fill_newsboat(home: Path, sources: int, per_source: int, seed: int = 1) -> list[str]:
    """newsboat's own cache.db (schema made by newsboat itself), urls and config in `home`."""
    home.mkdir(parents=True, exist_ok=True)
    urls = [f"https://bench{s}.example/feed.xml" for s in range(sources)]
    (home / "urls").write_text("".join(u + "\n" for u in urls))
    (home / "config").write_text("show-read-feeds yes\n")
    with tempfile.TemporaryDirectory() as empty:
        (Path(empty) / "urls").write_text("http://127.0.0.1:9/none.xml\n")
        subprocess.run(
            [
                "newsboat",
                "-x",
                "reload",
                "-u",
                str(Path(empty) / "urls"),
                "-c",
                str(home / "cache.db"),
                "-C",
                str(home / "config"),
            ],
            env={**os.environ, "HOME": str(home)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    db = sqlite3.connect(home / "cache.db", isolation_level=None)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO rss_feed (rssurl, url, title) VALUES (?,?,?)",
        [(u, f"https://bench{s}.example/", f"Bench Source {s:04d}") for s, u in enumerate(urls)],
    )
    db.executemany(
        "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread) "
        "VALUES (?,?,'Bench Reporter',?,?,?,?,1)",
        (
            (link, title, link, urls[s], t, content)
            for s, _i, title, link, t, _summary, content, _text in _rows(sources, per_source, seed)
        ),
    )
    db.execute("COMMIT")
    db.close()
    return urls

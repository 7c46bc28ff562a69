"""A real Tiny Tiny RSS for the tests: started once per session by scripts/ttrss-server.

tt-rss will not subscribe to feeds on loopback, so tests seed categories, feeds and entries
straight into its PostgreSQL tables and read the server-side state back the same way.

    def test_x(ttrss):              # function-scoped: an empty account, API access on
        cat = ttrss.add_category("News")
        feed = ttrss.add_feed("A feed", category=cat)
        ids = ttrss.add_entries(feed, 250, read={0, 1}, starred={5})
        ttrss.state(ids)            # {id: (unread, marked)}
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ttrss-server"
_seq = itertools.count()


def _indices(flag: bool | Iterable[int]) -> str:
    """A SQL boolean expression over the series index `i`."""
    if isinstance(flag, bool):
        return "true" if flag else "false"
    picked = ",".join(str(int(i)) for i in flag)
    return f"i = any(array[{picked}]::int[])" if picked else "false"


@dataclass
class Ttrss:
    dir: Path
    info: dict[str, object]

    @property
    def url(self) -> str:
        return str(self.info["url"])

    @property
    def user(self) -> str:
        return str(self.info["user"])

    @property
    def password(self) -> str:
        return str(self.info["password"])

    def sql(self, query: str) -> list[list[str]]:
        """Run SQL as the database owner; rows as lists of text fields."""
        env = dict(os.environ, PGPASSWORD=str(self.info["db_password"]))
        out = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t",
             "-h", "127.0.0.1", "-p", str(self.info["pg_port"]),
             "-U", str(self.info["db_user"]), "-d", str(self.info["db_name"])],
            input=query, capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def reset(self) -> None:
        """An empty account with API access on and no live sessions."""
        self.sql(
            "delete from ttrss_user_entries; delete from ttrss_entries;"
            "delete from ttrss_feeds; delete from ttrss_feed_categories;"
            "delete from ttrss_sessions;"
        )
        self.set_api_access(True)

    def set_api_access(self, enabled: bool) -> None:
        value = "true" if enabled else "false"
        self.sql(
            "delete from ttrss_user_prefs where pref_name = 'ENABLE_API_ACCESS';"
            "insert into ttrss_user_prefs (owner_uid, pref_name, profile, value) "
            f"select id, 'ENABLE_API_ACCESS', null, '{value}' from ttrss_users "
            "where login = 'admin';"
        )

    def expire_sessions(self) -> None:
        """What a server restart or session timeout does to every client's sid."""
        self.sql("delete from ttrss_sessions;")

    def add_category(self, title: str, parent: int | None = None) -> int:
        parent_sql = "null" if parent is None else str(int(parent))
        rows = self.sql(
            "insert into ttrss_feed_categories (owner_uid, title, parent_cat) "
            f"select id, {_quote(title)}, {parent_sql} from ttrss_users where login = 'admin' "
            "returning id;"
        )
        return int(rows[0][0])

    def add_feed(self, title: str, url: str | None = None, category: int | None = None) -> int:
        url = url or f"http://feeds.example.invalid/{next(_seq)}.xml"
        cat_sql = "null" if category is None else str(int(category))
        rows = self.sql(
            "insert into ttrss_feeds (owner_uid, title, feed_url, cat_id, site_url) "
            f"select id, {_quote(title)}, {_quote(url)}, {cat_sql}, 'http://example.invalid/' "
            "from ttrss_users where login = 'admin' returning id;"
        )
        return int(rows[0][0])

    def add_entries(
        self,
        feed: int,
        n: int,
        *,
        read: bool | Iterable[int] = False,
        starred: bool | Iterable[int] = False,
        title: str = "Entry",
    ) -> list[int]:
        """n entries in `feed`, newest first (entry i is i minutes old); ids in index order."""
        tag = f"{os.getpid()}x{next(_seq)}"
        rows = self.sql(
            f"""
            with ins as (
              insert into ttrss_entries (title, guid, link, updated, content, content_hash,
                                         date_entered, date_updated, author)
              select {_quote(title)} || ' ' || i, 'g-{tag}-' || i,
                     'http://example.invalid/{tag}/' || i,
                     now() - make_interval(mins => i), '<p>Body of entry ' || i || '</p>',
                     'h' || i, now() - make_interval(mins => i), now(), 'Author ' || i
              from generate_series(0, {int(n) - 1}) as i
              returning id, split_part(guid, '-', 3)::int as i
            ), ue as (
              insert into ttrss_user_entries (ref_id, uuid, feed_id, owner_uid, marked, unread,
                                              tag_cache, label_cache)
              select ins.id, '', {int(feed)}, u.id, {_indices(starred)}, not ({_indices(read)}),
                     '', ''
              from ins, ttrss_users u where u.login = 'admin'
              returning ref_id
            )
            select ins.id from ins join ue on ue.ref_id = ins.id order by ins.i;
            """
        )
        return [int(r[0]) for r in rows]

    def state(self, ids: Iterable[int | str]) -> dict[int, tuple[bool, bool]]:
        """Server-side (unread, marked) for each entry id."""
        wanted = ",".join(str(int(i)) for i in ids) or "0"
        rows = self.sql(
            f"select ref_id, unread, marked from ttrss_user_entries where ref_id in ({wanted});"
        )
        return {int(r[0]): (r[1] == "t", r[2] == "t") for r in rows}

    def count(self, where: str = "true") -> int:
        return int(self.sql(f"select count(*) from ttrss_user_entries where {where};")[0][0])


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _unavailable() -> str | None:
    """Why the server cannot run here, after installing it when we may (root)."""
    check = subprocess.run([str(SCRIPT), "check"], capture_output=True, text=True)
    if check.returncode == 0:
        return None
    if os.geteuid() != 0:
        return (
            f"tt-rss not installed ({check.stderr.strip()}); "
            "run `sudo scripts/ttrss-server install`"
        )
    install = subprocess.run([str(SCRIPT), "install"], capture_output=True, text=True)
    if install.returncode != 0:
        return f"cannot install tt-rss: {install.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="session")
def ttrss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ttrss]:
    reason = _unavailable()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("ttrss")
    started = subprocess.run([str(SCRIPT), "start", str(base)], capture_output=True, text=True)
    if started.returncode != 0:
        subprocess.run([str(SCRIPT), "stop", str(base)], capture_output=True)
        pytest.fail(f"tt-rss did not start: {started.stderr.strip()}")
    try:
        yield Ttrss(base, json.loads((base / "server.json").read_text()))
    finally:
        subprocess.run([str(SCRIPT), "stop", str(base)], capture_output=True)


@pytest.fixture
def ttrss(ttrss_server: Ttrss) -> Ttrss:
    ttrss_server.reset()
    return ttrss_server

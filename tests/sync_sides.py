"""One face for the sync servers the tests run: the real tt-rss and the GReader (FreshRSS) and
Miniflux contract servers.

A side seeds feeds and entries, reads and changes server-side state by the entry's remote id
(the id newsdesk keeps: tt-rss's integer as text, Google Reader's long form), and can be
"stopped": the contract server really shuts down (and comes back on a new port with the same
state); tt-rss, shared by the whole session, is pointed at a closed port instead.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from greader_server import GReaderServer
from miniflux_server import MinifluxServer
from ttrss import Ttrss

from tui.sync.greader import LONG_PREFIX


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


class Side:
    type = ""
    name = "home"

    @property
    def url(self) -> str:
        raise NotImplementedError

    user = ""
    password = ""

    def write_config(self, path: Path, extra: str = "") -> None:
        path.write_text(
            f'[accounts.{self.name}]\ntype = "{self.type}"\nurl = "{self.url}"\n'
            f'user = "{self.user}"\n' + extra,
            encoding="utf-8",
        )


class ContractSide(Side):
    """A contract server the test runs: stop() really shuts it down; start() brings it back on
    a new port with the same state."""

    server_class: Any = None
    srv: Any

    def __init__(self) -> None:
        self.srv = self.server_class().__enter__()
        self.stopped = False

    @property
    def url(self) -> str:
        return closed_port_url() if self.stopped else self.srv.url

    def stop(self) -> None:
        self.srv.__exit__()
        self.stopped = True

    def start(self) -> None:
        state = self.srv.state
        self.srv = self.server_class().__enter__()
        self.srv.state = state
        self.stopped = False

    def close(self) -> None:
        if not self.stopped:
            self.srv.__exit__()


class GReaderSide(ContractSide):
    type = "greader"
    server_class = GReaderServer

    def __init__(self) -> None:
        super().__init__()
        self.user, self.password = self.srv.state.user, self.srv.state.password

    def feed(self, title: str, folder: str | None = None, url: str | None = None) -> str:
        return self.srv.add_feed(title, folder, url)

    def entries(self, feed: str, n: int, read: Iterable[int] = (), starred: Iterable[int] = ()):
        ids = self.srv.add_items(feed, n, read=set(read), starred=set(starred))
        return [f"{LONG_PREFIX}{i:016x}" for i in ids]

    def _item(self, rid: str):
        return self.srv.state.items[int(rid[len(LONG_PREFIX) :], 16)]

    def state(self, rids: Iterable[str]) -> dict[str, tuple[bool, bool]]:
        """Server-side (read, starred) by remote id."""
        with self.srv.lock:
            return {r: (self._item(r).read, self._item(r).starred) for r in rids}

    def set(self, rid: str, *, read: bool | None = None, starred: bool | None = None) -> None:
        with self.srv.lock:
            item = self._item(rid)
            item.read = item.read if read is None else read
            item.starred = item.starred if starred is None else starred

    def drop(self, rid: str) -> None:
        with self.srv.lock:
            del self.srv.state.items[int(rid[len(LONG_PREFIX) :], 16)]

    def unread_by_feed(self) -> dict[str, int]:
        with self.srv.lock:
            found = dict.fromkeys(self.srv.state.feeds, 0)
            for item in self.srv.state.items.values():
                found[item.feed] += not item.read
        return found


class MinifluxSide(ContractSide):
    """Miniflux by API key: the account has no user, its password is the key."""

    type = "miniflux"
    server_class = MinifluxServer

    def __init__(self) -> None:
        super().__init__()
        self.user, self.password = "", self.srv.state.token

    def feed(self, title: str, folder: str | None = None, url: str | None = None) -> str:
        return str(self.srv.add_feed(title, folder, url))

    def entries(self, feed: str, n: int, read: Iterable[int] = (), starred: Iterable[int] = ()):
        ids = self.srv.add_entries(int(feed), n, read=set(read), starred=set(starred))
        return [str(i) for i in ids]

    def state(self, rids: Iterable[str]) -> dict[str, tuple[bool, bool]]:
        with self.srv.lock:
            found = self.srv.state.entries
            return {r: (found[int(r)].status == "read", found[int(r)].starred) for r in rids}

    def set(self, rid: str, *, read: bool | None = None, starred: bool | None = None) -> None:
        with self.srv.lock:
            e = self.srv.state.entries[int(rid)]
            e.status = e.status if read is None else ("read" if read else "unread")
            e.starred = e.starred if starred is None else starred

    def drop(self, rid: str) -> None:
        with self.srv.lock:
            del self.srv.state.entries[int(rid)]

    def unread_by_feed(self) -> dict[str, int]:
        with self.srv.lock:
            found = {str(f): 0 for f in self.srv.state.feeds}
            for e in self.srv.state.entries.values():
                found[str(e.feed_id)] += e.status == "unread"
        return found


class TtrssSide(Side):
    type = "ttrss"

    def __init__(self, server: Ttrss) -> None:
        self.t = server
        self.user, self.password = server.user, server.password
        self.stopped = False
        self._closed = closed_port_url()
        self._cats: dict[str, int] = {}

    @property
    def url(self) -> str:
        return self._closed if self.stopped else self.t.url

    def feed(self, title: str, folder: str | None = None, url: str | None = None) -> str:
        if folder and folder not in self._cats:
            self._cats[folder] = self.t.add_category(folder)
        cat = self._cats[folder] if folder else None
        return str(self.t.add_feed(title, url=url, category=cat))

    def entries(self, feed: str, n: int, read: Iterable[int] = (), starred: Iterable[int] = ()):
        ids = self.t.add_entries(int(feed), n, read=list(read), starred=list(starred))
        return [str(i) for i in ids]

    def state(self, rids: Iterable[str]) -> dict[str, tuple[bool, bool]]:
        return {str(k): (not unread, marked) for k, (unread, marked) in self.t.state(rids).items()}

    def set(self, rid: str, *, read: bool | None = None, starred: bool | None = None) -> None:
        sets = [f"unread = {'false' if read else 'true'}"] if read is not None else []
        sets += [f"marked = {'true' if starred else 'false'}"] if starred is not None else []
        self.t.sql(f"update ttrss_user_entries set {', '.join(sets)} where ref_id = {int(rid)};")

    def drop(self, rid: str) -> None:
        self.t.sql(f"delete from ttrss_user_entries where ref_id = {int(rid)};")

    def unread_by_feed(self) -> dict[str, int]:
        out = self.t.sql(
            "select f.id, count(u.ref_id) filter (where u.unread) from ttrss_feeds f "
            "left join ttrss_user_entries u on u.feed_id = f.id group by f.id;"
        )
        return {r[0]: int(r[1]) for r in out}

    def stop(self) -> None:
        self.stopped = True

    def start(self) -> None:
        self.stopped = False

    def close(self) -> None:
        pass

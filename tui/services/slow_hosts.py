"""Hosts that timed out recently get a shorter deadline: a server that drips one byte a second
should not hold a whole refresh run for the full deadline, run after run."""

from __future__ import annotations

import json
import time

from tui.store import Store

META_KEY = "slow_hosts"
REMEMBER = 86400.0  # a timeout is held against a host for a day
SHORT_DEADLINE = 10.0  # seconds per request to a host that timed out recently


class SlowHosts:
    def __init__(self, until: dict[str, float]) -> None:
        self.until = until
        self.changed = False

    @classmethod
    def load(cls, store: Store, now: float | None = None) -> SlowHosts:
        now = now or time.time()
        try:
            raw = json.loads(store.meta(META_KEY) or "{}")
        except ValueError:
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        return cls({h: float(t) for h, t in raw.items() if isinstance(t, (int, float)) and t > now})

    def deadline(self, host: str, default: float) -> float:
        return min(default, SHORT_DEADLINE) if host in self.until else default

    def timed_out(self, host: str, now: float | None = None) -> None:
        self.until[host] = (now or time.time()) + REMEMBER
        self.changed = True

    def answered(self, host: str) -> None:
        """A host that answered in time is forgiven."""
        if self.until.pop(host, None) is not None:
            self.changed = True

    def save(self, store: Store) -> None:
        if self.changed:
            store.set_meta(META_KEY, json.dumps(self.until))
            self.changed = False

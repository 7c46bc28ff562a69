"""How rules scale: N plain word rules on a 10,000-entry cache whose entries have long bodies
(800 words of content), timed as the reader lists "All unread": its count and its first page.

    python bench/rules_scale.py [N ...]      (default: 5 100 989 3000)

Median of three runs per N. Before issue 20, 989 rules failed with "Expression tree is too
large" (every list empty); a word rule set now costs what splitting each text into words costs.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.services.listing import rules_sql  # noqa: E402
from tui.services.rules import parse_rules  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.store.listing import Listing  # noqa: E402
from tui.store.views import View  # noqa: E402

ENTRIES = 10_000


def fill(store: Store) -> None:
    rng = random.Random(1)
    words = [f"w{i}" for i in range(5000)]
    with store.transaction() as db:
        db.execute("INSERT INTO sources (url, added) VALUES ('http://bench.invalid/', 0)")
        for i in range(ENTRIES):
            title = " ".join(rng.choice(words) for _ in range(12))
            body = "<p>" + " ".join(rng.choice(words) for _ in range(800)) + "</p>"
            db.execute(
                "INSERT INTO entries (source_id, key, title, sort_time, first_seen, summary_text, "
                "content_html) VALUES (1, ?, ?, ?, 0, ?, ?)",
                (str(i), title, i, title, body),
            )


def measure(store: Store, n: int) -> str:
    rules, errors = parse_rules([{"match": f"x{i}"} for i in range(n)])
    assert not errors, errors[:2]
    listing = Listing(View("unread"), hidden=rules_sql(rules))
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        count = store.count(listing)
        page = store.page(listing, 0, 50)
        runs.append(time.perf_counter() - started)
    shown = ", ".join(f"{r * 1000:.0f}" for r in runs)
    return (
        f"{n:>5} word rules: {count} listed, page of {len(page)}: "
        f"median {sorted(runs)[1] * 1000:.0f} ms (runs {shown})"
    )


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [5, 100, 989, 3000]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "newsdesk.db")
        fill(store)
        for n in sizes:
            print(measure(store, n))
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

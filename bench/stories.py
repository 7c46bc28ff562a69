"""How well "one story once" groups real headlines, and how fast.

    python bench/stories.py [--csv PATH] [--quiet-hours H] [--batch-minutes M] [--load]

Loads the UCI News Aggregator sample (../shared/corpus/stories/uci-news-dev.csv, or
$NEWSDESK_CORPUS/stories/...): publisher = source, TIMESTAMP = published. Feeds the grouper in
time order, in batches as refreshes would, and scores its groups against the aggregator's story
clusters: pairwise precision, share of same-story pairs grouped (pairwise recall), B-cubed
precision/recall. Also on two halves of the stories (split by a hash of the story id) to show
the figures are not a property of a few stories. `--load` times a window of 16,000 entries.

Note on the data: each aggregator story was crawled in one burst, so its TIMESTAMPs fall within
minutes, and two stories about one event are hours apart. `--quiet-hours 0` turns the
quiet-story rule off to show what the text alone does.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.services.stories import StoryEntry, StoryGrouper  # noqa: E402

CSV_NAME = Path("stories") / "uci-news-dev.csv"


def default_csv() -> Path | None:
    env = os.environ.get("NEWSDESK_CORPUS")
    roots = [Path(env)] if env else [p / "shared" / "corpus" for p in Path(__file__).parents]
    for root in roots:
        if (root / CSV_NAME).is_file():
            return root / CSV_NAME
    return None


def load(path: Path) -> tuple[list[StoryEntry], dict[int, str]]:
    """Entries and each entry's gold story."""
    sources: dict[str, int] = {}
    entries: list[StoryEntry] = []
    gold: dict[int, str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            entry_id = int(row["ID"])
            source = sources.setdefault(row["PUBLISHER"], len(sources) + 1)
            published = int(row["TIMESTAMP"]) / 1000.0
            entries.append(StoryEntry(entry_id, source, row["TITLE"], published))
            gold[entry_id] = row["STORY"]
    return entries, gold


def group_all(
    entries: Sequence[StoryEntry], quiet_hours: float, batch_seconds: float
) -> tuple[dict[int, int | None], float]:
    """Run the grouper over time-ordered batches; (story per entry, seconds per entry)."""
    grouper = StoryGrouper(quiet_hours=quiet_hours)
    ordered = sorted(entries, key=lambda e: (e.published, e.id))
    stories: dict[int, int | None] = {}
    start = time.perf_counter()
    i = 0
    while i < len(ordered):
        end = ordered[i].published + batch_seconds
        j = i
        while j < len(ordered) and ordered[j].published < end:
            j += 1
        stories.update(grouper.add(ordered[i:j]))
        i = j
    elapsed = time.perf_counter() - start
    return stories, elapsed / max(1, len(ordered))


def scores(stories: dict[int, int | None], gold: dict[int, str]) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall; an entry alone is its own cluster."""
    pred = {e: (s if s is not None else -e) for e, s in stories.items()}
    p_size = Counter(pred.values())
    g_size = Counter(gold[e] for e in pred)
    both = Counter((pred[e], gold[e]) for e in pred)

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    predicted, same, hits = pairs(p_size), pairs(g_size), pairs(both)  # type: ignore[arg-type]
    n = len(pred)
    return {
        "pair_precision": hits / predicted if predicted else 1.0,
        "pair_recall": hits / same if same else 1.0,
        "bcubed_precision": sum(both[(pred[e], gold[e])] / p_size[pred[e]] for e in pred) / n,
        "bcubed_recall": sum(both[(pred[e], gold[e])] / g_size[gold[e]] for e in pred) / n,
        "grouped_share": sum(1 for s in stories.values() if s is not None) / n,
    }


def report(
    name: str, entries: Sequence[StoryEntry], gold: dict[int, str], args: argparse.Namespace
) -> None:
    stories, per_entry = group_all(entries, args.quiet_hours, args.batch_minutes * 60)
    s = scores(stories, {e.id: gold[e.id] for e in entries})
    print(
        f"{name:<22} {len(entries):>5} entries {len({gold[e.id] for e in entries}):>3} stories  "
        f"pairwise P {s['pair_precision']:.3f} R {s['pair_recall']:.3f}  "
        f"B3 P {s['bcubed_precision']:.3f} R {s['bcubed_recall']:.3f}  "
        f"grouped {s['grouped_share']:.0%}  {per_entry * 1e3:.3f} ms/entry"
    )


def load_test(entries: Sequence[StoryEntry]) -> None:
    """A 16,000-entry window: five copies of the set, 7 h apart, new sources and ids each."""
    copies = []
    for k in range(5):
        copies += [
            StoryEntry(
                e.id + k * 100_000, e.source_id + k * 10_000, e.title, e.published + k * 7 * 3600
            )
            for e in entries
        ]
    grouper = StoryGrouper()
    ordered = sorted(copies, key=lambda e: (e.published, e.id))
    start = time.perf_counter()
    grouper.add(ordered[: len(ordered) // 2])
    mid = time.perf_counter()
    grouper.add(ordered[len(ordered) // 2 :])
    end = time.perf_counter()
    late = len(ordered) - len(ordered) // 2
    print(
        f"load: {len(ordered)} entries, window holds {len(grouper)}; "
        f"first half {(mid - start) / (len(ordered) // 2) * 1e3:.3f} ms/entry, "
        f"second half (full window) {(end - mid) / late * 1e3:.3f} ms/entry"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=None)
    parser.add_argument("--quiet-hours", type=float, default=6.0)
    parser.add_argument("--batch-minutes", type=float, default=30.0, help="refresh interval")
    parser.add_argument("--load", action="store_true", help="also time a 16,000-entry window")
    args = parser.parse_args(argv)
    path = args.csv or default_csv()
    if path is None or not path.is_file():
        print("stories corpus not found (set NEWSDESK_CORPUS); nothing to do")
        return 0
    entries, gold = load(path)
    report("all", entries, gold, args)
    for half in (0, 1):
        part = [e for e in entries if zlib.crc32(gold[e.id].encode()) % 2 == half]
        report(f"half {half} (story crc%2)", part, gold, args)
    if args.load:
        load_test(entries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

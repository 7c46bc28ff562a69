"""Time the lxml fast path against the feedparser fallback.

    python bench/parse_speed.py [--repeat N] [--corpus DIR]

Feeds: every corpus feed the fast path accepts (NEWSDESK_CORPUS or ../shared/corpus), plus a
generated 40-item RSS 2.0 feed with Media RSS, so the script works without the corpus.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.feeds import fast as fast_module  # noqa: E402
from tui.feeds import parse_fallback, parse_fast  # noqa: E402
from tui.feeds.jsonfeed import looks_like_json  # noqa: E402

ITEM = """<item><title>Item {i}: council votes on the harbour plan</title>
<link>https://news.example.com/{i}</link><guid isPermaLink="false">item-{i}</guid>
<pubDate>Tue, 03 Mar 2026 08:{m:02d}:00 +0000</pubDate><dc:creator>Reporter {i}</dc:creator>
<description>&lt;p&gt;Paragraph one of item {i} with &lt;a href="/x"&gt;a link&lt;/a&gt;.&lt;/p&gt;
&lt;p&gt;A second paragraph, a little longer, to look like a real summary.&lt;/p&gt;</description>
<media:content url="https://img.example.com/{i}.jpg" type="image/jpeg" medium="image">
<media:description>Caption for picture {i}.</media:description>
<media:credit>Photographer {i}</media:credit></media:content></item>"""


def generated_feed(items: int = 40) -> bytes:
    body = "".join(ITEM.format(i=i, m=i % 60) for i in range(items))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Generated</title><link>https://news.example.com/</link>{body}"
        "</channel></rss>"
    ).encode()


def corpus_feeds(root: Path) -> list[tuple[str, bytes]]:
    feeds = root / "feeds"
    if not feeds.is_dir():
        print(f"corpus not found at {feeds}: generated feed only")
        return []
    out = []
    for path in sorted(feeds.rglob("*")):
        if not path.is_file() or "expected" in path.parts or path.suffix in (".csv", ".txt"):
            continue
        data = path.read_bytes()
        if not looks_like_json(data, None) and parse_fast(data, "https://x.example/") is not None:
            out.append((str(path.relative_to(feeds)), data))
    return out


def best_of(fn, data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return min(times)


def extraction_only(data: bytes) -> None:
    """The fast path minus text cleaning (html_to_text, clean_line), which both paths share."""
    real = fast_module.build_entry
    fast_module.build_entry = lambda raw: raw
    try:
        parse_fast(data, "https://x.example/")
    finally:
        fast_module.build_entry = real


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = (
        os.environ.get("NEWSDESK_CORPUS")
        or Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    ap.add_argument("--corpus", type=Path, default=Path(default))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    url = "https://x.example/"
    runners = {
        "fast path": lambda d: parse_fast(d, url),
        "fallback (feedparser + mapping)": lambda d: parse_fallback(d, url),
        "fast path, no text cleaning": extraction_only,
        "feedparser.parse alone": lambda d: feedparser.parse(
            d, sanitize_html=False, resolve_relative_uris=False
        ),
    }
    sets = {"generated 40-item RSS + media": [("generated", generated_feed())]}
    corpus = corpus_feeds(args.corpus)
    if corpus:
        sets[f"corpus ({len(corpus)} feeds the fast path accepts)"] = corpus
    for label, feeds in sets.items():
        entries = sum(len(parse_fast(d, url).entries) for _, d in feeds)
        totals = {
            name: sum(best_of(fn, d, args.repeat) for _, d in feeds) for name, fn in runners.items()
        }
        print(f"\n{label}: {entries} entries")
        for name, total in totals.items():
            print(f"  {name:34} {total * 1000:9.1f} ms  {total / entries * 1e6:8.1f} µs/entry")
        fast = totals["fast path"]
        print(
            f"  ratio fallback / fast path:         {totals['fallback (feedparser + mapping)'] / fast:6.1f}×"
        )
        print(
            f"  ratio feedparser.parse / fast path: {totals['feedparser.parse alone'] / fast:6.1f}×"
        )
        bare = totals["fast path, no text cleaning"]
        print(
            f"  ratio feedparser.parse / fast path without text cleaning: "
            f"{totals['feedparser.parse alone'] / bare:6.1f}×"
        )


if __name__ == "__main__":
    main()

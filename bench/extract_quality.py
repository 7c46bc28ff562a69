"""Reader-view quality and speed of `tui.extract`, one row per corpus set, against plain trafilatura.

    python bench/extract_quality.py [--sets aeb,readability-dev,trafilatura-eval,fixtures]
                                    [--sample N] [--repeat N] [--verbose]

Sets (../shared/corpus or $NEWSDESK_CORPUS; skipped when absent), scored as bench/extract_sets.py
says: readability-dev (110 pages, body = Readability's reviewed output without figcaptions,
captions = its figcaptions of 20+ chars, first 8 words in order), aeb (181 pages, body gold
without captions; captions-gold.json: 150 captions and 146 credits of 177 article figures, found
when their words, leading labels aside, are in one figure block's caption + credit),
trafilatura-eval (15 pages, "with"/"without" snippets; caption snippets in figure blocks) and
our own fixture pages. `labels` counts figure captions that carry a label word ("Credit",
"Photo:", "Credit Credit", "1 of 4"); `nothing` counts pages with text where we gave no text
(`newsdesk read` would fail). Speed: median per-page time of `extract_article` over
`trafilatura.extract`, same pages, interleaved with the order alternating (trafilatura's caches
favour whoever runs second), best of `--repeat` runs per page, in CPU time of this process (both
are single-threaded and do no I/O; on a shared machine wall time also counts other jobs' turns).
Every set is split by publisher into a tune half and a held-out half (`extract_sets.half_of`: a
hash of the page's registered domain), and each half gets its own row; `--half` runs one. `--sample N` takes every Nth
page (quick looks while working; the table in the README is a full run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
FIXTURES = REPO / "tests" / "fixtures" / "pages"

from extract_sets import (  # noqa: E402
    SETS,
    Page,
    Tally,
    f1,
    figure_texts,
    label_problems,
    mean_f1,
    tokens,
)
from river_sets import RIVER_SETS  # noqa: E402


def corpus_dir() -> Path:
    env = os.environ.get("NEWSDESK_CORPUS")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    # the main checkout sits beside shared/; a worktree one level further down
    for up in (here.parents[2], here.parents[3]):
        if (up / "shared" / "corpus").is_dir():
            return up / "shared" / "corpus"
    return here.parents[2] / "shared" / "corpus"


def fixture_pages(_corpus: Path):
    expected = FIXTURES / "expected.json"
    if not expected.exists():
        return
    for name, exp in json.loads(expected.read_text("utf-8")).items():
        yield Page(name, (FIXTURES / name).read_text("utf-8"), exp.get("url"), exp, name)


def score_fixture(t: Tally, page: Page, article) -> None:
    figs = figure_texts(article)
    for fig in page.gold.get("figures", []):
        for key, counter in (("caption", t.captions), ("credit", t.credits)):
            if fig.get(key):
                counter[1] += 1
                counter[0] += any(_within(both, fig[key]) for both, _ in figs)
    t.labels += label_problems(article)


def _within(hay: list[str], text: str) -> bool:
    return " ".join(tokens(text)) in " ".join(hay)


ALL_SETS = {**SETS, **RIVER_SETS, "fixtures": (fixture_pages, score_fixture)}


def run_set(
    name: str, corpus: Path, sample: int, repeat: int, timed: bool, only: str | None = None
) -> dict[str, Half]:
    """Score (and time) every page of one set; one `Half` per side of the publisher split."""
    import trafilatura

    from tui.extract import extract_article

    loader, scorer = ALL_SETS[name]
    halves = {"tune": Half(), "held": Half()}
    for n, page in enumerate(loader(corpus)):
        if n % sample or (only and page.half != only):
            continue
        best = {"ours": float("inf"), "plain": float("inf")}
        for r in range(repeat if timed else 1):
            order = ("ours", "plain") if (n + r) % 2 == 0 else ("plain", "ours")
            for who in order if timed else ("ours",):
                t0 = time.process_time()
                if who == "ours":
                    article = extract_article(page.html, page.url, readable=True)
                else:
                    trafilatura.extract(page.html)
                best[who] = min(best[who], time.process_time() - t0)
        half = halves[page.half]
        half.ours.append(best["ours"])
        half.plain.append(best["plain"])
        half.publishers.add(page.publisher)
        scorer(half.tally, page, article)
    return halves


class Half:
    """One side of a set's publisher split: its counts and its pages' times."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.ours: list[float] = []
        self.plain: list[float] = []
        self.publishers: set[str] = set()

    def ratio(self) -> float | None:
        if not self.ours or self.plain[0] == float("inf"):
            return None
        return statistics.median(self.ours) / statistics.median(self.plain)


def _frac(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "-"


def row(name: str, side: str, half: Half) -> str:
    tally = half.tally
    f, p, r = f1(tally.pr)
    body = (
        f"{f:>9.3f}{p:>7.3f}{r:>7.3f}{mean_f1(tally.pr):>8.3f}"
        if tally.pr
        else f"{'-':>9}{'-':>7}{'-':>7}{'-':>8}"
    )
    s = tally.snippets
    snip = f"{s[0]}/{s[1]} {s[2]}/{s[3]}" if s[1] else "-"
    ratio = half.ratio()
    median = statistics.median(half.ours) if half.ours else 0.0
    others = "  ".join(f"{k} {_frac(v)}" for k, v in tally.counts.items())
    return (
        f"{name:<17}{side:<5}{len(half.ours):>6}{len(half.publishers):>5}{body}{len(tally.low):>6}"
        f"{len(tally.nothing):>8}{_frac(tally.captions):>10}{_frac(tally.credits):>9}"
        f"{len(tally.labels):>7}{snip:>15}{1000 * median:>7.1f}"
        f"{(f'{ratio:.2f}x' if ratio else '-'):>7}  {others}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--sample", type=int, default=1, help="every Nth page only")
    parser.add_argument("--repeat", type=int, default=2, help="time each page N times, best")
    parser.add_argument("--no-time", action="store_true", help="score only, no trafilatura run")
    parser.add_argument("--verbose", action="store_true", help="name the pages behind the counts")
    parser.add_argument("--half", choices=("tune", "held"), help="one side of the split only")
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if not (corpus / "articles").is_dir():
        print(f"corpus not found at {corpus} (set NEWSDESK_CORPUS); skipping")
        return 0
    import trafilatura

    trafilatura.extract("<html><body><p>warm up the imports</p></body></html>")
    head = f"{'set':<17}{'half':<5}{'pages':>6}{'pubs':>5}{'body F1':>9}{'P':>7}{'R':>7}"
    head += f"{'mean F1':>8}{'<0.5':>6}{'nothing':>8}{'captions':>10}{'credits':>9}{'labels':>7}"
    head += f"{'snippets w/wo':>15}{'ms':>7}{'time':>7}  set's own measures"
    print(head)
    for name in args.sets.split(","):
        timed = not args.no_time and name != "fixtures"
        halves = run_set(name, corpus, max(1, args.sample), max(1, args.repeat), timed, args.half)
        for side, half in halves.items():
            if not half.ours:
                continue
            print(row(name, side, half), flush=True)
            if args.verbose:
                _details(half.tally)
    return 0


def _details(tally: Tally) -> None:
    for label, names in (("<0.5", tally.low), ("nothing", tally.nothing)):
        if names:
            print(f"    {label}: {', '.join(names)}")
    for bad in tally.labels:
        print(f"    label: {bad!r}")
    if tally.leaked:
        print(f"    captions found in the body text instead of a figure: {tally.leaked}")
    for miss in tally.misses:
        print(f"    miss: {miss}")


if __name__ == "__main__":
    raise SystemExit(main())

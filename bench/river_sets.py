"""The teasers-dev and captions-dev sets (`../shared/corpus/articles/`) and how they are scored.

teasers-dev: real homepages, section fronts, tag and author pages, blog indexes and aggregators
with the main river's first teasers read from the HTML (`gold.json`), plus article pages that must
stay articles. Per page: `teasers` (a teasers block at all), `rivers` (at least 80% of the first 10
gold teasers found by their link), `links` (gold teasers found by link), `titles` (of those, the
title exactly as printed, the kicker apart), `deks` (gold deks given as the teaser's dek, word for
word), `photo` (gold credits and captions in the teaser's own fields). Negatives: `as teasers`
(an article page given any teasers block: the target is none) and `first` (its first sentence in
the body).

captions-dev: real articles, every figure's caption and credit read from the page. `captions` and
`credits` (as on the AEB set): a gold caption's or credit's words in one figure block's caption +
credit; `credits split`: a gold credit's words in a figure block's credit field (set apart from
the caption); `first/last`: the body's first and last sentence in the body text.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from extract_sets import Page, Tally, _contains, _unlabel, figure_texts, publisher_of, tokens

RIVER_FIRST = 10  # the first teasers of each river the 80% target is about
RIVER_SHARE = 0.8


def teaser_pages(corpus: Path) -> Iterator[Page]:
    base = corpus / "articles" / "teasers-dev"
    for kind in ("pages", "negatives"):
        for d in sorted(p for p in (base / kind).iterdir() if p.is_dir()):
            html = gzip.decompress((d / "source.html.gz").read_bytes()).decode("utf-8", "replace")
            gold = json.loads((d / "gold.json").read_text("utf-8"))
            yield Page(d.name, html, gold["url"], gold, publisher_of(gold["url"], d.name))


def link_key(url: str | None) -> str:
    """One address written two ways (http/https, a trailing slash, a fragment) is one link."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def _ours(article) -> list:
    return [
        t for b in (article.blocks if article else []) if b.type == "teasers" for t in b.teasers
    ]


def _same(a: str | None, b: str | None) -> bool:
    """Equal as printed: whitespace runs and invisible format characters (U+2060) aside."""
    return _visible(a) == _visible(b)


def _visible(text: str | None) -> str:
    kept = "".join(c for c in text or "" if unicodedata.category(c) != "Cf")
    return " ".join(kept.split())


def score_teasers(t: Tally, page: Page, article) -> None:
    gold = page.gold
    ours = _ours(article)
    if gold.get("kind") == "article":
        t.count("as teasers", bool(ours))
        if ours:
            t.misses.append(f"article read as teasers: {page.name}")
        body = tokens(article.body_text(figures=False)) if article else []
        t.count("first", _contains(body, tokens(gold.get("first"))), page.name)
        return
    by_link: dict[str, object] = {}
    for item in ours:
        by_link.setdefault(link_key(item.url), item)
    t.count("teasers", bool(ours), page.name)
    first = gold["teasers"][:RIVER_FIRST]
    hits = sum(link_key(g["url"]) in by_link for g in first)
    t.count("rivers", hits >= RIVER_SHARE * len(first), f"{page.name} {hits}/{len(first)}")
    for g in gold["teasers"]:
        item = by_link.get(link_key(g["url"]))
        t.count("links", item is not None)
        if item is None:
            continue
        title, dek = item.title, item.dek  # type: ignore[attr-defined]
        t.count("titles", _same(title, g["title"]), f"{page.name}: {title!r} / {g['title']!r}")
        if g.get("dek"):
            t.count("deks", tokens(dek) == tokens(g["dek"]), f"{page.name}: {dek!r} / {g['dek']!r}")
        for key in ("credit", "caption"):
            if g.get(key):
                t.count("photo", _contains(tokens(getattr(item, key)), tokens(g[key])))


def caption_pages(corpus: Path) -> Iterator[Page]:
    base = corpus / "articles" / "captions-dev" / "pages"
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        html = gzip.decompress((d / "source.html.gz").read_bytes()).decode("utf-8", "replace")
        gold = json.loads((d / "gold.json").read_text("utf-8"))
        yield Page(d.name, html, gold["url"], gold, publisher_of(gold["url"], d.name))


def score_captions(t: Tally, page: Page, article) -> None:
    gold = page.gold
    figs = figure_texts(article)
    for fig in gold["figures"]:
        cap, credit = _unlabel(tokens(fig.get("caption"))), _unlabel(tokens(fig.get("credit")))
        if cap:
            hit = any(_contains(both, cap) for both, _ in figs)
            t.captions[1] += 1
            t.captions[0] += hit
            if not hit:
                t.misses.append(f"caption {page.name}: {fig['caption'][:70]!r}")
        if credit:
            hit = any(_contains(both, credit) for both, _ in figs)
            t.credits[1] += 1
            t.credits[0] += hit
            split = any(_contains(only, credit) for _, only in figs)
            t.count("credits split", split, f"{page.name}: {fig['credit'][:70]!r}")
    body = tokens(article.body_text(figures=False)) if article else []
    for key in ("first", "last"):
        if gold.get(key):
            t.count("first/last", _contains(body, tokens(gold[key])), f"{key} {page.name}")


RIVER_SETS = {
    "teasers-dev": (teaser_pages, score_teasers),
    "captions-dev": (caption_pages, score_captions),
}

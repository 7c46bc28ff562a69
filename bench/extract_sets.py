"""The corpus sets `extract_quality.py` scores, and how each is scored.

Each loader yields `Page`s (html, url, gold); each scorer turns our `Article` for a page into
counts that the main script sums into one row per set. Shared metric: the article-extraction
benchmark's (tokens \\w+, 4-gram shingles, precision and recall averaged per document).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

_TOKEN = re.compile(r"\w+")
# Label words a caption must not carry: the credit is set apart, its label dropped.
_LABEL_IN_CAPTION = re.compile(
    r"^(?:credit|photo|image|picture|foto)s?\b\s*(?:[:.…]|credit|caption|copyright)"
    r"|\bcredit\W+credit\b|\bimage (?:caption|copyright)\b|^\d+\s+(?:of|/)\s+\d+\b",
    re.IGNORECASE,
)
_LEAD_LABEL = {"credit", "credits", "photo", "photos", "image", "images", "picture", "caption"}
READABILITY_URL = "http://fakehost/test/page.html"  # the address Readability's tests use


@dataclass
class Page:
    name: str
    html: str
    url: str | None
    gold: Any
    publisher: str = ""  # who published the page: the unit of the tune / held-out split

    @property
    def half(self) -> str:
        return half_of(self.publisher or self.name)


# Second-level labels under which a country registry hands out names ("bbc.co.uk").
_SECOND_LEVEL = frozenset("co com org net gov ac edu ne or go".split())
_WAYBACK = re.compile(r"^/web/[^/]+/(.*)$")


def publisher_of(url: str | None, fallback: str) -> str:
    """The registered domain of the page's address (a Wayback capture: of the captured page);
    `fallback` (a page name, less a trailing number) when the address names no real host."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    m = _WAYBACK.match(parts.path) if host == "web.archive.org" else None
    if m:
        inner = unquote(m.group(1))
        host = (urlsplit(inner if "://" in inner else f"http://{inner}").hostname or "").lower()
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2 or host == "fakehost":
        return re.sub(r"[-_]?\d+$", "", fallback)
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def half_of(publisher: str) -> str:
    """Tune half or held-out half, fixed by a hash of the publisher: every page of one publisher
    falls on one side, in every set, on every run."""
    return "tune" if hashlib.sha1(publisher.encode()).digest()[0] % 2 == 0 else "held"


@dataclass
class Tally:
    """What one set's row adds up."""

    pr: list[tuple[float, float]] = field(default_factory=list)  # body (precision, recall)
    low: list[str] = field(default_factory=list)  # pages with body F1 < 0.5
    nothing: list[str] = field(default_factory=list)  # None though the page has text
    captions: list[int] = field(default_factory=lambda: [0, 0])  # found, expected
    credits: list[int] = field(default_factory=lambda: [0, 0])
    leaked: int = 0  # gold captions found in the body text instead of a figure
    labels: list[str] = field(default_factory=list)  # label words inside figure captions
    snippets: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # with tp/n, without fp/n
    # the teaser and captions-dev sets' own measures: name -> [hits, out of]
    counts: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # what --verbose names

    def count(self, name: str, hit: bool, what: str = "") -> None:
        pair = self.counts.setdefault(name, [0, 0])
        pair[0] += int(hit)
        pair[1] += 1
        if not hit and what:
            self.misses.append(f"{name}: {what}")


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def shingles(text: str) -> set[tuple[str, ...]]:
    toks = _TOKEN.findall(text or "")
    return {tuple(toks[i : i + 4]) for i in range(max(1, len(toks) - 3))}


def precision_recall(pred: str, gold: str) -> tuple[float, float]:
    p, g = shingles(pred), shingles(gold)
    tp, fp, fn = len(p & g), len(p - g), len(g - p)
    precision = tp / (tp + fp) if tp + fp else (1.0 if not g else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def f1(pr: list[tuple[float, float]]) -> tuple[float, float, float]:
    if not pr:
        return 0.0, 0.0, 0.0
    p = statistics.fmean(x for x, _ in pr)
    r = statistics.fmean(y for _, y in pr)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def mean_f1(pr: list[tuple[float, float]]) -> float:
    """The mean of per-page F1 (the readability-dev target), beside `f1` of the means."""
    scores = [2 * p * r / (p + r) if p + r else 0.0 for p, r in pr]
    return statistics.fmean(scores) if scores else 0.0


def _contains(hay: list[str], needle: list[str]) -> bool:
    if not needle:
        return True
    n = len(needle)
    first = needle[0]
    return any(hay[i] == first and hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def _unlabel(toks: list[str]) -> list[str]:
    """Leading label words ("Credit...", "Image Credit:") may be dropped by a reader."""
    while toks and toks[0] in _LEAD_LABEL:
        toks = toks[1:]
    return toks


def figure_texts(article) -> list[tuple[list[str], list[str]]]:
    """(caption+credit tokens, credit tokens) of each figure block (teaser items count too)."""
    out = []
    for b in article.blocks if article else []:
        if b.type == "figure":
            out.append((tokens(f"{b.caption or ''} {b.credit or ''}"), tokens(b.credit)))
        for item in b.teasers:
            out.append((tokens(f"{item.caption or ''} {item.credit or ''}"), tokens(item.credit)))
    return out


def label_problems(article) -> list[str]:
    bad = []
    for b in article.blocks if article else []:
        if b.type == "figure" and b.caption and _LABEL_IN_CAPTION.search(b.caption):
            bad.append(b.caption[:60])
        if b.type == "figure" and b.credit and re.search(r"credit\W+credit", b.credit, re.I):
            bad.append(b.credit[:60])
    return bad


def page_has_text(html: str) -> bool:
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except Exception:  # noqa: BLE001
        return False
    for el in root.xpath("//script|//style|//noscript|//template"):
        el.drop_tree()
    return len(root.text_content().split()) >= 10


# ---- the sets ---------------------------------------------------------------------------


def aeb_pages(corpus: Path) -> Iterator[Page]:
    base = corpus / "articles" / "scrapinghub-aeb"
    gold = json.loads((base / "ground-truth.json").read_text("utf-8"))
    figs = json.loads((base / "captions-gold.json").read_text("utf-8"))
    for path in sorted((base / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        item = gold[name]
        url = item.get("url")
        truth = (item["articleBody"], figs.get(name, []))
        yield Page(name, html, url, truth, publisher_of(url, name))


def score_aeb(t: Tally, page: Page, article) -> None:
    body_gold, figures = page.gold
    body = article.body_text(figures=False) if article else ""
    _body(t, page, body, body_gold)
    figs = figure_texts(article)
    body_toks = tokens(body)
    for fig in figures:
        cap, credit = _unlabel(tokens(fig["caption"])), _unlabel(tokens(fig["credit"]))
        if cap:
            t.captions[1] += 1
            hit = any(_contains(both, cap) for both, _ in figs)
            t.captions[0] += hit
            t.leaked += (not hit) and len(cap) >= 4 and _contains(body_toks, cap)
        if credit:
            t.credits[1] += 1
            t.credits[0] += any(_contains(both, credit) for both, _ in figs)
    t.labels += label_problems(article)


def readability_pages(corpus: Path) -> Iterator[Page]:
    base = corpus / "articles" / "readability-dev" / "pages"
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        html = gzip.decompress((d / "source.html.gz").read_bytes()).decode("utf-8", "replace")
        expected = gzip.decompress((d / "expected.html.gz").read_bytes()).decode("utf-8")
        meta = json.loads((d / "expected-metadata.json").read_text("utf-8"))
        url = meta.get("url") or READABILITY_URL
        yield Page(d.name, html, url, _readability_gold(expected), publisher_of(url, d.name))


def _readability_gold(expected: str) -> tuple[str, list[str]]:
    """(body text without figcaptions, figcaption texts of 20+ characters)."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(expected or "<div></div>")
    captions = []
    for cap in root.xpath("//figcaption"):
        text = " ".join(cap.text_content().split())
        if len(text) >= 20:
            captions.append(text)
        cap.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return root.text_content(), captions


_BLOCK_TAGS = frozenset("p div li h1 h2 h3 h4 h5 h6 td th tr pre blockquote br dd dt".split())


def score_readability(t: Tally, page: Page, article) -> None:
    body_gold, captions = page.gold
    _body(t, page, article.body_text(figures=False) if article else "", body_gold)
    everything = tokens(article.body_text(figures=True)) if article else []
    for cap in captions:
        first = tokens(cap)[:8]
        t.captions[1] += 1
        t.captions[0] += _contains(everything, first) or _contains(everything, _unlabel(first))
    t.labels += label_problems(article)


def traf_pages(corpus: Path) -> Iterator[Page]:
    base = corpus / "articles" / "trafilatura-eval"
    for url, item in json.loads((base / "evaldata-subset.json").read_text("utf-8")).items():
        html = (base / "html" / item["file"]).read_text("utf-8", "replace")
        snippets = caption_snippets(html, item.get("with", []) + item.get("without", []))
        yield Page(item["file"], html, url, (item, snippets), publisher_of(url, item["file"]))


def caption_snippets(html: str, snippets: list[str]) -> list[str]:
    """The gold snippets that sit inside a figcaption or caption/credit-classed element."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    xp = "//figcaption | //*[contains(@class,'caption') or contains(@class,'credit')]"
    texts = [_norm(" ".join(el.itertext())) for el in root.xpath(xp)]
    return [s for s in snippets if any(_norm(s) in t for t in texts)]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def score_traf(t: Tally, page: Page, article) -> None:
    """Snippets: "with" found (recall), "without" found (boilerplate kept; captions apart, since
    this gold calls credits boilerplate), caption snippets found in figure blocks."""
    item, caps = page.gold
    body = _norm(article.body_text(figures=False)) if article else ""
    figs = " ".join(" ".join(both) for both, _ in figure_texts(article))
    for s in item.get("with", []):
        if s not in caps:
            t.snippets[0] += _norm(s) in body
            t.snippets[1] += 1
    for s in item.get("without", []):
        if s not in caps:
            t.snippets[2] += _norm(s) in body
            t.snippets[3] += 1
    for s in caps:
        t.captions[1] += 1
        t.captions[0] += " ".join(tokens(s)) in figs
    if article is None and page_has_text(page.html):
        t.nothing.append(page.name)
    t.labels += label_problems(article)


def _body(t: Tally, page: Page, body: str, gold: str) -> None:
    pr = precision_recall(body, gold)
    t.pr.append(pr)
    p, r = pr
    if (2 * p * r / (p + r) if p + r else 0.0) < 0.5:
        t.low.append(page.name)
    if not body and page_has_text(page.html):
        t.nothing.append(page.name)


SETS = {
    "readability-dev": (readability_pages, score_readability),
    "aeb": (aeb_pages, score_aeb),
    "trafilatura-eval": (traf_pages, score_traf),
}

"""Deterministic, realistic-looking feeds and article pages for the benchmark.

Everything is a pure function of (seed, feed number, item number), so the loopback server can
build any document on demand and two runs see byte-identical data. No I/O here.
"""

from __future__ import annotations

import random
from email.utils import formatdate
from xml.sax.saxutils import escape, quoteattr

BASE_TIME = 1_790_000_000  # a fixed "now" (Sep 2026) so dates never drift between runs

_SUBJECTS = [
    "Council",
    "Ministers",
    "The central bank",
    "Harbour workers",
    "Scientists",
    "The league",
    "Regulators",
    "Voters",
    "Engineers",
    "Farmers",
    "The court",
    "Health officials",
    "Rail operators",
    "Teachers",
    "Investors",
    "Firefighters",
]
_VERBS = [
    "approve",
    "reject",
    "delay",
    "question",
    "unveil",
    "expand",
    "review",
    "cut",
    "defend",
    "test",
    "back",
    "pause",
    "announce",
    "weigh",
    "revise",
    "fund",
]
_OBJECTS = [
    "harbour plan",
    "rate rise",
    "new bridge",
    "water tariff",
    "flood defences",
    "school reform",
    "budget deal",
    "wind farm",
    "transit strike",
    "housing bill",
    "drought measures",
    "vaccine rollout",
    "port expansion",
    "data rules",
    "cycling network",
    "coastal survey",
]
_PLACES = [
    "in Lisbon",
    "after a late vote",
    "amid protests",
    "for the third time",
    "as costs soar",
    "before the winter",
    "in a surprise move",
    "despite warnings",
    "after talks collapse",
    "as prices fall",
]
_WORDS = (
    "the of and a to in is that for it as was with on be by at this had not are but "
    "from or have an they which one you were her all she there would their we him been "
    "has when who will more no if out so said what up its about into than them can only "
    "other new some could time these two may then do first any my now such like our over "
    "man me even most made after also did many before must through back years where much "
    "your way well down should because each just those people how too little state good "
    "very make world still own see men work long get here between both life being under "
    "never day same another know while last might us great old year off come since against "
    "go came right used take three council harbour minister budget vote report city "
    "officials residents plan week spokesperson statement reporters district"
).split()
_NAMES = [
    "Ana Sousa",
    "Tom Baker",
    "Mei Lin",
    "Omar Haddad",
    "Lena Vogel",
    "Raj Patel",
    "Ines Moreau",
    "Kofi Mensah",
    "Sara Lind",
    "Diego Ruiz",
    "Hana Sato",
    "Piotr Nowak",
]
_AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "EPA", "staff photographer"]


def rng_for(seed: int, *parts: int) -> random.Random:
    return random.Random(hash((seed, *parts)) & 0xFFFFFFFF)


def headline(seed: int, feed: int, item: int) -> str:
    r = rng_for(seed, feed, item, 1)
    return (
        f"{r.choice(_SUBJECTS)} {r.choice(_VERBS)} {r.choice(_OBJECTS)} "
        f"{r.choice(_PLACES)} ({feed}-{item})"
    )


def sentence(r: random.Random, lo: int = 8, hi: int = 24) -> str:
    words = [r.choice(_WORDS) for _ in range(r.randint(lo, hi))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(r: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(r) for _ in range(sentences))


def item_count(seed: int, feed: int) -> int:
    return rng_for(seed, feed, 0, 2).randint(30, 50)


def feed_kind(feed: int) -> str:
    return "atom" if feed % 3 == 2 else "rss"  # one feed in three is Atom


def item_time(feed: int, item: int) -> int:
    return BASE_TIME - feed * 37 - item * 3600


def page_path(feed: int, item: int) -> str:
    return f"/articles/{feed}/{item}.html"


def feed_path(feed: int) -> str:
    return f"/feeds/{feed}.xml"


def _caption(r: random.Random) -> tuple[str, str]:
    return sentence(r, 6, 14), f"{r.choice(_NAMES)}/{r.choice(_AGENCIES)}"


def _rss_item(seed: int, base: str, feed: int, item: int) -> str:
    r = rng_for(seed, feed, item, 3)
    link = base + page_path(feed, item)
    caption, credit = _caption(r)
    summary = paragraph(r, 2)
    content = "".join(f"<p>{paragraph(r, 3)}</p>" for _ in range(3))
    return (
        f"<item><title>{escape(headline(seed, feed, item))}</title>"
        f'<link>{link}</link><guid isPermaLink="true">{link}</guid>'
        f"<pubDate>{formatdate(item_time(feed, item), usegmt=True)}</pubDate>"
        f"<dc:creator>{r.choice(_NAMES)}</dc:creator>"
        f"<category>{r.choice(_OBJECTS)}</category>"
        f"<description>{escape(summary)}</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        f'<media:content url="{base}/img/{feed}/{item}.jpg" medium="image" '
        f'type="image/jpeg" width="1200" height="800">'
        f"<media:description>{escape(caption)}</media:description>"
        f'<media:credit role="photographer">{escape(credit)}</media:credit>'
        f"</media:content></item>\n"
    )


def _atom_entry(seed: int, base: str, feed: int, item: int) -> str:
    r = rng_for(seed, feed, item, 3)
    link = base + page_path(feed, item)
    caption, credit = _caption(r)
    stamp = formatdate(item_time(feed, item), usegmt=True)
    iso = _iso(item_time(feed, item))
    content = "".join(f"<p>{paragraph(r, 3)}</p>" for _ in range(3))
    return (
        f"<entry><title>{escape(headline(seed, feed, item))}</title>"
        f'<link rel="alternate" type="text/html" href="{link}"/>'
        f"<id>tag:bench.example,2026:{feed}-{item}</id>"
        f"<published>{iso}</published><updated>{iso}</updated>"
        f"<author><name>{r.choice(_NAMES)}</name></author>"
        f"<summary>{escape(paragraph(r, 2))}</summary>"
        f'<content type="html">{escape(content)}</content>'
        f'<media:content url="{base}/img/{feed}/{item}.jpg" medium="image">'
        f"<media:description>{escape(caption)}</media:description>"
        f"<media:credit>{escape(credit)}</media:credit></media:content>"
        f"<!-- {stamp} --></entry>\n"
    )


def _iso(ts: int) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def feed_document(seed: int, base: str, feed: int) -> bytes:
    """An RSS 2.0 or Atom feed of 30-50 items with captions, credits and full content."""
    n = item_count(seed, feed)
    title = f"Bench Daily {feed}"
    if feed_kind(feed) == "atom":
        body = "".join(_atom_entry(seed, base, feed, i) for i in range(n))
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">'
            f'<title>{title}</title><link rel="alternate" href="{base}/"/>'
            f'<link rel="self" href="{base}{feed_path(feed)}"/>'
            f"<id>tag:bench.example,2026:{feed}</id><updated>{_iso(item_time(feed, 0))}</updated>\n"
            f"{body}</feed>\n"
        )
    else:
        body = "".join(_rss_item(seed, base, feed, i) for i in range(n))
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{title}</title><link>{base}/</link>"
            f"<description>News from bench host {feed}</description><language>en</language>"
            f"<lastBuildDate>{formatdate(item_time(feed, 0), usegmt=True)}</lastBuildDate>\n"
            f"{body}</channel></rss>\n"
        )
    return doc.encode("utf-8")


_NAV = "".join(
    f'<li><a href="/section/{s}">{s.title()}</a></li>'
    for s in ("world", "business", "tech", "science", "sport", "culture", "opinion")
)


def page_document(seed: int, base: str, feed: int, item: int, size: int = 40_000) -> bytes:
    """A ~40 KB news article page: chrome, a lead figure, body text with figures, a footer."""
    r = rng_for(seed, feed, item, 4)
    title = headline(seed, feed, item)
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)} | Bench Daily</title>",
        f'<meta property="og:title" content={quoteattr(title)}>',
        f'<meta name="author" content="{r.choice(_NAMES)}">',
        f'<meta property="article:published_time" content="{_iso(item_time(feed, item))}">',
        '<link rel="stylesheet" href="/static/site.css">',
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "</script></head><body>",
        f'<header class="site-header"><a class="logo" href="{base}/">Bench Daily</a>'
        f"<nav><ul>{_NAV}</ul></nav></header>",
        '<div class="ad-slot" id="top-ad">Advertisement</div>',
        '<main><article class="story">',
        f'<h1 class="headline">{escape(title)}</h1>',
        f'<p class="byline">By <a href="/authors/x">{r.choice(_NAMES)}</a> · '
        f"<time>{formatdate(item_time(feed, item), usegmt=True)}</time></p>",
    ]
    parts.append(_figure(r, base, feed, item, 0))
    n = 0
    related = _related(r)
    while sum(len(p) for p in parts) + len(related) < size - 600:
        n += 1
        if n % 6 == 0:
            parts.append(f"<h2>{escape(sentence(r, 3, 7)[:-1])}</h2>")
        if n % 9 == 0:
            parts.append(_figure(r, base, feed, item, n))
        if n % 13 == 0:
            parts.append(f"<blockquote><p>“{escape(sentence(r, 10, 20))}”</p></blockquote>")
        parts.append(f"<p>{escape(paragraph(r, r.randint(3, 6)))}</p>")
    parts.append("</article>")
    parts.append(related)
    parts.append(
        '</main><footer class="site-footer"><p>© 2026 Bench Daily. All rights '
        'reserved.</p><ul><li><a href="/privacy">Privacy</a></li><li><a '
        'href="/terms">Terms</a></li></ul></footer></body></html>'
    )
    return "\n".join(parts).encode("utf-8")


def _figure(r: random.Random, base: str, feed: int, item: int, n: int) -> str:
    caption, credit = _caption(r)
    return (
        f'<figure class="photo"><img src="{base}/img/{feed}/{item}-{n}.jpg" '
        f'alt={quoteattr(caption)} width="1200" height="800">'
        f'<figcaption>{escape(caption)} <span class="credit">Photo: {escape(credit)}</span>'
        f"</figcaption></figure>"
    )


def _related(r: random.Random) -> str:
    links = "".join(
        f'<li><a href="/articles/{r.randint(0, 999)}/{r.randint(0, 49)}.html">'
        f"{escape(sentence(r, 4, 8))}</a></li>"
        for _ in range(8)
    )
    return f'<aside class="related"><h2>More stories</h2><ul>{links}</ul></aside>'

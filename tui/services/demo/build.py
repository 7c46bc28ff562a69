"""Turn the bundled story files into feed XML and article pages, dated relative to now.

The stories are fixed text in TOML; only the dates move, so the demo always shows fresh
headlines ("1h ago") whenever it is opened. Everything is built in memory: nothing is written.
"""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from importlib.resources import files
from string import Template

DOMAIN = "https://demo.newsdesk.invalid"
STORY_FILES = (
    "stories_world.toml",
    "stories_business.toml",
    "stories_tech.toml",
    "stories_science.toml",
)


@dataclass
class Story:
    slug: str
    hours: float  # how long ago it was published
    title: str
    author: str
    summary: str
    image_caption: str
    image_credit: str
    body: str = ""
    page: bool = True  # False: the feed's summary is all there is


@dataclass
class DemoFeed:
    id: str
    title: str
    site: str
    folder: str
    format: str  # "rss" or "atom"
    path: str
    description: str
    newsletter: str
    lead_first: bool  # the page puts its lead figure above the standfirst (else below it)
    stories: list[Story] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{DOMAIN}/{self.path}/{'atom' if self.format == 'atom' else 'rss'}.xml"

    def link(self, story: Story) -> str:
        return f"{DOMAIN}/{self.path}/{story.slug}"


def _read(name: str) -> str:
    return files("tui.services.demo").joinpath(name).read_text(encoding="utf-8")


def load_feeds() -> list[DemoFeed]:
    """The demo feeds with their stories, in the order they are listed in feeds.toml."""
    feeds = [DemoFeed(**f) for f in tomllib.loads(_read("feeds.toml"))["feed"]]
    by_id = {f.id: f for f in feeds}
    for name in STORY_FILES:
        feed_id = name.removeprefix("stories_").removesuffix(".toml")
        by_id[feed_id].stories = [Story(**s) for s in tomllib.loads(_read(name))["story"]]
    return feeds


def image_url(story: Story, n: int = 1) -> str:
    return f"{DOMAIN}/img/{story.slug}{'' if n == 1 else f'-{n}'}.jpg"


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


# -- feeds -------------------------------------------------------------------------------------

_RSS_ITEM = """<item>
<title>{title}</title><link>{link}</link><guid isPermaLink="true">{link}</guid>
<dc:creator>{author}</dc:creator><pubDate>{date}</pubDate>
<description>{summary}</description>
<media:content url="{image}" type="image/jpeg" medium="image" width="1200" height="675">
<media:description>{caption}</media:description><media:credit>{credit}</media:credit>
</media:content>
</item>"""

_ATOM_ENTRY = """<entry>
<title type="text">{title}</title><link rel="alternate" type="text/html" href="{link}"/>
<id>{link}</id><author><name>{author}</name></author>
<published>{iso}</published><updated>{iso}</updated>
<summary type="html">{summary_html}</summary>
<media:content url="{image}" type="image/jpeg" medium="image">
<media:description>{caption}</media:description><media:credit>{credit}</media:credit>
</media:content>
</entry>"""


def _item_fields(feed: DemoFeed, story: Story, now: float) -> dict[str, str]:
    ts = now - story.hours * 3600
    return {
        "title": escape(story.title),
        "link": escape(feed.link(story)),
        "author": escape(story.author),
        "date": formatdate(ts, usegmt=True),
        "iso": _iso(ts),
        "summary": escape(story.summary),
        "summary_html": escape(f"<p>{escape(story.summary)}</p>"),
        "image": escape(image_url(story)),
        "caption": escape(story.image_caption),
        "credit": escape(story.image_credit),
    }


def feed_xml(feed: DemoFeed, now: float) -> bytes:
    """The feed document as a server would send it: RSS 2.0 or Atom, with Media RSS images."""
    if feed.format == "atom":
        entries = "\n".join(_ATOM_ENTRY.format(**_item_fields(feed, s, now)) for s in feed.stories)
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:media="http://search.yahoo.com/mrss/">\n'
            f"<title>{escape(feed.title)}</title><subtitle>{escape(feed.description)}</subtitle>\n"
            f'<link rel="alternate" href="{DOMAIN}/{feed.path}/"/>'
            f'<link rel="self" href="{feed.url}"/>\n'
            f"<id>{feed.url}</id><updated>{_iso(now)}</updated>\n{entries}\n</feed>\n"
        )
    else:
        items = "\n".join(_RSS_ITEM.format(**_item_fields(feed, s, now)) for s in feed.stories)
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:media="http://search.yahoo.com/mrss/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
            f"<title>{escape(feed.title)}</title><link>{DOMAIN}/{feed.path}/</link>\n"
            f"<description>{escape(feed.description)}</description><language>en-gb</language>"
            f"<ttl>15</ttl>\n{items}\n</channel>\n</rss>\n"
        )
    return doc.encode("utf-8")


# -- article pages -----------------------------------------------------------------------------


def _block_html(block: str, story: Story) -> str:
    if block.startswith("## "):
        return f"<h2>{escape(block[3:])}</h2>"
    if block.startswith("> "):
        return f'<blockquote class="pull-quote"><p>{escape(block[2:])}</p></blockquote>'
    if block.startswith("- "):
        items = "".join(f"<li>{escape(line[2:])}</li>" for line in block.splitlines())
        return f"<ul>{items}</ul>"
    if block.startswith("! "):
        caption, credit = (part.strip() for part in block[2:].split("|", 1))
        return (
            f'<figure class="body-figure"><img src="{image_url(story, 2)}" alt="" loading="lazy">'
            f"<figcaption>{escape(caption)} {escape(credit)}</figcaption></figure>"
        )
    return f"<p>{escape(block)}</p>"


def _extras(feed: DemoFeed, other: Story) -> tuple[str, str]:
    """The boilerplate that real pages carry inside the story: a "Read more" link and an appeal."""
    read_more = (
        f'<p class="inline-link"><strong>Read more:</strong> '
        f'<a href="{feed.link(other)}">{escape(other.title)}</a></p>'
    )
    appeal = (
        f'<aside class="newsletter-signup"><h3>Sign up to {escape(feed.newsletter)}</h3>'
        "<p>Get our newsletter in your inbox every morning: the day's essential stories, "
        "chosen by our editors. Sign up for our newsletter today.</p>"
        '<form><input type="email" placeholder="Your email address"><button>Sign up</button>'
        '</form><p class="small">We will never share your email address.</p></aside>'
    )
    return read_more, appeal


def _body_html(feed: DemoFeed, story: Story, others: list[Story]) -> str:
    blocks = [_block_html(b.strip(), story) for b in story.body.strip().split("\n\n") if b.strip()]
    read_more, appeal = _extras(feed, others[0])
    blocks.insert(2, read_more)
    blocks.insert(len(blocks) - 1, appeal)
    return "\n".join("    " + b for b in blocks)


def _related_html(feed: DemoFeed, others: list[Story]) -> str:
    return "\n".join(
        f'    <li class="teaser"><a href="{feed.link(s)}"><figure><img src="{image_url(s)}" '
        f'alt=""><figcaption>{escape(s.image_caption)}</figcaption></figure>'
        f"<h3>{escape(s.title)}</h3></a></li>"
        for s in others
    )


_LEAD_FIGURE = """    <figure class="lead-figure">
      <img src="$lead_src" alt="$caption" width="1200" height="675">
      <figcaption><span class="caption-text">$caption</span>
        <span class="credit">$credit</span></figcaption>
    </figure>
"""


def page_html(feed: DemoFeed, story: Story, now: float) -> str:
    """The story's article page: header figure, body, and the chrome extraction must drop."""
    i = feed.stories.index(story)
    others = [feed.stories[(i + k) % len(feed.stories)] for k in (1, 2, 3)]
    ts = now - story.hours * 3600
    values = {
        "title": story.title,
        "site": feed.site,
        "url": feed.link(story),
        "summary": story.summary,
        "author": story.author,
        "lead_src": image_url(story),
        "published": _iso(ts),
        "caption": story.image_caption,
        "credit": story.image_credit,
        "section": feed.folder,
        "date_text": time.strftime("%a %d %b %Y %H.%M UTC", time.gmtime(ts)),
        "section_slug": feed.folder.lower(),
        "author_slug": story.author.lower().replace(" ", "-"),
        "year": time.strftime("%Y", time.gmtime(now)),
    }
    escaped = {k: escape(v) for k, v in values.items()}
    lead = Template(_LEAD_FIGURE).substitute(escaped)
    return Template(_read("page.html")).substitute(
        escaped,
        body=_body_html(feed, story, others),
        related=_related_html(feed, others),
        figure_before=lead if feed.lead_first else "",
        figure_after="" if feed.lead_first else lead,
    )

"""Property tests: arbitrary bytes never crash parsing; arbitrary text never reaches output live.

parse → store → what the CLI prints (`entry_json`, `source_json`) and what the reader renders
(`tui.ui.render`, on the article `tui.services.reader` builds from the stored entry).
"""

from __future__ import annotations

import json
from pathlib import Path

from feedgen import atom, rss
from hostile.harness import assert_clean
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli.output import entry_json, source_json
from tui.feeds import FeedError, parse_feed
from tui.services.reader import feed_article
from tui.store import Store
from tui.store.rows import row as headline_row
from tui.store.views import View
from tui.ui import render

XML_HEAD = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
PROPS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# text that is hard on every layer: controls, markup, entities, bidi, combining marks
PIECES = list("ab [/]@=<>&;#x\n\r\t\\") + [
    "\x1b",
    "\x07",
    "\x08",
    "\x9b",
    "\x9d",
    "\x00",
    "\u202e",
    "\u200b",
    "\u0301",
    "\ufeff",
    "&#27;",
    "&#x9b;",
    "&amp;#27;",
    "[@click=app.quit]",
    "[link=file:///etc/passwd]",
    "<![CDATA[",
    "]]>",
    "<p>",
    "<script>",
    "\x1b]52;c;eA==\x07",
    "\x1b[2J",
]
nasty = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
texts = st.one_of(st.text(max_size=200), nasty)


@PROPS
@given(st.one_of(st.binary(max_size=2000), st.binary(max_size=500).map(lambda b: XML_HEAD + b)))
def test_arbitrary_bytes_only_ever_raise_feed_error(data):
    try:
        feed = parse_feed(data, "http://example.org/feed", None)
    except FeedError:
        return
    for e in feed.entries:
        assert isinstance(e.key, str) and e.key


@PROPS
@given(title=texts, summary=texts, caption=texts, author=texts, use_atom=st.booleans())
def test_arbitrary_text_never_reaches_output_live(
    tmp_path: Path, title, summary, caption, author, use_atom
):
    item = {
        "title": title,
        "summary": summary,
        "guid": "g",
        "link": "http://example.org/a",
        "image": "http://example.org/i.jpg",
        "caption": caption,
        "credit": author,
    }
    body = (atom if use_atom else rss)(title or "t", [item])
    try:
        feed = parse_feed(body.encode("utf-8", "surrogatepass"), "http://example.org/feed")
    except FeedError:
        return  # not a feed (e.g. controls made it unreadable): a specific error, no crash
    store = Store(tmp_path / "props.db")
    try:
        url = "http://example.org/feed"
        store.add_source(url)
        store.store_feed(url, feed)
        shown = [json.dumps(source_json(r), ensure_ascii=False) for r in store.sources()]
        for row in store.page(View("all"), 0, 10):
            shown.append(json.dumps(entry_json(row), ensure_ascii=False))
            entry = store.entry(row.id)
            article = feed_article(entry)
            shown.append(render.headline(headline_row(row), True).plain)
            shown.append(render.article_header(entry, article).plain)
            shown.append(render.article_body(article).plain)
        for text in shown:
            assert_clean(text, "output")
    finally:
        store.close()
        for p in tmp_path.glob("props.db*"):
            p.unlink()

"""`newsdesk read` and the reader's notices as a new user met them (issue 22, item 16): a text
file is "not an HTML page", notices never nest parentheses, dates read as dates, the site is
not said twice, and a section front takes no date from its first teaser."""

from __future__ import annotations

import json
from pathlib import Path

from feedgen import rss
from hostile.harness import cli

from tui.extract import extract_article
from tui.services.context import Context
from tui.services.reader import cached_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

ARTICLE = (
    """<html><head><title>Harbour ferry returns</title>
<meta property="article:published_time" content="2018-09-24T19:42:00+00:00">
<meta name="author" content="Jane Doe, Harbour Gazette">
<meta property="og:site_name" content="Harbour Gazette"></head>
<body><article><h1>Harbour ferry returns</h1>
"""
    + "".join(
        f"<p>Paragraph {i} of the story about the ferry that came back to the harbour after a long"
        " winter of repairs, with the whole town waiting on the quay.</p>"
        for i in range(8)
    )
    + "</article></body></html>"
)


def test_a_text_file_is_not_an_html_page(tmp_path, capsys):
    path = tmp_path / "passwd"
    path.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/false\n")
    code, out, err = cli(capsys, "read", str(path))
    assert code == 1 and out == ""
    assert "not an HTML page (got plain text)" in err, err


def test_read_shows_a_readable_date_and_the_site_once(tmp_path, capsys):
    path = tmp_path / "a.html"
    path.write_text(ARTICLE)
    code, out, err = cli(capsys, "read", str(path), "--url", "https://gazette.example/a")
    assert code == 0, err
    meta = out.splitlines()[2]
    assert "Mon 24 Sep 2018 19:42" in meta and "2018-09-24T" not in meta, meta
    assert meta.count("Harbour Gazette") == 1, meta


def test_a_section_front_takes_no_date_from_its_first_teaser():
    html = (PAGES / "teaser_river.html").read_text()
    dated = html.replace(
        '<h3><a href="/business/harwick-mill-reopens.html">',
        '<time datetime="2018-05-01T08:00:00Z">1 May</time>'
        '<h3><a href="/business/harwick-mill-reopens.html">',
        1,
    )
    article = extract_article(dated, "https://paper.test/business/")
    assert article is not None and [b.type for b in article.blocks] == ["teasers"]
    assert article.published is None


def test_a_notice_does_not_nest_parentheses(server, capsys):
    link = server.add("/photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    feed = server.add("/f.xml", rss("F", [{"title": "A photo", "guid": "p", "link": link}]))
    assert cli(capsys, "add", feed)[0] == 0
    assert cli(capsys, "refresh", "--json")[0] == 0
    code, out, _ = cli(capsys, "headlines", "--json")
    entry_id = json.loads(out)[0]["id"]
    view = cached_article(Context().store(), entry_id)
    assert view is not None and view.notice
    assert "no article body found" in view.notice, view.notice
    assert _depth(view.notice) <= 1, view.notice


def _depth(text: str) -> int:
    """How deep the parentheses nest."""
    deepest = level = 0
    for c in text:
        level += (c == "(") - (c == ")")
        deepest = max(deepest, level)
    return deepest

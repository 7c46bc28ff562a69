"""The table of hostile feed and transport cases shared by the tests and bench/hostile_report.py.

Each case: how to make the victim source hostile, what must be true of the result, and how long
the refresh may take. Every case is also checked by `harness.run_refresh_case` for the
guarantees all cases share (bounded time, nothing lost, other source refreshed, no controls).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hostile import feeds, transport
from hostile.harness import Outcome

PASSWD_MARKERS = ("root:x:", "root:*:", "/bin/sh", "/usr/sbin/nologin")


@dataclass
class Case:
    name: str
    route: Callable  # (server) -> Route keyword arguments
    check: Callable[[Outcome, object], None]
    config: str = ""
    limit: float = 10.0


def failed_with(*words: str) -> Callable[[Outcome, object], None]:
    def check(o: Outcome, server) -> None:
        assert o.error, "expected a specific error"
        assert any(w in o.error for w in words), o.error

    return check


def stored(*titles: str, exact: bool = False) -> Callable[[Outcome, object], None]:
    def check(o: Outcome, server) -> None:
        assert o.error is None, o.error
        for t in titles:
            assert any(t in shown for shown in o.titles), (t, o.titles)

    return check


def _markup(o: Outcome, server) -> None:
    assert o.error is None
    for t in feeds.MARKUP:
        assert t in o.titles  # kept literally, never interpreted
    assert o.sources[o.url]["title"] == "[@click=app.quit]Source[/]"


def _escapes(o: Outcome, server) -> None:
    assert o.error is None, o.error
    joined = " ".join(o.titles)
    for word in ("RED", "CLIP", "LINK", "HOME", "BELL", "C1CSI", "OVER"):
        assert word in joined, (word, o.titles)
    assert "evil.example" not in joined  # the OSC 8 target is not shown as text either


def _unicode(o: Outcome, server) -> None:
    assert o.error is None
    joined = " ".join(o.titles)
    assert "TXT.EXE" in joined and "ZEROWIDTH" in joined
    zalgo = next(t for t in o.titles if "ALGO" in t)
    assert len(zalgo) < 40, len(zalgo)


def _huge_title(o: Outcome, server) -> None:
    assert o.error is None
    assert max(len(t) for t in o.titles) <= 1000
    assert "After the big one" in o.titles


def _many(o: Outcome, server) -> None:
    assert o.error is None
    assert len(o.headlines) == 2000 + 4  # the newest 2,000 plus the 4 stored before
    assert "Item 0" in o.titles and "Item 1999" in o.titles and "Item 2000" not in o.titles
    assert "kept the newest 2000" in o.sources[o.url]["warning"]


def _dups(o: Outcome, server) -> None:
    assert o.error is None
    assert [t for t in o.titles if t.startswith("Dup")] == ["Dup 49"] or len(
        [t for t in o.titles if t.startswith("Dup")]
    ) == 1, o.titles
    assert "Unique" in o.titles and o.titles.count("Same link") == 1


def _missing(o: Outcome, server) -> None:
    assert o.error is None
    assert "Only a title" in o.titles
    assert len(o.headlines) >= 4 + 4  # several keyless items are still kept, by content hash


def _dates(o: Outcome, server) -> None:
    import time as _t

    assert o.error is None
    # all kept but "Date 5": year 1 reads as 2001, and retention prunes entries that old at once
    assert {t for t in o.titles if t.startswith("Date")} >= {
        f"Date {i}" for i in range(13) if i != 5
    }
    for h in o.headlines:
        assert h["published"] is None or "0000" not in h["published"][:4]
    # a far-future date does not pin its entry above today's news
    assert o.headlines[0]["title"] != "Date 0" or _t.time() > 253402300799


def _links(o: Outcome, server) -> None:
    assert o.error is None
    links = {h["title"]: h["link"] for h in o.headlines}
    dangerous = [f"Link {i}" for i in range(6)] + ["Guid as link"]
    assert all(links[t] is None for t in dangerous), links
    assert links["Link 6"] == "http://evil.example/protocol-relative"  # resolved, http: fine
    assert o.sources[o.url]["site"] is None


def _pastejacking(o: Outcome, server) -> None:
    assert o.error is None, o.error
    links = {h["title"]: h["link"] for h in o.headlines}
    for title in feeds.PASTEJACK_LINKS:
        assert links[title] is None, (title, links[title])  # never stored, so never copied
    assert links["Credentials"] == "http://ok.example/private"  # userinfo dropped


def _no_expansion(o: Outcome, server) -> None:
    shown = " ".join(o.titles) + (o.error or "") + (o.sources[o.url]["title"] or "")
    assert "lollollol" not in shown and "x" * 1000 not in shown


def _no_xxe(o: Outcome, server) -> None:
    shown = " ".join(o.titles) + (o.error or "") + str(o.sources[o.url])
    assert not any(m in shown for m in PASSWD_MARKERS), shown[:300]
    assert "/evil.dtd" not in server.paths_requested(), "fetched an external entity"


def _utf8(o: Outcome, server) -> None:
    assert o.error is None, o.error
    assert "Valid naïve ☃ 0" in o.titles  # one bad byte does not turn the rest into mojibake


def _truncated(o: Outcome, server) -> None:
    assert o.error is None and o.sources[o.url]["warning"], o.sources[o.url]
    assert "café ☃ 0" in o.titles


def _short_length(o: Outcome, server) -> None:
    assert o.error and "not a feed" in o.error, o.error  # the 120 bytes that were declared


CASES = [
    Case("markup in titles/summaries/captions", lambda s: feeds.markup(), _markup),
    Case("raw terminal escapes", lambda s: feeds.escapes_raw(), _escapes),
    Case("escapes as XML character refs", lambda s: feeds.escapes_ncr(), _escapes),
    Case("C1/bidi as allowed XML refs", lambda s: feeds.escapes_c1_ncr(), stored("BCDE")),
    Case(
        "escapes in CDATA and HTML entities",
        lambda s: feeds.escapes_cdata(),
        stored("CDATA", "entity"),
    ),
    Case("bidi, zero-width, combining flood", lambda s: feeds.unicode_tricks(), _unicode),
    Case("5 MB title", lambda s: feeds.huge_title(), _huge_title, "max_feed_bytes = 8000000\n"),
    Case("3 MB summary", lambda s: feeds.huge_summary(), stored("Big summary")),
    Case(
        "100,000 items",
        lambda s: feeds.many_items(),
        _many,
        "max_feed_bytes = 30000000\n",
        limit=20.0,
    ),
    Case("duplicate guids", lambda s: feeds.duplicate_guids(), _dups),
    Case("missing titles/links/guids/dates", lambda s: feeds.missing_fields(), _missing),
    Case("far-future and year-0 dates", lambda s: feeds.odd_dates(), _dates),
    Case("javascript:/file:/data: links", lambda s: feeds.bad_links(), _links),
    Case(
        "pastejacking links (whitespace, credentials)",
        lambda s: feeds.pastejacking_links(),
        _pastejacking,
    ),
    Case("billion laughs", lambda s: feeds.billion_laughs(), _no_expansion),
    Case("quadratic entity blowup", lambda s: feeds.quadratic_blowup(), _no_expansion),
    Case("external entities (XXE)", lambda s: feeds.external_entities(s.url("/evil.dtd")), _no_xxe),
    Case("external DTD", lambda s: feeds.external_dtd(s.url("/evil.dtd")), _no_xxe),
    Case("invalid UTF-8", lambda s: feeds.invalid_utf8(), _utf8),
    Case("truncated mid-character", lambda s: feeds.truncated_mid_char(), _truncated),
    Case("HTML page as feed", lambda s: feeds.html_as_feed(), failed_with("HTML page")),
    Case("XHTML page as feed", lambda s: feeds.xhtml_as_feed(), failed_with("not a feed")),
    # transport
    Case(
        "body that never ends", lambda s: {"handler": transport.endless}, failed_with("too large")
    ),
    Case(
        "gzip bomb (4 GB unpacked)",
        lambda s: {"handler": transport.gzip_bomb},
        failed_with("too large"),
    ),
    Case(
        "one byte a second",
        lambda s: {"handler": transport.byte_a_second},
        failed_with("timed out"),
    ),
    Case(
        "endless redirects",
        lambda s: {"handler": transport.endless_redirects},
        failed_with("too many redirects"),
    ),
    Case(
        "redirect to javascript:",
        lambda s: {"handler": transport.redirect_to("javascript:alert(1)")},
        failed_with("non-http URL scheme", "invalid URL"),
    ),
    Case(
        "redirect to data:",
        lambda s: {"handler": transport.redirect_to("data:application/rss+xml,<rss/>")},
        failed_with("non-http URL scheme", "invalid URL"),
    ),
    Case(
        "redirect to file:",
        lambda s: {"handler": transport.redirect_to("file:///etc/passwd")},
        failed_with("non-http URL scheme"),
    ),
    Case(
        "redirect Location with C1/OSC 52 controls",
        lambda s: {"handler": transport.redirect_to("/victim\x9d52;c;ZXZpbA==\x9c.xml")},
        failed_with("refused redirect to a URL with control"),
    ),
    Case(
        "redirect Location with a tab (urljoin would drop it)",
        lambda s: {"handler": transport.redirect_to("/vic\ttim.xml")},
        failed_with("refused redirect to a URL with control", "Invalid URL in location"),
    ),
    Case(
        "reset mid-body",
        lambda s: {"handler": transport.reset_mid_body},
        failed_with("connection", "server broke"),
    ),
    Case(
        "Content-Length too long",
        lambda s: {"handler": transport.length_too_long},
        failed_with("server broke", "connection", "incomplete"),
    ),
    Case(
        "Content-Length too short", lambda s: {"handler": transport.length_too_short}, _short_length
    ),
]

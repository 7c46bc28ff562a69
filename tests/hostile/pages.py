"""Hostile article pages for prefetch and `newsdesk read`, as loopback Route keyword arguments."""

from __future__ import annotations

HTML = "text/html; charset=utf-8"
FIFTY_MB = 50 * 1024 * 1024


def _stream(declare_length: bool):
    def handler(h) -> None:
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Type", HTML)
        if declare_length:
            h.send_header("Content-Length", str(FIFTY_MB))
        h.end_headers()
        chunk = b"<p>" + b"fifty megabytes of words " * 2600 + b"</p>\n"
        try:
            for _ in range(FIFTY_MB // len(chunk) + 1):
                h.wfile.write(chunk)
        except OSError:
            pass

    return handler


def huge_declared() -> dict:
    return {"handler": _stream(True)}


def huge_streamed() -> dict:
    return {"handler": _stream(False)}


def deep() -> dict:
    page = (
        "<html><body>"
        + "<div>" * 100_000
        + "<p>Deep text. " * 20
        + "</div>" * 100_000
        + "</body></html>"
    )
    return {"body": page, "content_type": HTML}


def slow() -> dict:
    """A hundred thousand paragraphs: extraction runs for a minute or more."""
    # under extract's own guards (5 MB, 150,000 elements), which would refuse it at once
    paras = "".join(f"<p>para {i} with some words in it to count.</p>" for i in range(100_000))
    return {"body": f"<html><body><article>{paras}</article></body></html>", "content_type": HTML}


def scripts() -> dict:
    page = (
        "<html><head><script>var a = 1;</script></head><body>"
        + "<script>document.write('<p>' + 'words '.repeat(100) + '</p>');</script>" * 500
        + "<noscript>Enable JavaScript.</noscript></body></html>"
    )
    return {"body": page, "content_type": HTML}


HOSTILE_TITLE = "[@click=app.quit]Page title[/] \x1b]52;c;ZXZpbA==\x07"


def hostile() -> dict:
    para = (
        "Real article text with [b]markup[/b] and \x1b[31mescapes\x1b[0m and \u202ebidi "
        "[link=file:///etc/passwd]link[/link] inside, long enough to count as a body. "
    ) * 4
    page = (
        f"<html><head><title>{HOSTILE_TITLE}</title>"
        '<meta property="og:image" content="javascript:alert(1)"></head><body><article>'
        "<h1>[@click=app.quit]Headline[/] \x07</h1>"
        + "".join(f"<p>{para} {i}</p>" for i in range(6))
        + '<figure><img src="file:///etc/passwd"><figcaption>[b]Caption\x1b[2J[/b]'
        "</figcaption></figure>"
        '<p><a href="javascript:alert(1)">click</a> and \x9b6n and &amp;#27;[31m literal</p>'
        "<ul><li>\x1b]8;;http://evil/\x1b\\item\x1b]8;;\x1b\\</li></ul>"
        "</article></body></html>"
    )
    return {"body": page, "content_type": HTML}


def control_entity() -> dict:
    """An ordinary article whose text holds one control character as an entity (&#27;)."""
    paras = "".join(
        f"<p>Paragraph {i} of an ordinary article. "
        + "Plain words here. " * 15
        + ("&#27;[31m red" if i == 3 else "")
        + "</p>"
        for i in range(6)
    )
    return {"body": f"<html><body><article>{paras}</article></body></html>", "content_type": HTML}


def normal() -> dict:
    paras = "".join(
        f"<p>Ordinary paragraph {i}. " + "Plain words here. " * 15 + "</p>" for i in range(6)
    )
    return {
        "body": f"<html><body><article><h1>Normal</h1>{paras}</article></body></html>",
        "content_type": HTML,
    }


PAGES = {  # path: (builder, words one of which the stored article error must contain)
    "/p/huge-declared": (huge_declared, ("too large",)),
    "/p/huge-streamed": (huge_streamed, ("too large",)),
    "/p/deep": (deep, ("no article body", "extraction")),
    "/p/slow": (slow, ("longer than",)),
    "/p/scripts": (scripts, ("no article body",)),
    "/p/hostile": (hostile, None),  # extracted: None means no error
    "/p/normal": (normal, None),
}

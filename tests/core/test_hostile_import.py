"""`import` takes only http(s) feed URLs, says what it skipped and why, refuses a file that holds
none, and says what it could not read of an OPML that is cut off or nested too deep."""

from __future__ import annotations

import json
import os
import random

import pytest
from hostile.harness import cli, record


def sources(capsys) -> list[dict]:
    code, out, _ = cli(capsys, "sources", "--json")
    assert code == 0
    return json.loads(out)


NOT_LISTS = {
    "passwd": b"root:x:0:0:root:/root:/bin/bash\n"
    b"daemon:x:1:1:daemon,,,:/usr/sbin:/usr/sbin/nologin\n"
    b"www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n",
    "hostname": b"myhost\n",
    "random bytes": random.Random(7).randbytes(2048),
    "random bytes with a NUL url": b"http://a.example/\x00x\n"
    + os.urandom(512).replace(b"\n", b""),
    "an HTML page": b"<html><body><a href='http://a.example/'>x</a></body></html>",
}


@pytest.mark.parametrize("name", NOT_LISTS)
def test_a_file_with_no_feed_url_is_refused_and_changes_nothing(tmp_path, capsys, name):
    path = tmp_path / "file"
    path.write_bytes(NOT_LISTS[name])
    code, out, err = cli(capsys, "import", str(path))
    record(f"import {name}", code=code)
    assert code == 1, (out, err)
    assert "not an OPML or urls file" in err, err
    assert sources(capsys) == []


def test_a_mixed_file_imports_the_valid_lines_and_says_what_it_skipped(tmp_path, capsys):
    path = tmp_path / "urls"
    path.write_bytes(
        b"# my feeds\n"
        b'http://a.example/feed.xml tech "~A feed"\n'
        b"https://b.example/rss\n"
        b"not-a-url at all\n"
        b"ftp://c.example/feed\n"
        b"http://d.example/x\x00y\n"
        b'"http://e.example/a b"\n'
        b'query:unread:unread = "yes"\n'
    )
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0, err
    assert "imported 2 sources" in out
    assert "skipped 5 lines" in err, err
    assert "2 not an http(s) URL" in err and "2 control or space characters" in err, err
    assert "1 newsboat query feed" in err
    urls = sorted(s["url"] for s in sources(capsys))
    assert urls == ["http://a.example/feed.xml", "https://b.example/rss"]


def _opml(body: str) -> str:
    return f'<?xml version="1.0"?>\n<opml version="2.0"><head/><body>\n{body}'


def test_a_cut_off_opml_imports_what_came_before_and_says_so(tmp_path, capsys):
    outlines = "".join(
        f'<outline text="F{i}" xmlUrl="http://f{i}.example/feed"/>\n' for i in range(5)
    )
    path = tmp_path / "cut.opml"
    path.write_text(_opml(outlines + '<outline text="F5" xmlU'))
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0, err
    assert "imported 5 sources" in out
    assert "warning:" in err and "cut off or malformed at line 8" in err, err
    assert "not imported" in err
    assert len(sources(capsys)) == 5


def test_opml_nested_past_the_limit_imports_the_rest_and_says_so(tmp_path, capsys):
    deep = '<outline text="d">' * 300 + '<outline xmlUrl="http://deep.example/"/>'
    deep += "</outline>" * 300
    body = '<outline text="top" xmlUrl="http://top.example/"/>' + deep + "</body></opml>"
    path = tmp_path / "deep.opml"
    path.write_text(_opml(body))
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0, err
    assert "imported 1 source," in out
    assert "warning:" in err and ("depth" in err or "nested" in err), err
    assert [s["url"] for s in sources(capsys)] == ["http://top.example/"]


def test_opml_with_bad_urls_counts_them(tmp_path, capsys):
    path = tmp_path / "x.opml"
    path.write_text(
        _opml(
            '<outline text="ok" xmlUrl="https://ok.example/feed"/>'
            '<outline text="js" xmlUrl="javascript:alert(1)"/>'
            '<outline text="file" xmlUrl="file:///etc/passwd"/>'
            '<outline text="nl" xmlUrl="http://x.example/a&#10;b"/>'
            "</body></opml>"
        )
    )
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0 and "imported 1 source," in out
    assert "skipped 3 outlines" in err, err
    assert [s["url"] for s in sources(capsys)] == ["https://ok.example/feed"]

"""Import says what it did with every line: nothing importable is refused (exit 1), `--json`
counts what it skipped with the reasons beside it, newsboat's filter feeds keep their URL, a
second tag and a folder spelled in another case are noted, and the user learns that nothing was
fetched yet."""

from __future__ import annotations

import json

from hostile.harness import cli


def _sources(capsys) -> list[dict]:
    code, out, _ = cli(capsys, "sources", "--json")
    assert code == 0
    return json.loads(out)


def test_an_opml_with_nothing_importable_is_refused(tmp_path, capsys):
    path = tmp_path / "none.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="js" xmlUrl="javascript:alert(1)"/><outline text="empty folder"/>'
        "</body></opml>"
    )
    code, out, err = cli(capsys, "import", str(path))
    assert code == 1, (out, err)
    assert "no outline holds an http(s) feed URL" in err and "1 not an http(s) URL" in err, err
    assert out == "" and _sources(capsys) == []


def test_json_counts_what_was_skipped_with_the_reasons_beside_it(tmp_path, capsys):
    path = tmp_path / "urls"
    path.write_text(
        "http://a.example/feed\nftp://b.example/feed\n"
        '"query:Unread:unread = \\"yes\\""\n"query:Two:unread = \\"no\\""\n'
    )
    code, out, err = cli(capsys, "import", str(path), "--json")
    assert code == 0, err
    got = json.loads(out)
    assert got["skipped"] == 3
    assert got["skipped_reasons"] == {
        "newsboat query feed (newsdesk has saved views instead: [[views]] in the config)": 2,
        "not an http(s) URL": 1,
    }
    assert "2 newsboat query feeds (" in err, err  # plural, and says what to use instead


def test_newsboat_details_are_imported_or_said(tmp_path, capsys):
    path = tmp_path / "urls"
    path.write_text(
        "filter:~/bin/clean.sh:https://f.example/feed.xml News\n"
        "http://a.example/feed World politics\n"
        "http://b.example/feed world\n"
        "http://c.example/feed WORLD\n"
    )
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0, err
    assert "imported 4 sources" in out
    assert "nothing fetched yet: `newsdesk refresh`" in out
    assert "1 newsboat filter feed imported without its filter script" in err, err
    assert "1 feed with more than one tag: the first became the folder" in err, err
    assert "2 folder names that differed only in case joined the first spelling" in err, err
    got = {s["url"]: s["folder"] for s in _sources(capsys)}
    assert got == {
        "https://f.example/feed.xml": "News",
        "http://a.example/feed": "World",
        "http://b.example/feed": "World",
        "http://c.example/feed": "World",
    }


def test_a_folder_already_in_the_cache_keeps_its_spelling(tmp_path, capsys):
    first, second = tmp_path / "one", tmp_path / "two"
    first.write_text("http://a.example/feed Tech\n")
    second.write_text("http://b.example/feed tech\n")
    assert cli(capsys, "import", str(first))[0] == 0
    assert cli(capsys, "import", str(second))[0] == 0
    assert {s["folder"] for s in _sources(capsys)} == {"Tech"}

"""Rules as a new user met them (issue 22, item 17): a scope that names none of your sources
is said, and `rules test` takes the same scope options as `rules add`."""

from __future__ import annotations

import json

from feedgen import rss
from hostile.harness import cli


def _feeds(server, capsys) -> tuple[str, str]:
    a = server.add("/a.xml", rss("A", [{"title": "Sponsored: a deal", "guid": "a1"},
                                       {"title": "News", "guid": "a2"}]))  # fmt: skip
    b = server.add("/b.xml", rss("B", [{"title": "Sponsored: another", "guid": "b1"}]))
    assert cli(capsys, "add", a, "--folder", "Ads")[0] == 0
    assert cli(capsys, "add", b)[0] == 0
    return a, b


def test_a_scope_that_matches_no_source_is_said(server, capsys):
    a, _b = _feeds(server, capsys)
    code, out, err = cli(
        capsys, "rules", "add", "--match", "x", "--source", "https://typo.example/*"
    )
    assert code == 0 and "added rule 1" in out
    assert "--source 'https://typo.example/*' matches none of your 2 sources" in err, err
    code, _, err = cli(capsys, "rules", "add", "--match", "y", "--source", a, "--folder", "Ads")
    assert code == 0 and "warning" not in err, err
    code, _, err = cli(capsys, "rules", "add", "--match", "z", "--folder", "Adz")
    assert "--folder 'Adz' is not one of your folders" in err, err


def test_rules_test_takes_a_scope(server, capsys):
    a, b = _feeds(server, capsys)
    code, out, _ = cli(capsys, "rules", "test", "--match", "sponsored", "--json")
    assert code == 0 and json.loads(out)["matches"] == 2
    code, out, _ = cli(capsys, "rules", "test", "--match", "sponsored", "--source", b, "--json")
    got = json.loads(out)
    assert got["matches"] == 1 and got["examples"][0]["title"] == "Sponsored: another"
    code, out, _ = cli(capsys, "rules", "test", "--match", "sponsored", "--folder", "Ads", "--json")
    assert json.loads(out)["matches"] == 1

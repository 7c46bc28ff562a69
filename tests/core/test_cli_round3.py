"""The CLI's rough edges a new user met (issue 22, item 29): `sources` has a header and shows
a source's warning as `--json` does, an empty `add` URL is a usage error (exit 2), and an
unknown option is reported as such even when the required argument is missing too."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.harness import cli

from tui.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def test_sources_has_a_header_and_shows_warnings(server, capsys):
    url = server.add("/cut.xml", (FIXTURES / "truncated.xml").read_bytes())
    assert cli(capsys, "add", url)[0] == 0
    code, out, _ = cli(capsys, "sources")
    assert code == 0
    lines = out.splitlines()
    assert "unread/entries" in lines[0] and "title" in lines[0], out
    assert any(line.strip().startswith("warning: malformed feed, recovered") for line in lines)


def usage_error(capsys, *argv: str) -> str:
    """The stderr of a command line argparse refuses (exit status 2)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_an_empty_add_url_is_a_usage_error(capsys):
    err = usage_error(capsys, "add", "  ")
    assert "usage: newsdesk add" in err and "the URL is empty" in err, err


def test_an_unknown_option_is_named_before_a_missing_argument(capsys):
    err = usage_error(capsys, "--data-dir", "/nonexistent", "search", "-x")
    assert "unrecognized arguments: -x" in err and "required" not in err, err

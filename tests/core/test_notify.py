"""Nudges after a refresh: the notify command gets the JSON summary on stdin (no shell), only for
new entries the rules let through and notify_match matches; one that hangs or fails costs the
refresh its timeout and one line; the OSC payload carries no raw feed bytes."""

from __future__ import annotations

import json
import sys
import time
from html import escape

from feedgen import rss

from tui.cli.main import main
from tui.services.notify import Notice, osc_safe
from tui.store.front import Notable

NOW = time.time()
TITLES = [
    "Harbour strike ends after two weeks",
    "Sponsored: the best mattress of the year",
    "Council votes on the harbour bridge; \x1b]52;c;aGk=\x07 tolls rise",
]


def new_entries(server, tmp_path, config: str) -> None:
    url = server.add("/f.xml", rss("Port News", []))
    assert main(["add", url]) == 0
    items = [
        {"title": escape(t), "guid": f"g{i}", "date": NOW - 60 * i, "link": server.url(f"/{i}")}
        for i, t in enumerate(TITLES)
    ]
    server.add("/f.xml", rss("Port News", items))
    (tmp_path / "config.toml").write_text(config)


def hook(tmp_path, code: str) -> str:
    script = tmp_path / "hook.py"
    script.write_text(code)
    return f"notify = \"command\"\nnotify_command = ['{sys.executable}', '{script}']\n"


def test_command_gets_the_json_summary_of_what_passes_the_rules(server, tmp_path, capsys):
    out = tmp_path / "got.json"
    config = hook(tmp_path, f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())")
    config += 'notify_match = "harbour"\n[[rules]]\nmatch = "sponsored"\n'
    new_entries(server, tmp_path, config)
    capsys.readouterr()
    assert main(["refresh", "--no-articles", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["notified"] == 2 and "notify_error" not in report
    got = json.loads(out.read_bytes())
    assert got["new"] == 2 and not got["truncated"]
    titles = [e["title"] for e in got["entries"]]
    assert titles[0] == TITLES[0]
    assert titles[1].startswith("Council votes") and "\x1b" not in titles[1]
    assert all(e["source"] == "Port News" for e in got["entries"])


def test_a_hook_that_hangs_is_stopped_and_the_refresh_says_so(server, tmp_path, capsys):
    config = hook(tmp_path, "import time\ntime.sleep(120)\n") + "notify_timeout = 1\n"
    new_entries(server, tmp_path, config)
    capsys.readouterr()
    start = time.monotonic()
    assert main(["refresh", "--no-articles"]) == 0
    assert time.monotonic() - start < 15  # not the hook's 120 s
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("notify:")]
    assert len(lines) == 1 and "took more than 1 s and was stopped" in lines[0]


def test_a_hook_that_fails_or_is_missing_is_one_line(server, tmp_path, capsys):
    code = "import sys\nsys.stderr.write('first\\nboom \\x1b[31mred\\n')\nsys.exit(3)\n"
    new_entries(server, tmp_path, hook(tmp_path, code))
    capsys.readouterr()
    assert main(["refresh", "--no-articles", "--json"]) == 0
    error = json.loads(capsys.readouterr().out)["notify_error"]
    assert error.endswith("failed (exit status 3): boom red")
    (tmp_path / "config.toml").write_text(
        "notify = \"command\"\nnotify_command = ['/nonexistent/notify-send']\n"
    )
    server.add("/f.xml", rss("Port News", [{"title": "Another", "guid": "x", "date": NOW}]))
    assert main(["refresh", "--no-articles"]) == 0
    out = capsys.readouterr().out
    assert "notify: notify command /nonexistent/notify-send did not start" in out


def test_a_bad_notify_match_is_one_line_and_the_refresh_goes_on(server, tmp_path, capsys):
    new_entries(server, tmp_path, 'notify = "terminal"\nnotify_match = "/[unclosed/"\n')
    capsys.readouterr()
    assert main(["refresh", "--no-articles", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["new_entries"] == 3 and report["notified"] == 0
    assert report["notify_error"].startswith("notify_match: invalid regex")


def test_off_by_default(server, tmp_path, capsys):
    new_entries(server, tmp_path, "")
    capsys.readouterr()
    assert main(["refresh", "--no-articles", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notified"] == 0


def test_osc_payload_is_printable_and_cannot_end_the_sequence():
    hostile = "Ends here\x07\x1b\\\x1b]777;notify;fake;x\x9c; C1\u009d and \u2028 line"
    notice = Notice([Notable(1, "Src;\x1b[2J", hostile, None)])
    for env in ({"TERM": "xterm-256color"}, {"VTE_VERSION": "7000", "TERM": "xterm"}):
        payload = notice.terminal_payload(env)
        start = "\x1b]777;notify;newsdesk;" if "VTE_VERSION" in env else "\x1b]9;newsdesk: "
        assert payload.startswith(start) and payload.endswith("\x1b\\")
        body = payload[len(start) : -2]
        assert body.isprintable() and ";" not in body and "\x1b" not in body
        assert body.startswith("1 new entry: Ends here")
    assert osc_safe("a;b\tc", 10) == "a,b c"
    assert len(osc_safe("x" * 500, 160)) == 160

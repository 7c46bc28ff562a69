"""Accounts in the config file, their passwords, and servers that misbehave during a sync."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from greader_server import GReaderServer
from sync_sides import TtrssSide
from ttrss import Ttrss, ttrss, ttrss_server  # noqa: F401  (fixtures)

from tui.cli.main import main
from tui.settings.accounts import Account, PasswordError, env_var
from tui.settings.config import ConfigError, load_config
from tui.sync.greader import CONTENTS_BATCH

CONFIG = '# my settings\ntheme = "nord"\n\n[sources."http://a.invalid/feed"]\nfolder = "A"\n'


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def sync_json() -> dict:
    code, out = cli("sync", "--json")
    assert code == 0
    return json.loads(out)["accounts"][0]


def test_add_list_remove_edit_only_the_account_table(private_paths: Path, monkeypatch) -> None:
    path = private_paths / "config.toml"
    path.write_text(CONFIG)
    code, out = cli("account", "add", "work", "--type", "ttrss", "--url", "https://rss.example/",
                    "--user", "me", "--password-command", "pass show 'rss work'")  # fmt: skip
    assert code == 0 and "NEWSDESK_PASSWORD_WORK" not in out
    text = path.read_text()
    assert text.startswith(CONFIG) and "password =" not in text
    account = load_config(path).accounts["work"]
    assert account == Account("work", "ttrss", "https://rss.example/", "me", "pass show 'rss work'")
    code, out = cli("account", "add", "home-2", "--type", "greader", "--url",
                    "http://127.0.0.1:9/api/greader.php", "--user", "me")  # fmt: skip
    assert code == 0 and "set NEWSDESK_PASSWORD_HOME_2" in out
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME_2", "x")
    code, out = cli("account", "list", "--json")
    listed = {a["name"]: a for a in json.loads(out)}
    assert listed["work"]["password"] == "command" and listed["home-2"]["password"] == "env"
    assert listed["work"]["pending"] == 0 and listed["work"]["last_sync"] is None
    assert cli("account", "remove", "work")[0] == 0
    assert set(load_config(path).accounts) == {"home-2"}
    assert path.read_text().startswith(CONFIG)


def test_list_shows_each_kind_of_account_by_what_it_needs(private_paths: Path) -> None:
    assert (
        cli("account", "add", "flux", "--type", "miniflux", "--url", "https://flux.example")[0] == 0
    )
    assert cli("account", "add", "home", "--type", "folder", "--path", "/srv/Sync")[0] == 0
    assert cli("account", "add", "box", "--type", "ssh", "--host", "me@box")[0] == 0
    code, out = cli("account", "list")
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert code == 0 and lines == [
        "flux  miniflux  https://flux.example  password: none",  # an API key: no user@
        "home  folder  /srv/Sync",
        "box  ssh  me@box",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad name", "--type", "ttrss", "--url", "http://x/", "--user", "u"], "bad account name"),
        (["a", "--type", "ttrss", "--url", "ftp://x/", "--user", "u"], "url should be an http(s)"),
        (["a", "--type", "ttrss", "--url", "http://x/", "--user", ""], "user should be"),
    ],
)
def test_add_refuses_bad_input(private_paths: Path, capsys, args, message) -> None:
    assert main(["account", "add", *args]) == 2
    assert message in capsys.readouterr().err
    assert not (private_paths / "config.toml").exists()


def test_add_twice_and_remove_unknown_are_refused(private_paths: Path, capsys) -> None:
    args = ["account", "add", "a", "--type", "greader", "--url", "http://x/", "--user", "u"]
    assert main(args) == 0
    # runtime errors (exit 1): the command line is fine, the state says no
    assert main(args) == 1 and "account a exists" in capsys.readouterr().err
    assert (
        main(["account", "remove", "zz"]) == 1 and "no account named zz" in capsys.readouterr().err
    )
    assert main(["sync", "zz"]) == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('type = "fever"\nurl = "http://x/"\nuser = "u"', 'accounts.a.type should be "ttrss", "greader", "miniflux", "folder" or "ssh"'),
        ('type = "ttrss"\nurl = "x"\nuser = "u"', "accounts.a.url should be an http(s) URL"),
        ('type = "ttrss"\nurl = "http://x/"\nuser = "u"\npassword = "hunter2"', "accounts.a.password is not read"),
        ('type = "ttrss"\nurl = "http://x/"\nuser = "u"\npassword_command = ["pass"]', "password_command should be a string"),
    ],
)  # fmt: skip
def test_config_errors_name_the_key_in_one_line(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"[accounts.a]\n{table}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_passwords_come_from_env_or_a_command_without_a_shell(monkeypatch) -> None:
    assert env_var("my.home-1") == "NEWSDESK_PASSWORD_MY_HOME_1"
    script = "import sys; print(sys.argv[1] + '; echo no shell'); print('second line')"
    cmd = f"{sys.executable} -c \"{script}\" 's3cret $HOME'"
    account = Account("a", "ttrss", "http://x/", "u", cmd)
    assert account.password() == "s3cret $HOME; echo no shell"
    monkeypatch.setenv("NEWSDESK_PASSWORD_A", "from-env")
    assert account.password() == "from-env"
    monkeypatch.delenv("NEWSDESK_PASSWORD_A")
    for bad, message in [(f"{sys.executable} -c 'raise SystemExit(3)'", "exited with status 3"),
                         ("/nonexistent/pw", "not found"), (f"{sys.executable} -c ''", "printed nothing"),
                         (None, "no password: set NEWSDESK_PASSWORD_A")]:  # fmt: skip
        with pytest.raises(PasswordError, match=message):
            Account("a", "ttrss", "http://x/", "u", bad).password()


class Misbehaving(http.server.ThreadingHTTPServer):
    """Answers everything with one body; or never answers, when `hang` is set."""

    daemon_threads = True

    def __init__(self, body: bytes, hang: bool = False) -> None:
        self.body, self.hang, self.release = body, hang, threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if outer.hang:
                    outer.release.wait(10)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_GET = do_POST

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


@pytest.fixture
def synced_then_broken(ttrss: Ttrss, private_paths: Path, monkeypatch) -> Iterator[TtrssSide]:
    """A cache synced from tt-rss with one change queued; then each test breaks the server."""
    side = TtrssSide(ttrss)
    monkeypatch.setenv("NEWSDESK_PASSWORD_HOME", side.password)
    side.write_config(private_paths / "config.toml")
    side.entries(side.feed("F", folder="News"), 5, read={0})
    assert sync_json()["error"] is None
    assert cli("mark-read", "--all")[0] == 0
    yield side


def _cache(private_paths: Path) -> list:
    import sqlite3

    db = sqlite3.connect(private_paths / "data" / "newsdesk.db")
    return db.execute("SELECT remote_id, title, read, starred FROM entries ORDER BY id").fetchall()


@pytest.mark.parametrize(
    ("body", "hang", "error"),
    [
        (b"<!DOCTYPE html><html><body>Log in</body></html>", False, "bad response: an HTML page, not JSON (is the URL the API's?)"),
        (b'{"seq": 0, "status": 0, "content": {"session_id"', False, "bad response: not JSON"),
        (b"", True, "timed out after 0.5 s"),
    ],
)  # fmt: skip
def test_a_broken_server_leaves_cache_and_queue_alone(
    synced_then_broken: TtrssSide, private_paths: Path, body: bytes, hang: bool, error: str
) -> None:
    before = _cache(private_paths)
    bad = Misbehaving(body, hang)
    try:
        url = f"http://127.0.0.1:{bad.server_address[1]}/"
        (private_paths / "config.toml").write_text(
            f'deadline = 0.5\n[accounts.home]\ntype = "ttrss"\nurl = "{url}"\nuser = "admin"\n'
        )
        result = sync_json()
    finally:
        bad.close()
    assert (result["error"], result["pending"]) == (error, 4)
    assert _cache(private_paths) == before


def test_api_switched_off(synced_then_broken: TtrssSide, private_paths: Path) -> None:
    before = _cache(private_paths)
    synced_then_broken.t.set_api_access(False)
    result = sync_json()
    assert result["error"].startswith("API disabled") and result["pending"] == 4
    assert _cache(private_paths) == before


def test_10000_unread_arrive_in_pages(private_paths: Path, monkeypatch) -> None:
    with GReaderServer() as srv:
        srv.add_items(srv.add_feed("Busy", folder="News"), 10_000)
        monkeypatch.setenv("NEWSDESK_PASSWORD_BIG", srv.state.password)
        (private_paths / "config.toml").write_text(
            f'[accounts.big]\ntype = "greader"\nurl = "{srv.url}"\nuser = "alice"\n'
        )
        tracemalloc.start()
        result = sync_json()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sizes = srv.requests("/reader/api/0/stream/items/contents")
    assert result["pulled"] == 10_000 and result["error"] is None
    assert max(sizes) <= CONTENTS_BATCH and sum(sizes) == 10_000
    # pages are written and dropped: far below what 10,000 entries held at once would need
    # (7 MB measured, the contract server's own JSON included)
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MB"
    assert len(_cache(private_paths)) == 10_000

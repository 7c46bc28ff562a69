"""Files and directories newsdesk creates are its owner's only; ones that exist keep their mode."""

from __future__ import annotations

import stat

from feedgen import rss

from tui.cli.main import main
from tui.settings import configfile


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_existing_data_dir_keeps_its_mode_and_the_cache_files_are_private(server, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    url = server.add("/f.xml", rss("F", [{"title": "a", "guid": "a"}]))
    assert main(["--data-dir", str(shared), "add", url]) == 0
    assert main(["--data-dir", str(shared), "refresh", "--no-articles"]) == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777  # not ours to change
    files = sorted(p.name for p in shared.iterdir())
    assert "newsdesk.db" in files
    for name in files:  # the database and, while open, its -wal and -shm
        assert mode(shared / name) == 0o600, (name, oct(mode(shared / name)))


def test_wal_and_shm_are_private_while_open(tmp_path):
    from tui.store import Store

    store = Store(tmp_path / "d" / "newsdesk.db")
    store.add_source("http://a.example/")
    names = {p.name: mode(p) for p in (tmp_path / "d").iterdir()}
    store.close()
    assert {"newsdesk.db", "newsdesk.db-wal", "newsdesk.db-shm"} <= set(names), names
    assert set(names.values()) == {0o600}, names


def test_directories_newsdesk_creates_are_private(tmp_path):
    target = tmp_path / "new" / "deeper" / "data"
    assert main(["--data-dir", str(target), "sources"]) == 0
    for d in (tmp_path / "new", tmp_path / "new" / "deeper", target):
        assert mode(d) == 0o700, (d, oct(mode(d)))
    assert mode(target / "newsdesk.db") == 0o600


def test_config_file_written_by_newsdesk_is_private(tmp_path):
    path = tmp_path / "conf" / "config.toml"
    configfile.rewrite(path, lambda text: configfile.set_top_level(text, "theme", "x"))
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    path.chmod(0o640)  # the user's own choice is kept on the next edit
    configfile.rewrite(path, lambda text: configfile.set_top_level(text, "theme", "y"))
    assert mode(path) == 0o640

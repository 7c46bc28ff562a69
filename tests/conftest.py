from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from server import FeedServer  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(autouse=True)
def private_paths(tmp_path, monkeypatch):
    """Every path the app touches points into this test's temp dir."""
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return tmp_path


@pytest.fixture
def server():
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def client():
    """The app's own kind of HTTP client, for tests that drive the reader against `server`."""
    from tui.net.http import make_client

    c = make_client(timeout=5)
    yield c
    await c.aclose()


@pytest.fixture
async def http():
    """The same, with the longer timeout sync servers (a real tt-rss under load) may need."""
    from tui.net.http import make_client

    c = make_client(timeout=20)
    yield c
    await c.aclose()

"""The project's own facts, kept in one place each: the version, the licence, the changelog."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import tui

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_written_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("newsdesk") == tui.__version__
    hits = [
        p
        for p in (ROOT / "tui").rglob("*.py")
        if re.search(r"""\b\d+\.\d+\.\d+\b""", p.read_text()) and "__version__ =" in p.read_text()
    ]
    assert hits == [ROOT / "tui" / "__init__.py"]


def test_licence_file_matches_the_declared_licence():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]["text"]
    first = (ROOT / "LICENSE").read_text().splitlines()[0]
    assert first == f"{declared} License"


def test_changelog_has_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog")
    assert "## Unreleased" in text

"""Where things are for one invocation (the cache and the config), opened on first use.

Its own module so the reader's start path can open the cache without importing the CLI
commands (and argparse) it does not run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.settings import paths
from tui.settings.config import Config, load_config
from tui.store import Store


def apply_source_settings(store: Store, cfg: Config) -> None:
    """Titles and folders set per source in the config win over the feed's and the import's."""
    # a source a permanent redirect moved is found at its new URL, with its old table's settings
    moved_from = set(cfg.moved.values())
    for url in (set(cfg.sources) - moved_from) | set(cfg.moved):
        spec = cfg.settings_for(url)
        fields = {
            col: str(spec[name])
            for name, col in (("title", "title_override"), ("folder", "folder"))
            if spec.get(name)
        }
        row = store.source(url) if fields else None
        current = {"title_override": row.title_override, "folder": row.folder} if row else {}
        if row is not None and any(current[c] != v for c, v in fields.items()):
            store.update_source(url, **fields)


class Context:
    """Where things are for one invocation; the store and config are opened on first use."""

    def __init__(self, data_dir: str | Path | None = None, config_file: str | Path | None = None):
        self.data_dir = paths.data_dir(data_dir)
        self.config_file = paths.config_path(config_file)
        self._store: Store | None = None
        self._config: Config | None = None
        # the CLI says config warnings on stderr; the reader shows them in the app instead
        self.print_warnings = True

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.data_dir / paths.DB_NAME)
            if paths.others_can_write(self.data_dir):
                print(
                    f"newsdesk: warning: {self.data_dir} is writable by other users: they can "
                    "read your history and plant links where newsdesk writes (chmod go-w it)",
                    file=sys.stderr,
                )
            if self._store.recovered:
                print(f"newsdesk: {self._store.recovered}", file=sys.stderr)
            if self._store.read_only_reason:
                print(
                    f"newsdesk: cache {self._store.path} is read-only "
                    f"({self._store.read_only_reason}): reading only",
                    file=sys.stderr,
                )
            # the last step of loading the config (before anyone reads it to refresh): the
            # moves the cache recorded, so a moved source keeps its settings
            self.config().moved.update(self._store.moved_sources())
            if not self._store.readonly:
                apply_source_settings(self._store, self.config())
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def db_exists(self) -> bool:
        return (self.data_dir / paths.DB_NAME).exists()

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_file)
            if self.print_warnings:
                for line in self._config.warnings:
                    print(f"newsdesk: warning: {line}", file=sys.stderr)
        return self._config

"""The `newsdesk` command line: parser, output helpers, one module per command group.

Thin: parses arguments, calls the services, prints. `main` is in `tui.cli.main`.
"""

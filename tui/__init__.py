"""newsdesk: a keyboard-driven terminal headline browser."""

__version__ = "0.1.0"

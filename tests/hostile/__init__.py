"""Hostile inputs served by the loopback server, and the checks every hostile case must pass."""

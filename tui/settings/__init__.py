"""Paths, the config file and edits to it: the bottom layer."""

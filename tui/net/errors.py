"""The one error fetching raises."""

from __future__ import annotations


class FetchError(Exception):
    """A short, specific reason a URL could not be fetched."""

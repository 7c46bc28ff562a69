"""Sync with aggregator servers (Tiny Tiny RSS, Google Reader API): protocol clients and model."""

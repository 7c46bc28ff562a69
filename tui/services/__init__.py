"""The operations: refresh, ingest, prefetch, subscribe, reader, demo, worker pools.

No Textual and no argparse here: the CLI and the reader both call these."""

# `make check` is scripts/check: format, lint, types, import contracts, tests (what CI runs).
.PHONY: check test
check:
	scripts/check
test:
	.venv/bin/python -m pytest -q

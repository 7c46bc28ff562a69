"""Hostile feeds and transports, each through `newsdesk refresh` against the loopback server.

See tests/hostile/cases.py for the table and tests/hostile/harness.py for the checks every case
shares: bounded time, the other source refreshed, nothing lost, no control character in output.
"""

from __future__ import annotations

import pytest
from hostile.cases import CASES
from hostile.harness import run_refresh_case, server  # noqa: F401 (fixture)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_refresh(case, server, tmp_path, capsys):
    server.add("/evil.dtd", '<!ENTITY ext "EXTERNAL-DTD-LOADED">', content_type="text/plain")
    outcome = run_refresh_case(
        case.name,
        server,
        tmp_path,
        capsys,
        case.route(server),
        config=case.config,
        limit=case.limit,
    )
    case.check(outcome, server)

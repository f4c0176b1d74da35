"""Commands close what they open: a long session (a CI run, a scheduled job in one process) must
not run out of file descriptors (a test process once reached 1,023 of them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, init_repo


def open_fds(at_most: int = 1 << 20, seconds: float = 5.0) -> int:
    """The open descriptors, once at most ``at_most`` or, failing that, settled (the sandbox
    closes its side of a connection a moment after the client closed it)."""
    deadline, last = time.monotonic() + seconds, -1
    while True:
        count = len(os.listdir("/proc/self/fd"))
        if count <= at_most or count == last or time.monotonic() > deadline:
            return count
        last = count
        time.sleep(0.2)


def test_export_and_plan_leave_no_connection_open(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    init_repo(tmp_path / "repo")
    run = Jiracfg(start_sandbox("empty"), tmp_path / "repo")
    run("export")  # the first run opens what stays open for good (imports, caches)
    before = open_fds(at_most=0)
    for _ in range(3):
        run("export")
        run("plan")
    assert open_fds(at_most=before) <= before

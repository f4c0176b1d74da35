"""Start a sandbox in its own process (so the server and the measured client do not share a GIL)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sandbox_process(*options: str) -> Iterator[str]:
    """``jiracfg sandbox serve --port 0 OPTIONS`` in a child process; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "jiracfg", "sandbox", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://[\d.]+:\d+", line)
        if not found:
            raise RuntimeError(f"sandbox did not start: {line!r}")
        yield found.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

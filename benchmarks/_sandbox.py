"""Start a sandbox in its own process (so the server and the measured client do not share a GIL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from jiracfg.sandbox.server import serve_in_child


@contextmanager
def sandbox_process(*options: str) -> Iterator[str]:
    """``jiracfg sandbox serve --port 0 OPTIONS`` in a child process; yields its base URL."""
    with serve_in_child(*options) as banner:
        found = re.search(r"http://[\d.]+:\d+", banner)
        if not found:
            raise RuntimeError(f"sandbox did not start: {banner!r}")
        yield found.group(0)

"""What the benchmarks share: a client that records each request by endpoint, the sandbox's own
round-trip time, peak memory, and table printing."""

from __future__ import annotations

import re
import resource
import threading
import time
from collections import Counter
from collections.abc import Iterable

import httpx

from jiracfg.client import JiraClient
from jiracfg.sandbox.server import EMAIL, TOKEN


class Recording(httpx.HTTPTransport):
    """An HTTP transport that counts requests by endpoint pattern (``GET /field/{field}/context``;
    retries included, as they are sent)."""

    def __init__(self, concurrency: int) -> None:
        super().__init__(
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        )
        self.endpoints: Counter[str] = Counter()
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.endpoints[endpoint(request.method, request.url.path)] += 1
        return super().handle_request(request)


def endpoint(method: str, path: str) -> str:
    """``GET /rest/api/3/field/customfield_10001/context/10002/option`` ->
    ``GET /field/{field}/context/{id}/option``."""
    path = path.removeprefix("/rest/api/3")
    path = re.sub(r"/\d+(?=/|$)", "/{id}", re.sub(r"customfield_\d+", "{field}", path))
    return f"{method} {path}"


def recording_client(url: str, concurrency: int) -> tuple[JiraClient, Recording]:
    transport = Recording(concurrency)
    return JiraClient(url, EMAIL, TOKEN, concurrency=concurrency, transport=transport), transport


def plain_client(url: str, concurrency: int = 8) -> JiraClient:
    return JiraClient(url, EMAIL, TOKEN, concurrency=concurrency)


def round_trip(url: str, concurrency: int, count: int = 400) -> float:
    """Seconds per request of a trivial GET at ``concurrency`` in flight (latency plus the
    sandbox's and the client's own time): what one request really costs on this machine."""
    client = plain_client(url, concurrency)
    try:
        start = time.monotonic()
        client.map(lambda _: client.get("/serverInfo"), list(range(count)))
        return (time.monotonic() - start) * concurrency / count
    finally:
        client.close()


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> None:
    """Print rows as an aligned text table (numbers right-aligned)."""
    text = [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text)) for i, h in enumerate(header)]
    for row in [header, *text]:
        cells = [
            c.rjust(w) if c.replace(".", "").replace("-", "").isdigit() else c.ljust(w)
            for c, w in zip(row, widths, strict=True)
        ]
        print("  " + "  ".join(cells).rstrip())

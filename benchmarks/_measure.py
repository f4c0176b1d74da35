"""What the benchmarks share: a client that records each request by endpoint, the sandbox's own
round-trip time, peak memory, and table printing."""

from __future__ import annotations

import os
import re
import resource
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

import httpx

from jiracfg.apply import CURRENT
from jiracfg.client import CEILING, JiraClient
from jiracfg.sandbox.server import EMAIL, TOKEN


class Recording(httpx.HTTPTransport):
    """An HTTP transport that counts requests by endpoint pattern (``GET /field/{field}/context``;
    retries included, as they are sent), by the change the applier runs them for (its
    ``CURRENT`` context variable) and the ones Jira refused as rate limited (429), by method."""

    def __init__(self, concurrency: int) -> None:
        super().__init__(
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        )
        self.endpoints: Counter[str] = Counter()
        self.by_change: dict[str, Counter[str]] = defaultdict(Counter)
        self.throttled: Counter[str] = Counter()
        self.timeline: list[tuple[float, float, str, int]] = []  # start, end, endpoint, status
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        name = endpoint(request.method, request.url.path)
        change = CURRENT.get()
        with self._lock:
            self.endpoints[name] += 1
            if change is not None:
                self.by_change[str(change.address)][name] += 1
        start = time.monotonic()
        response = super().handle_request(request)
        self.timeline.append((start, time.monotonic(), name, response.status_code))
        if response.status_code == 429:
            with self._lock:
                self.throttled[request.method] += 1
        return response

    def by_change_total(self) -> Counter[str]:
        """Requests made by the applier's changes, by endpoint (plans and exports left out)."""
        total: Counter[str] = Counter()
        for endpoints in self.by_change.values():
            total.update(endpoints)
        return total

    def cost(self) -> int:
        """What the admitted requests cost under the sandbox's rate limiter (a read 1, a write
        2; a refused request nothing)."""
        sent: Counter[str] = Counter()
        for name, n in self.endpoints.items():
            sent[name.split(" ", 1)[0]] += n
        return sum((n - self.throttled[m]) * (1 if m == "GET" else 2) for m, n in sent.items())


def endpoint(method: str, path: str) -> str:
    """``GET /rest/api/3/field/customfield_10001/context/10002/option`` ->
    ``GET /field/{field}/context/{id}/option``."""
    path = path.removeprefix("/rest/api/3")
    path = re.sub(r"/\d+(?=/|$)", "/{id}", re.sub(r"customfield_\d+", "{field}", path))
    return f"{method} {path}"


def recording_client(url: str, concurrency: int | None) -> tuple[JiraClient, Recording]:
    """A client (``concurrency`` None: the adaptive limit) over a recording transport."""
    transport = Recording(concurrency or CEILING)
    return JiraClient(url, EMAIL, TOKEN, concurrency=concurrency, transport=transport), transport


def plain_client(url: str, concurrency: int | None = 8) -> JiraClient:
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


def load() -> str:
    """The load average, to print next to a time (wall times under load are pessimistic)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} on {os.cpu_count()} cores"


def verdict(what: str, ratio: float, target: float) -> None:
    """One line: the ratio against its target, and whether it is met (and the load it ran at)."""
    met = "MET" if ratio <= target else "NOT MET"
    print(f"  verdict: {what} {ratio:.2f}x, target {target:g}x: {met} ({load()})")

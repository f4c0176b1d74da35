"""Retries and rate limits as a wrapping httpx transport.

Retries 429 (any method), 5xx and connection errors (idempotent methods), honouring
``Retry-After`` (seconds or HTTP date) with capped, jittered exponential backoff. Requests in
flight are bounded by an :class:`~jiracfg.client.limit.AdaptiveLimit` (AIMD on 429/503). A POST
that got a 5xx or lost its response may have committed: it is not retried here; the applier looks
the object up by name instead of creating it twice. Reads Jira takes as a POST (JQL search and
count, bulk fetches: ``READ_POSTS``) write nothing, so they are retried like GETs.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import httpx

from jiracfg.client.limit import AdaptiveLimit, parse_retry_after, pause_of, scopes

__all__ = ["AdaptiveLimit", "Counter", "RetryTransport", "parse_retry_after", "retryable"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
READ_POSTS = frozenset(  # POST endpoints that only read, below /rest/api/3 (or /2)
    {
        "/search",
        "/search/jql",
        "/search/approximate-count",
        "/issue/bulkfetch",
        "/changelog/bulkfetch",
        "/jql/parse",
        "/jql/match",
        "/jql/sanitize",
        "/workflows",
        "/workflowscheme/read",
        "/workflowscheme/update/mappings",
        "/permissions/check",
    }
)


class Counter:
    """Thread-safe request counter, for benchmarks and tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.throttled = 0  # answered 429 (rate limited) or 503
        self.by_method: dict[str, int] = {}

    def count(self, method: str, retry: bool) -> None:
        with self._lock:
            self.requests += 1
            self.retries += int(retry)
            self.by_method[method] = self.by_method.get(method, 0) + 1

    def count_throttled(self) -> None:
        with self._lock:
            self.throttled += 1

    @property
    def writes(self) -> int:
        return sum(n for m, n in self.by_method.items() if m != "GET")


class RetryTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        attempts: int = 8,
        base_delay: float = 0.2,
        max_delay: float = 30.0,
        counter: Counter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        concurrency: int = 8,
        limit: AdaptiveLimit | None = None,
    ) -> None:
        self.inner = inner
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.counter = counter or Counter()
        self.sleep = sleep
        self.limit = limit or AdaptiveLimit(concurrency)
        self._rng = random.Random()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        ready_at: float | None = None
        for attempt in range(1, self.attempts + 1):
            response = self._attempt(request, attempt, ready_at)
            if response is not None and (
                not retryable(_method(request), response.status_code) or attempt == self.attempts
            ):
                return response
            wait = self._delay(attempt, response)
            if response is not None:
                response.close()
            ready_at = time.monotonic() + wait
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self, request: httpx.Request, attempt: int, ready_at: float | None
    ) -> httpx.Response | None:
        self.counter.count(request.method, retry=attempt > 1)
        scoped = scopes(request.method, request.url.path)
        ticket = self.limit.acquire(self.sleep, ready_at, scoped)
        response: httpx.Response | None = None
        try:
            response = self._send(request, attempt)
            return response
        finally:
            self.limit.release(ticket, response, scoped)
            if response is not None and response.status_code in (429, 503):
                self.counter.count_throttled()

    def _send(self, request: httpx.Request, attempt: int) -> httpx.Response | None:
        try:
            response = self.inner.handle_request(request)
            if response.status_code in RETRY_STATUSES:
                response.read()
            return response
        except httpx.ConnectError:
            if attempt == self.attempts:
                raise
            return None
        except (
            httpx.ReadError,
            httpx.RemoteProtocolError,
            httpx.ReadTimeout,
            httpx.WriteError,
        ):
            if attempt == self.attempts or _method(request) == "POST":
                raise  # a POST may have committed: the caller looks it up instead
            return None

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        backoff = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        jittered = backoff * (0.5 + self._rng.random() / 2)
        retry_after = pause_of(response) if response is not None else None
        return min(self.max_delay, max(jittered, retry_after or 0.0))

    def close(self) -> None:
        self.inner.close()


def _method(request: httpx.Request) -> str:
    """The request's method, but GET for a read sent as POST (safe to send again)."""
    return "GET" if is_read_post(request.method, request.url.path) else request.method


def is_read_post(method: str, path: str) -> bool:
    head, _, rest = path.partition("/rest/api/")
    version, _, tail = rest.partition("/")
    return method == "POST" and not head and version in ("2", "3") and f"/{tail}" in READ_POSTS


def retryable(method: str, status: int) -> bool:
    """429 is always safe to retry (Jira did nothing). A 5xx on a POST may hide a committed create,
    so POSTs are not retried blindly: the applier looks the object up by name instead."""
    if status == 429:
        return True
    return status in RETRY_STATUSES and method != "POST"

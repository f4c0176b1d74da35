"""How many requests may be in flight: a limit that adapts to what Jira answers (AIMD).

The limit grows by one for each limit's worth of answered requests (additive increase, about one
more request in flight per round trip) up to a ceiling, and halves when Jira says it is overloaded:
429 (rate limited) or 503 (a resource limit) (multiplicative decrease). Only requests sent after
the last decrease can halve it again, so one burst of 429s counts as one signal. A 429's
``Retry-After`` (else ``X-RateLimit-Reset``) pauses, until then, the requests its limit covers,
as ``RateLimit-Reason`` names it (Atlassian, "Build an app that respects rate limits"): a burst
limit (``jira-burst-based``) is per endpoint and method, so only requests to that endpoint wait;
a per-issue write limit (``jira-per-issue-on-write``) only writes to that issue; a quota, or a
429 that names no reason, every request (Jira answers a request retried early with the same or a
longer wait). A 503's ``Retry-After`` delays only the retry of that request.
``X-RateLimit-NearLimit: true`` (under 20% of the budget left) holds the limit where it is.
"""

from __future__ import annotations

import email.utils
import math
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

THROTTLED = frozenset({429, 503})
MAX_PAUSE = 60.0  # seconds: a reset further away is Jira's hourly quota, not ours to sleep off
Scopes = dict[str, str]  # RateLimit-Reason -> the key of what a 429 with it pauses (see scopes)
_IDS = re.compile(r"/(?:\d+|customfield_\d+|[A-Z][A-Z0-9_]*-\d+)(?=/|$)")
_ISSUE = re.compile(r"/issue/([^/]+)")


class AdaptiveLimit:
    def __init__(self, ceiling: int, start: int | None = None, *, floor: int = 1) -> None:
        self.ceiling, self.floor = max(1, ceiling), max(1, floor)
        self.limit = float(min(self.ceiling, max(self.floor, start or self.ceiling)))
        self.in_flight = self.peak = self.decreases = 0
        self.paused_until = 0.0  # time.monotonic()
        self.paused = 0.0  # seconds every request was held by a pause, in all (for benchmarks)
        self._scoped: dict[str, float] = {}  # scope key -> paused until (see scopes)
        self._epoch = 0  # counts decreases: a request sent before the last one can't decrease
        self._cond = threading.Condition()

    def acquire(
        self,
        sleep: Callable[[float], None],
        ready_at: float | None = None,
        scopes: Scopes | None = None,
    ) -> int:
        """Wait for a free slot and for any pause; returns the epoch to pass to ``release``.
        ``ready_at``: when the caller's own wait (already slept) ends, on the monotonic clock;
        ``scopes``: the request's (``scopes``), for the pauses of limits narrower than the site."""
        until = max(
            [self.paused_until, *(self._scoped.get(k, 0.0) for k in (scopes or {}).values())]
        )
        pause = until - max(ready_at or 0.0, time.monotonic())
        if pause > 0:
            sleep(pause)
        with self._cond:
            while self.in_flight >= int(self.limit):
                self._cond.wait()
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            return self._epoch

    def release(
        self, epoch: int, response: httpx.Response | None, scopes: Scopes | None = None
    ) -> None:
        with self._cond:
            self.in_flight -= 1
            if response is not None and response.status_code in THROTTLED:
                self._throttled(epoch, response, scopes or {})
            elif response is not None and not _near_limit(response):
                self.limit = min(float(self.ceiling), self.limit + 1 / self.limit)
            self._cond.notify_all()

    def _throttled(self, epoch: int, response: httpx.Response, scopes: Scopes) -> None:
        if epoch == self._epoch:
            self.limit = max(float(self.floor), self.limit / 2)
            self._epoch += 1
            self.decreases += 1
        wait = pause_of(response) if response.status_code == 429 else None
        if wait:
            self._pause(
                min(wait, MAX_PAUSE), scopes.get(response.headers.get("RateLimit-Reason", ""))
            )

    def _pause(self, wait: float, scope: str | None) -> None:
        """Hold the requests of ``scope`` (None: every request) for ``wait`` seconds."""
        now = time.monotonic()
        until = now + wait
        if scope is not None:
            self._scoped = {k: t for k, t in self._scoped.items() if t > now}  # the past goes
            self._scoped[scope] = max(self._scoped.get(scope, 0.0), until)
            return
        self.paused += max(0.0, until - max(self.paused_until, now))
        self.paused_until = max(self.paused_until, until)


def scopes(method: str, path: str) -> Scopes:
    """What a 429 for this request pauses, by the limit its ``RateLimit-Reason`` names: a burst
    limit, this endpoint (ids and issue keys in the path left out) and method; a per-issue write
    limit, writes to this issue. Other reasons are not here: they pause every request."""
    endpoint = f"{method} {_IDS.sub('/{id}', path)}"
    issue = _ISSUE.search(path)
    written = f"writes to issue {issue.group(1)}" if issue and method != "GET" else endpoint
    return {"jira-burst-based": endpoint, "jira-per-issue-on-write": written}


def pause_of(response: httpx.Response) -> float | None:
    """Seconds Jira asks to wait: ``Retry-After``, else until ``X-RateLimit-Reset``."""
    found = parse_retry_after(response.headers.get("Retry-After"))
    if found is not None:
        return found
    reset = response.headers.get("X-RateLimit-Reset")
    if not reset:
        return None
    try:
        when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, when.timestamp() - time.time())


def _near_limit(response: httpx.Response) -> bool:
    return bool(response.headers.get("X-RateLimit-NearLimit", "").lower() == "true")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds in ``Retry-After``: a number or an HTTP date; None for anything else (garbage is
    ignored, and the usual backoff applies)."""
    if not value:
        return None
    try:
        seconds = float(value)
        return max(0.0, seconds) if math.isfinite(seconds) else None
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return max(0.0, parsed.timestamp() - time.time())

"""How many requests may be in flight: a limit that adapts to what Jira answers (AIMD).

The limit grows by one for each limit's worth of answered requests (additive increase, about one
more request in flight per round trip) up to a ceiling, and halves when Jira says it is overloaded:
429 (rate limited) or 503 (a resource limit) (multiplicative decrease). One burst of throttles is
one signal: only a request sent after the last decrease can halve the limit again, and not before
the ``Retry-After`` of the answer that halved it has passed (Jira says how long the condition
lasts; answers within it are the same condition, and a lone fault among many answers does not
starve the rest).

A 429 is scoped by the limit its ``RateLimit-Reason`` names (Atlassian, "Build an app that respects
rate limits"): a burst limit (``jira-burst-based``) is per endpoint and method, "slow down requests
to that endpoint only"; a per-issue write limit (``jira-per-issue-on-write``), writes to that issue.
Such a 429 halves a limit of that scope alone (a *window*, made at the site's limit when first
throttled and dropped once it has grown back to the ceiling), so the rest of the site runs on, and
the request itself is sent again after its ``Retry-After`` (the transport waits it out; Jira answers
a request retried early with the same or a longer wait). A quota, or a 429 that names no reason,
halves the site's limit and pauses every request until its ``Retry-After`` (else
``X-RateLimit-Reset``). A 503's ``Retry-After`` delays only the retry of that request.
``X-RateLimit-NearLimit: true`` (under 20% of the budget left) holds the limit where it is.
"""

from __future__ import annotations

import email.utils
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

THROTTLED = frozenset({429, 503})
MAX_PAUSE = 60.0  # seconds: a reset further away is Jira's hourly quota, not ours to sleep off
Scopes = dict[str, str]  # RateLimit-Reason -> the key of the scope a 429 with it slows (scopes)
_IDS = re.compile(r"/(?:\d+|customfield_\d+|[A-Z][A-Z0-9_]*-\d+)(?=/|$)")
_ISSUE = re.compile(r"/issue/([^/]+)")


@dataclass
class Window:
    """One AIMD limit: the site's, or one scope's (an endpoint, an issue's writes)."""

    limit: float
    epoch: int = 0  # counts decreases: a request sent before the last one can't decrease
    calm_until: float = 0.0  # nor can a throttle within the Retry-After of the last one

    def grow(self, ceiling: int) -> None:
        self.limit = min(float(ceiling), self.limit + 1 / self.limit)

    def shrink(self, epoch: int, floor: int, wait: float | None) -> bool:
        """Halve, unless the throttle belongs to the signal that last halved it."""
        now = time.monotonic()
        if epoch != self.epoch or now < self.calm_until:
            return False
        self.limit = max(float(floor), self.limit / 2)
        self.epoch += 1
        self.calm_until = now + min(wait or 0.0, MAX_PAUSE)
        return True


@dataclass
class Ticket:
    """What ``acquire`` counted a request in: its scope keys, the site's epoch and the epochs of
    the windows its scopes had then."""

    keys: list[str]
    epoch: int
    windows: dict[str, int] = field(default_factory=dict)  # scope key -> that window's epoch
    live: bool = True  # not released yet


class AdaptiveLimit:
    def __init__(self, ceiling: int, start: int | None = None, *, floor: int = 1) -> None:
        self.ceiling, self.floor = max(1, ceiling), max(1, floor)
        self.site = Window(float(min(self.ceiling, max(self.floor, start or self.ceiling))))
        self.in_flight = self.peak = self.decreases = 0
        self.paused_until = 0.0  # time.monotonic()
        self.paused = 0.0  # seconds every request was held by a pause, in all (for benchmarks)
        self.busy = 0.0  # request-seconds in flight, in all: over a wall time, the mean in flight
        self._since = time.monotonic()  # when in_flight last changed
        self.windows: dict[str, Window] = {}  # scope key -> its own limit, while it is lower
        self.scoped: Counter[str] = Counter()  # scope key -> its requests in flight
        self._cond = threading.Condition()

    @property
    def limit(self) -> float:
        return self.site.limit

    def acquire(
        self,
        sleep: Callable[[float], None],
        ready_at: float | None = None,
        scopes: Scopes | None = None,
    ) -> Ticket:
        """Wait for any pause and for a free slot (the site's and its scopes'); returns the
        ticket to pass to ``release``. ``ready_at``: when the caller's own wait (already slept)
        ends, on the monotonic clock; ``scopes``: the request's (``scopes``). A pause that
        begins while the request waits for a slot holds it too."""
        seen = self.paused_until
        pause = seen - max(ready_at or 0.0, time.monotonic())
        if pause > 0:
            sleep(pause)
        keys = sorted(set((scopes or {}).values()))
        with self._cond:
            while (held := self._held(keys, seen)) is not None:
                self._cond.wait(held or None)
            return self._count_in(keys)

    def _held(self, keys: list[str], seen: float) -> float | None:
        """None when the request may go; else how long to wait at most (0: until a release)."""
        newly = self.paused_until - time.monotonic() if self.paused_until > seen else 0.0
        if newly > 0:
            return newly
        full = self.in_flight >= int(self.site.limit) or any(
            self.scoped[k] >= int(self.windows[k].limit) for k in keys if k in self.windows
        )
        return 0.0 if full else None

    def _count_in(self, keys: list[str]) -> Ticket:
        self._count_busy()
        self.in_flight += 1
        self.scoped.update(keys)
        self.peak = max(self.peak, self.in_flight)
        windows = {k: self.windows[k].epoch for k in keys if k in self.windows}
        return Ticket(keys, self.site.epoch, windows)

    def release(
        self, ticket: Ticket, response: httpx.Response | None, scopes: Scopes | None = None
    ) -> None:
        with self._cond:
            if not ticket.live:
                raise RuntimeError("a request released twice")
            ticket.live = False
            self._count_busy()
            self.in_flight -= 1
            for key in ticket.keys:
                self.scoped[key] -= 1
                if not self.scoped[key]:
                    del self.scoped[key]  # one key per issue written: none may pile up
            if response is not None and response.status_code in THROTTLED:
                self._throttled(ticket, response, scopes or {})
            elif response is not None and not _near_limit(response):
                self._grow(ticket)
            self._cond.notify_all()

    def _grow(self, ticket: Ticket) -> None:
        self.site.grow(self.ceiling)
        for key in [k for k in ticket.windows if k in self.windows]:
            self.windows[key].grow(self.ceiling)
            if self.windows[key].limit >= self.ceiling:
                del self.windows[key]  # grown back: the site's limit is enough

    def _count_busy(self) -> None:
        now = time.monotonic()
        self.busy += self.in_flight * (now - self._since)
        self._since = now

    def _throttled(self, ticket: Ticket, response: httpx.Response, scopes: Scopes) -> None:
        wait = pause_of(response)
        scope = scopes.get(response.headers.get("RateLimit-Reason", ""))
        if response.status_code == 429 and scope is not None:
            self._shrink_scope(scope, ticket, wait)
            return
        if self.site.shrink(ticket.epoch, self.floor, wait):
            self.decreases += 1
        if response.status_code == 429 and wait:
            self._pause(min(wait, MAX_PAUSE))

    def _shrink_scope(self, scope: str, ticket: Ticket, wait: float | None) -> None:
        """Halve the scope's own window: one made at the site's limit on the scope's first
        signal (its requests still in flight count against it at once)."""
        window, epoch = self.windows.get(scope), ticket.windows.get(scope, -1)
        if window is None:
            window = self.windows[scope] = Window(self.site.limit)
            epoch = window.epoch
        if window.shrink(epoch, self.floor, wait):
            self.decreases += 1

    def _pause(self, wait: float) -> None:
        """Hold every request for ``wait`` seconds."""
        now = time.monotonic()
        until = now + wait
        self.paused += max(0.0, until - max(self.paused_until, now))
        self.paused_until = max(self.paused_until, until)


def scopes(method: str, path: str) -> Scopes:
    """What a 429 for this request slows, by the limit its ``RateLimit-Reason`` names: a burst
    limit, this endpoint (ids and issue keys in the path left out) and method; a per-issue write
    limit, writes to this issue. Other reasons are not here: they slow and pause every request."""
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

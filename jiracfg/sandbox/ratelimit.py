"""A cost-based rate limiter shaped like Jira Cloud's (off unless ``sandbox serve --rate-limit``).

Jira Cloud meters REST traffic by cost against a budget per time window and answers a request
over it with ``429``, ``Retry-After`` (whole seconds; a request retried earlier gets the same or a
longer wait), ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` (ISO 8601,
``yyyy-MM-ddTHH:mmZ``), ``RateLimit-Reason`` and Jira's error body; every admitted answer carries
``X-RateLimit-Limit``/``-Remaining`` and ``X-RateLimit-NearLimit: true`` once under 20% of the
budget is left (developer.atlassian.com/cloud/jira/platform/rate-limiting).

Here the budget is a token bucket: ``budget`` cost units that refill evenly over ``window``
seconds, so a client can spend at most ``budget / window`` units a second after the first full
bucket. A read costs 1, a write (POST, PUT, DELETE) 2. A refused request costs nothing.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiracfg.sandbox.faults import plain_response

WRITE_COST, READ_COST = 2, 1
NEAR_LIMIT = 0.2  # share of the budget left under which Jira says X-RateLimit-NearLimit: true
BODY = b'{"errorMessages":["Rate limit exceeded."],"errors":{}}'


@dataclass
class RateBudget:
    budget: float  # cost units per window
    window: float = 1.0  # seconds
    tokens: float = field(init=False)
    stamp: float = field(init=False, default_factory=time.monotonic)
    admitted: int = 0
    refused: int = 0
    spent: float = 0.0  # cost of the admitted requests

    def __post_init__(self) -> None:
        self.tokens = self.budget

    def take(self, cost: float) -> float:
        """Admit a request (0.0) or say how many seconds until its cost is there."""
        now = time.monotonic()
        self.tokens = min(self.budget, self.tokens + (now - self.stamp) * self.budget / self.window)
        self.stamp = now
        if self.tokens >= cost:
            self.tokens -= cost
            self.admitted += 1
            self.spent += cost
            return 0.0
        self.refused += 1
        return (cost - self.tokens) * self.window / self.budget


def cost_of(method: str) -> int:
    return READ_COST if method in ("GET", "HEAD", "OPTIONS") else WRITE_COST


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, budget: RateBudget) -> None:
        self.app = app
        self.budget = budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wait = self.budget.take(cost_of(scope["method"]))
        if wait:
            await self._refuse(send, wait)
            return
        headers = self._headers()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, with_headers)

    def _headers(self) -> list[tuple[bytes, bytes]]:
        left = max(0, math.floor(self.budget.tokens))
        pairs = [
            ("x-ratelimit-limit", str(int(self.budget.budget))),
            ("x-ratelimit-remaining", str(left)),
        ]
        if left < NEAR_LIMIT * self.budget.budget:
            pairs.append(("x-ratelimit-nearlimit", "true"))
        return [(k.encode(), v.encode()) for k, v in pairs]

    async def _refuse(self, send: Send, wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        reset = (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%MZ")
        pairs = {
            "retry-after": str(seconds),
            "x-ratelimit-limit": str(int(self.budget.budget)),
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": reset,
            "ratelimit-reason": "jira-quota-tenant-based",
        }
        await plain_response(send, 429, BODY, [(k.encode(), v.encode()) for k, v in pairs.items()])

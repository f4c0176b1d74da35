"""Fault injection, reproducible from a seed: latency, 429 + Retry-After, 5xx, lost write
responses."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from starlette.types import ASGIApp, Message, Receive, Scope, Send

WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})


@dataclass
class FaultConfig:
    latency_ms: float = 0.0
    rate: float = 0.0
    seed: int = 0
    retry_after: int = 1  # the Retry-After of an injected 429 or 503, in seconds
    rng: random.Random = field(init=False)
    injected: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def pick(self, method: str) -> str | None:
        """The fault for the next request, or None: 429, 503, 500, or 'lost' (writes only)."""
        if self.rate <= 0 or self.rng.random() >= self.rate:
            return None
        choices = ["429", "503", "500"] + (["lost", "lost"] if method in WRITE_METHODS else [])
        fault = self.rng.choice(choices)
        self.injected[fault] = self.injected.get(fault, 0) + 1
        return fault


class FaultMiddleware:
    def __init__(self, app: ASGIApp, config: FaultConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.config.latency_ms:
            await asyncio.sleep(self.config.latency_ms / 1000)
        fault = self.config.pick(scope["method"])
        if fault == "lost":
            await self.app(scope, receive, _discard)
            await plain_response(send, 504, b"<html><body>Gateway Timeout</body></html>", [])
        elif fault == "429":
            await plain_response(
                send,
                429,
                b'{"errorMessages":["Rate limit exceeded."],"errors":{}}',
                self._rate_headers(),
            )
        elif fault in ("503", "500"):
            body = b'{"errorMessages":["Internal server error"],"errors":{}}'
            wait = [(b"retry-after", str(self.config.retry_after).encode())]
            await plain_response(send, int(fault), body, wait if fault == "503" else [])
        else:
            await self.app(scope, receive, send)

    def _rate_headers(self) -> list[tuple[bytes, bytes]]:
        reset = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%MZ")
        pairs = {
            "retry-after": str(self.config.retry_after),
            "x-ratelimit-limit": "100",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": reset,
            "x-ratelimit-nearlimit": "true",
            "ratelimit-reason": "jira-burst-based",
        }
        return [(k.encode(), v.encode()) for k, v in pairs.items()]


async def _discard(message: Message) -> None:
    return None


async def plain_response(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    kind = b"text/html" if body.startswith(b"<") else b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})

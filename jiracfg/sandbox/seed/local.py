"""An in-process REST client for seeds: every seeded object goes through the sandbox's own routes,
so seeds obey each constraint the routes enforce."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlencode

from jiracfg.sandbox.app import create_app
from jiracfg.sandbox.routes.core import ADMIN
from jiracfg.sandbox.store import Store


class SeedError(RuntimeError):
    pass


JSON = [(b"content-type", b"application/json")]
CREDENTIALS = base64.b64encode(f"{ADMIN['emailAddress']}:{ADMIN['token']}".encode())


class Local:
    """Calls the sandbox's ASGI app directly, in process (no sockets, no HTTP client)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.app = create_app(store, audit=False)
        self.loop = asyncio.new_event_loop()

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Send one request; raise SeedError on any 4xx/5xx (a seed must be valid Jira input)."""
        payload = b"" if body is None else json.dumps(body).encode()
        return self.send(method, path, payload, JSON, params)

    def upload(self, path: str, filename: str, data: bytes, mime: str) -> Any:
        """A multipart upload (field ``file``) with the header Jira requires on it."""
        boundary = "sandbox-seed-boundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"'
            f"\r\nContent-Type: {mime}\r\n\r\n"
        )
        payload = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
        headers = [
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
            (b"x-atlassian-token", b"no-check"),
            (b"content-length", str(len(payload)).encode()),
        ]
        return self.send("POST", path, payload, headers, {})

    def send(
        self,
        method: str,
        path: str,
        payload: bytes,
        headers: list[tuple[bytes, bytes]],
        params: dict[str, Any],
    ) -> Any:
        full = path if path.startswith("/rest/") else "/rest/api/3" + path
        status, raw = self.loop.run_until_complete(
            self._send(method, full, payload, headers, params)
        )
        if status >= 400:
            raise SeedError(f"{method} {full}: {status} {raw[:300]!r}")
        return json.loads(raw) if raw else None

    async def _send(
        self,
        method: str,
        path: str,
        payload: bytes,
        headers: list[tuple[bytes, bytes]],
        params: dict[str, Any],
    ) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": method,
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "scheme": "http",
            "query_string": urlencode(params, doseq=True).encode(),
            "server": ("sandbox.local", 80),
            "client": ("127.0.0.1", 0),
            "headers": [
                (b"host", b"sandbox.local"),
                (b"authorization", b"Basic " + CREDENTIALS),
                *headers,
            ],
        }
        answer: dict[str, Any] = {"status": 500, "body": b""}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": payload, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            else:
                answer["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return int(answer["status"]), bytes(answer["body"])

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)

    def post(self, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("POST", path, body, **params)

    def put(self, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("PUT", path, body, **params)

    def delete(self, path: str, **params: Any) -> Any:
        return self.call("DELETE", path, **params)

    def ids(self, path: str, key: str | None = None, **params: Any) -> dict[str, str]:
        """Name -> id of a list endpoint (plain array, PageBean ``values`` or ``key`` wrapper)."""
        data = self.get(path, **params)
        items = data if isinstance(data, list) else data[key or "values"]
        return {str(i["name"]): str(i["id"]) for i in items}

    def close(self) -> None:
        self.loop.close()

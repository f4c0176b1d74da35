"""An in-process REST client for seeds: every seeded object goes through the sandbox's own routes,
so seeds obey each constraint the routes enforce."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from jiracfg.sandbox.app import create_app
from jiracfg.sandbox.routes.core import ADMIN
from jiracfg.sandbox.store import Store


class SeedError(RuntimeError):
    pass


class Local:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.http = TestClient(create_app(store), base_url="http://sandbox.local",
                               follow_redirects=False)
        self.http.auth = (ADMIN["emailAddress"], ADMIN["token"])

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Send one request; raise SeedError on any 4xx/5xx (a seed must be valid Jira input)."""
        full = path if path.startswith("/rest/") else "/rest/api/3" + path
        response = self.http.request(method, full, json=body, params=params or None)
        if response.status_code >= 400:
            raise SeedError(f"{method} {full}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)

    def post(self, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("POST", path, body, **params)

    def put(self, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("PUT", path, body, **params)

    def ids(self, path: str, key: str | None = None, **params: Any) -> dict[str, str]:
        """Name -> id of a list endpoint (plain array, PageBean ``values`` or ``key`` wrapper)."""
        data = self.get(path, **params)
        items = data if isinstance(data, list) else data[key or "values"]
        return {str(i["name"]): str(i["id"]) for i in items}

    def close(self) -> None:
        self.http.close()

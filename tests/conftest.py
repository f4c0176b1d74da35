"""Shared fixtures: real sandbox servers on loopback ports, clients for them, spec checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from jiracfg.client import JiraClient
from jiracfg.sandbox.seed import seed
from jiracfg.sandbox.server import EMAIL, TOKEN, SandboxOptions, SandboxServer
from jiracfg.sandbox.store import Store
from tests.openapi import assert_conforms

_TEMPLATES: dict[tuple[str, float], Store] = {}


def seeded_store(name: str = "empty", scale: float = 1.0) -> Store:
    """A fresh in-memory store with ``name`` seeded (seeded once per session, then copied)."""
    key = (name, scale)
    if key not in _TEMPLATES:
        template = Store()
        seed(template, name, scale)
        _TEMPLATES[key] = template
    return _TEMPLATES[key].copy_to(":memory:")


StartSandbox = Callable[..., SandboxServer]


@pytest.fixture
def start_sandbox() -> Iterator[StartSandbox]:
    """Start sandboxes: ``start_sandbox(seed="demo", fault_rate=0.1, ...)``; stopped after the
    test."""
    servers: list[SandboxServer] = []

    def start(seed: str = "empty", store: Store | None = None, **options: Any) -> SandboxServer:
        opts = SandboxOptions(seed=seed, **options)
        server = SandboxServer(store or seeded_store(seed, opts.scale), opts).start()
        servers.append(server)
        return server

    yield start
    for server in servers:  # stopping takes uvicorn ~0.2 s: each finishes in its own thread
        server.stop(wait=False)


@pytest.fixture
def sandbox(start_sandbox: StartSandbox) -> SandboxServer:
    return start_sandbox("empty")


@pytest.fixture
def demo_sandbox(start_sandbox: StartSandbox) -> SandboxServer:
    return start_sandbox("demo")


class Api:
    """A raw HTTP client for sandbox tests; ``checked`` responses are validated against the spec."""

    def __init__(self, server: SandboxServer) -> None:
        self.http = httpx.Client(base_url=server.url, auth=(EMAIL, TOKEN), timeout=30)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        full = path if path.startswith("/rest/") else "/rest/api/3" + path
        return self.http.request(method, full, **kwargs)

    def checked(self, method: str, path: str, status: int, **kwargs: Any) -> Any:
        """Call, assert the status code, validate the body against the spec, return the JSON."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.text[:500])
        if not response.content:
            return None
        return assert_conforms(response)

    def error(self, method: str, path: str, status: int, **kwargs: Any) -> dict[str, Any]:
        """Call, expect a Jira ErrorCollection with ``status``; return the body."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.text[:500])
        body: dict[str, Any] = response.json()
        assert set(body) >= {"errorMessages", "errors"}, body
        assert body["errorMessages"] or body["errors"], body
        return body


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.http.close()


@pytest.fixture
def demo_api(demo_sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(demo_sandbox)
    yield client
    client.http.close()


_CLIENTS: list[JiraClient] = []


def client_for(server: SandboxServer, **kwargs: Any) -> JiraClient:
    """A client for ``server``, closed (connections, threads) after the test that made it."""
    jira = JiraClient(server.url, EMAIL, TOKEN, **kwargs)
    _CLIENTS.append(jira)
    return jira


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[JiraClient]:
    jira = client_for(sandbox)
    yield jira
    jira.close()


@pytest.fixture
def demo_client(demo_sandbox: SandboxServer) -> Iterator[JiraClient]:
    jira = client_for(demo_sandbox)
    yield jira
    jira.close()


def create_project(api: Api, key: str = "ENG", **extra: Any) -> str:
    """A software project (on the default schemes unless ``extra`` names others); its id."""
    body = {
        "key": key,
        "name": f"Project {key}",
        "projectTypeKey": "software",
        "leadAccountId": "557058:admin",
        **extra,
    }
    return str(api.checked("POST", "/project", 201, json=body)["id"])


@pytest.fixture
def two_projects(api: Api) -> tuple[str, str]:
    return create_project(api, "ALPHA"), create_project(api, "BETA")

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from jiracfg.kinds.app_property import ConnectJwt
from jiracfg.sandbox.routes import apps
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, StartSandbox, seeded_store

TIMEKEEPER, DIAGRAMS = apps.DEMO_APPS
BASE = f"/rest/atlassian-connect/1/addons/{TIMEKEEPER['key']}/properties"


@pytest.fixture
def apps_sandbox(start_sandbox: StartSandbox) -> SandboxServer:
    store = seeded_store("empty")
    apps.seed_demo_apps(store)
    return start_sandbox("empty", store=store)


@pytest.fixture
def admin(apps_sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(apps_sandbox)
    yield client
    client.http.close()


@pytest.fixture
def app(apps_sandbox: SandboxServer) -> Iterator[Api]:
    """Calls signed as the Timekeeper app with its shared secret."""
    client = Api(apps_sandbox)
    client.http.auth = ConnectJwt(TIMEKEEPER["key"], TIMEKEEPER["sharedSecret"])
    yield client
    client.http.close()


def test_upm_lists_installed_apps_and_system_plugins(admin: Api, api: Api) -> None:
    plugins = admin.checked("GET", "/rest/plugins/1.0/", 200)["plugins"]
    installed = {p["key"]: p["name"] for p in plugins if p["userInstalled"]}
    assert installed == {TIMEKEEPER["key"]: TIMEKEEPER["name"], DIAGRAMS["key"]: DIAGRAMS["name"]}
    assert len(plugins) == 4
    fresh = api.checked("GET", "/rest/plugins/1.0/", 200)["plugins"]
    assert fresh and not any(p["userInstalled"] for p in fresh)


def test_the_app_reads_its_seeded_properties(app: Api) -> None:
    listed = app.checked("GET", BASE, 200)["keys"]
    assert [k["key"] for k in listed] == ["approval-enabled", "settings"]
    assert listed[1]["self"].endswith(f"{BASE}/settings")
    got = app.checked("GET", f"{BASE}/settings", 200)
    assert (got["key"], got["value"]) == ("settings", TIMEKEEPER["properties"]["settings"])


def test_put_creates_then_updates_and_delete_removes(app: Api) -> None:
    path = f"{BASE}/billing rules"
    assert app.checked("PUT", path, 201, json=[1, "two"]) == {
        "message": "Property created.",
        "statusCode": 201,
    }
    assert app.checked("PUT", path, 200, json={"x": None})["statusCode"] == 200
    assert app.checked("GET", path, 200)["value"] == {"x": None}
    app.checked("DELETE", path, 204)
    assert app.checked("GET", path, 404)["message"] == "Property with key not found."
    app.checked("DELETE", path, 404)


def test_an_admin_user_is_refused_as_jira_does(admin: Api) -> None:
    for method, path in (("GET", BASE), ("GET", f"{BASE}/settings"), ("DELETE", f"{BASE}/x")):
        refused = admin.checked(method, path, 401)
        assert refused["message"] == "Access to this resource must be authenticated as an app."
    admin.checked("PUT", f"{BASE}/settings", 401, json=1)


def test_another_app_gets_404(app: Api) -> None:
    other = f"/rest/atlassian-connect/1/addons/{DIAGRAMS['key']}/properties"
    for method, path in (("GET", other), ("PUT", f"{other}/defaults")):
        refused = app.call(method, path, json={})
        assert (refused.status_code, refused.json()["statusCode"]) == (404, 404)
    app.checked("GET", f"{other}/defaults", 404)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"{nope", "valid JSON"), (b'"' + b"x" * 32767 + b'"', "32768")],
)
def test_put_refuses_bad_values(app: Api, content: bytes, reason: str) -> None:
    refused = app.checked("PUT", f"{BASE}/k", 400, content=content)
    assert reason in refused["message"]
    app.checked("GET", f"{BASE}/k", 404)


def test_keys_longer_than_127_are_refused(app: Api) -> None:
    assert "127" in app.checked("PUT", f"{BASE}/{'k' * 128}", 400, json=1)["message"]
    app.checked("PUT", f"{BASE}/{'k' * 127}", 201, json=1)


def jwt_call(server: SandboxServer, auth: httpx.Auth, path: str = BASE) -> int:
    with httpx.Client(base_url=server.url, auth=auth) as http:
        return http.get(path).status_code


class Tampered(ConnectJwt):
    """Signs one request but sends it to another path (a wrong ``qsh``)."""

    def auth_flow(self, request: httpx.Request) -> Any:
        signed = httpx.Request("GET", request.url.copy_with(path=BASE + "/other"))
        next(super().auth_flow(signed))
        request.headers["Authorization"] = signed.headers["Authorization"]
        yield request


def test_jwt_must_be_signed_fresh_and_for_this_request(apps_sandbox: SandboxServer) -> None:
    key, secret = TIMEKEEPER["key"], TIMEKEEPER["sharedSecret"]
    assert jwt_call(apps_sandbox, ConnectJwt(key, secret)) == 200
    assert jwt_call(apps_sandbox, ConnectJwt(key, "wrong-secret")) == 401
    assert jwt_call(apps_sandbox, ConnectJwt("com.example.unknown", secret)) == 401
    assert jwt_call(apps_sandbox, Tampered(key, secret)) == 401
    assert jwt_call(apps_sandbox, ConnectJwt(key, secret, ttl=-5)) == 401

"""Unit tests of JiraClient with mock transports: paging shapes, tasks, errors, secrets, safety."""

from __future__ import annotations

import threading
import traceback
from typing import Any

import httpx
import pytest

from jiracfg.client import JiraClient, redact
from jiracfg.errors import (
    ConflictError,
    ConnectionSettingsError,
    JiraApiError,
    NotFoundError,
    TaskFailedError,
)

SECRET = "s3cr3t-token-value"


def client_with(handler: Any, **kw: Any) -> JiraClient:
    return JiraClient(
        "https://acme.atlassian.net",
        "a@example.com",
        SECRET,
        transport=httpx.MockTransport(handler),
        retry_base_delay=0.0,
        **kw,
    )


def pagebean(items: list[int], cap: int, total: bool = True) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("startAt", 0))
        chunk = items[start : start + cap]
        body: dict[str, Any] = {
            "startAt": start,
            "maxResults": cap,
            "values": chunk,
            "isLast": start + cap >= len(items),
        }
        if total:
            body["total"] = len(items)
        return httpx.Response(200, json=body)

    return handler


@pytest.mark.parametrize("total", [True, False])
def test_paged_follows_the_servers_effective_page_size(total: bool) -> None:
    items = list(range(237))
    jira = client_with(pagebean(items, cap=50, total=total))
    assert list(jira.paged("/statuses/search", page_size=200)) == items
    assert jira.counter.requests == 5


def test_paged_single_page_costs_one_request() -> None:
    jira = client_with(pagebean([1, 2, 3], cap=50))
    assert list(jira.paged("/x")) == [1, 2, 3] and jira.counter.requests == 1


def test_paged_asks_for_big_pages_unless_told() -> None:
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params.get("maxResults"))
        return httpx.Response(
            200, json={"startAt": 0, "maxResults": 50, "values": [1], "isLast": True}
        )

    jira = client_with(handler)
    for params in ({}, {"maxResults": 100}):
        list(jira.paged("/x", params))
    assert asked == ["1000", "100"]


def test_map_inside_the_pool_runs_inline_instead_of_deadlocking() -> None:
    jira = client_with(pagebean(list(range(30)), cap=10), concurrency=2)
    found: list[Any] = []  # each task pages, and paging maps: a nested map on a pool of 2
    work = threading.Thread(
        target=lambda: found.append(jira.map(lambda _: list(jira.paged("/x")), [1, 2, 3, 4])),
        daemon=True,
    )
    work.start()
    work.join(timeout=10)
    assert found == [[list(range(30))] * 4]  # a deadlocked pool never answers


def test_cursor_paging() -> None:
    pages = {None: ([1, 2], "t1"), "t1": ([3], None)}

    def handler(request: httpx.Request) -> httpx.Response:
        values, token = pages[request.url.params.get("nextPageToken")]
        return httpx.Response(200, json={"projects": {"values": values, "nextPageToken": token}})

    assert list(client_with(handler).cursor("/statuses/1/projectUsages", key="projects")) == [
        1,
        2,
        3,
    ]


def test_multi_value_params_repeat_the_key_and_booleans_are_lower_case() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.query.decode())
        return httpx.Response(200, json=[])

    client_with(handler).get("/statuses", {"id": ["1", "2"], "expand": True, "skip": None})
    assert seen == ["id=1&id=2&expand=true"]


def test_async_task_is_polled_until_complete() -> None:
    polls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            location = "https://acme.atlassian.net/rest/api/3/task/7"
            return httpx.Response(303, headers={"Location": location}, json={})
        polls.append(1)
        status = "RUNNING" if len(polls) < 3 else "COMPLETE"
        return httpx.Response(200, json={"id": "7", "status": status, "result": "ok"})

    assert client_with(handler).post("/workflowscheme/1/draft/publish") == "ok"
    assert len(polls) == 3


def test_failed_task_raises() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(303, headers={"Location": "/rest/api/3/task/9"}, json={})
        return httpx.Response(200, json={"id": "9", "status": "FAILED", "message": "in use"})

    with pytest.raises(TaskFailedError, match="in use"):
        client_with(handler).delete("/priority/3")


@pytest.mark.parametrize(
    ("status", "error"), [(404, NotFoundError), (409, ConflictError), (400, JiraApiError)]
)
def test_errors_carry_jiras_messages(status: int, error: type[JiraApiError]) -> None:
    body = {"errorMessages": ["Nope."], "errors": {"name": "taken"}}
    jira = client_with(lambda r: httpx.Response(status, json=body))
    with pytest.raises(error) as caught:
        jira.get("/status/1")
    assert caught.value.status == status
    assert "Nope." in str(caught.value) and "taken" in str(caught.value)


def test_the_token_never_shows_in_repr_errors_or_tracebacks() -> None:
    jira = client_with(lambda r: httpx.Response(401, json={"errorMessages": ["no"], "errors": {}}))
    with pytest.raises(JiraApiError) as caught:
        jira.get("/myself")
    shown = repr(jira) + str(caught.value) + "".join(traceback.format_exception(caught.value))
    assert SECRET not in shown


@pytest.mark.parametrize(
    "url", ["http://acme.atlassian.net", "http://10.0.0.5:8080", "ftp://x", "acme.atlassian.net"]
)
def test_credentials_are_refused_over_plain_http_to_non_loopback(url: str) -> None:
    with pytest.raises(ConnectionSettingsError):
        JiraClient(url, "a@example.com", SECRET)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://acme.atlassian.net"],
)
def test_https_and_loopback_are_allowed(url: str) -> None:
    JiraClient(url, "a@example.com", SECRET).close()


def test_from_env_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JIRA_URL", "https://acme.atlassian.net")
    with pytest.raises(ConnectionSettingsError, match="JIRA_EMAIL, JIRA_API_TOKEN"):
        JiraClient.from_env()


def test_map_keeps_order() -> None:
    jira = client_with(
        lambda r: httpx.Response(200, json=int(r.url.path.rsplit("/", 1)[1])), concurrency=3
    )
    assert jira.map(lambda i: jira.get(f"/x/{i}"), list(range(20))) == list(range(20))


def test_a_401_says_which_variables_and_where_to_make_a_token() -> None:
    body = {"errorMessages": ["Client must be authenticated"], "errors": {}}
    client = client_with(lambda r: httpx.Response(401, json=body))
    with pytest.raises(JiraApiError) as raised:
        client.get("/myself")
    assert "JIRA_API_TOKEN" in raised.value.hint and "id.atlassian.com" in raised.value.hint
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize("status", [200, 302, 403])
def test_a_web_page_instead_of_jira_names_the_url_problem(status: int) -> None:
    page = "<!DOCTYPE html><html><head><title>Sign in - Okta</title></head><body>x</body></html>"
    headers = {"Content-Type": "text/html; charset=utf-8"}
    client = client_with(lambda r: httpx.Response(status, text=page, headers=headers))
    with pytest.raises(ConnectionSettingsError) as raised:
        client.get("/status")
    text = str(raised.value)
    assert "with a web page titled 'Sign in - Okta'" in text and "JIRA_URL" in text
    assert "<html" not in text


def test_tls_to_a_plain_http_server_says_so() -> None:
    import http.server

    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_port}"
        client = JiraClient(url, "a@example.com", SECRET, retry_base_delay=0.0)
        with pytest.raises(ConnectionSettingsError) as raised:
            client.get("/status")
    finally:
        server.shutdown()
    assert "TLS handshake failed" in str(raised.value)


def test_a_webhook_secret_echoed_by_a_proxy_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy that echoes the request puts the secret in the error body: it never shows."""
    from jiracfg.kinds.webhook import read_secret

    monkeypatch.setenv("HOOK_SECRET", "whsec-echoed-123")
    body = {"name": "Deploy", "secret": read_secret("Deploy", "HOOK_SECRET")}
    jira = client_with(lambda r: httpx.Response(400, text=f"bad request: {r.content.decode()}"))
    with pytest.raises(JiraApiError) as caught:
        jira.post("/rest/webhooks/1.0/webhook", body)
    assert "whsec-echoed-123" not in str(caught.value) and "<redacted>" in str(caught.value)
    assert redact("Internal error: whsec-echoed-123") == "Internal error: <redacted>"


def test_credentials_in_the_url_are_never_sent_nor_shown() -> None:
    jira = JiraClient(
        "http://user:TOKEN-in-url@127.0.0.1:1", "a@example.com", SECRET, retry_base_delay=0.0
    )
    with pytest.raises(ConnectionSettingsError) as caught:
        jira.get("/myself")
    assert "cannot connect to http://127.0.0.1:1" in str(caught.value)
    assert "TOKEN-in-url" not in str(caught.value) + repr(jira) + jira.url

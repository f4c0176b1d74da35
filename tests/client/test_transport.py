"""Unit tests of the retrying transport, with a scripted mock transport (no server)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from jiracfg.client.transport import (
    Counter,
    RetryTransport,
    is_read_post,
    parse_retry_after,
    retryable,
)


def scripted(*answers: int | type[Exception]) -> tuple[httpx.MockTransport, list[str]]:
    """A transport answering each request with the next status (or raising the next error)."""
    seen: list[str] = []
    queue: Iterator[int | type[Exception]] = iter(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        answer = next(queue)
        if isinstance(answer, int):
            headers = {"Retry-After": "3"} if answer == 429 else {}
            return httpx.Response(answer, json={"errorMessages": [], "errors": {}}, headers=headers)
        raise answer("boom", request=request)

    return httpx.MockTransport(handler), seen


def send(
    transport: httpx.MockTransport,
    method: str = "GET",
    path: str = "/rest/api/3/status",
    **kw: object,
) -> tuple[httpx.Response, list[float], Counter]:
    sleeps: list[float] = []
    counter = Counter()
    retry = RetryTransport(transport, sleep=sleeps.append, counter=counter, base_delay=0.1, **kw)  # type: ignore[arg-type]
    with httpx.Client(transport=retry, base_url="http://127.0.0.1") as client:
        return client.request(method, path), sleeps, counter


def test_429_is_retried_after_retry_after_seconds() -> None:
    transport, seen = scripted(429, 429, 200)
    response, sleeps, counter = send(transport, "POST")
    assert response.status_code == 200 and seen == ["POST"] * 3
    assert sleeps == [3.0, 3.0]
    assert (counter.requests, counter.retries, counter.writes) == (3, 2, 3)


def test_5xx_on_get_is_retried_with_growing_jittered_backoff() -> None:
    transport, seen = scripted(503, 500, 502, 200)
    response, sleeps, _ = send(transport)
    assert response.status_code == 200 and len(seen) == 4
    for attempt, slept in enumerate(sleeps):
        assert 0.05 * 2**attempt <= slept <= 0.1 * 2**attempt


def test_5xx_on_post_is_not_retried_blindly() -> None:
    transport, seen = scripted(500, 200)
    response, sleeps, _ = send(transport, "POST")
    assert response.status_code == 500 and seen == ["POST"] and sleeps == []


def test_lost_response_on_put_is_retried_but_on_post_raised() -> None:
    transport, seen = scripted(httpx.ReadError, 204)
    response, _, _ = send(transport, "PUT")
    assert response.status_code == 204 and seen == ["PUT", "PUT"]
    transport, seen = scripted(httpx.ReadError, 201)
    with pytest.raises(httpx.ReadError):
        send(transport, "POST")
    assert seen == ["POST"]


def test_connection_refused_is_retried_for_any_method_then_raised() -> None:
    transport, seen = scripted(httpx.ConnectError, 201)
    assert send(transport, "POST")[0].status_code == 201
    transport, seen = scripted(*[httpx.ConnectError] * 3)
    with pytest.raises(httpx.ConnectError):
        send(transport, attempts=3)
    assert len(seen) == 3


def test_attempts_are_bounded_and_the_last_answer_returned() -> None:
    transport, seen = scripted(*[503] * 4)
    response, sleeps, _ = send(transport, attempts=4)
    assert response.status_code == 503 and len(seen) == 4 and len(sleeps) == 3


def test_backoff_is_capped() -> None:
    transport, _ = scripted(*[503] * 6, 200)
    _, sleeps, _ = send(transport, max_delay=0.5)
    assert max(sleeps) <= 0.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("7", 7.0), ("-3", 0.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_retryable() -> None:
    assert retryable("POST", 429) and retryable("GET", 503) and retryable("DELETE", 500)
    assert not retryable("POST", 503) and not retryable("GET", 404)


@pytest.mark.parametrize("path", ["/rest/api/3/search/approximate-count", "/rest/api/2/search/jql"])
def test_reads_sent_as_post_are_retried_like_gets(path: str) -> None:
    transport, seen = scripted(503, httpx.ReadError, 500, 200)
    response, sleeps, _ = send(transport, "POST", path)
    assert response.status_code == 200 and seen == ["POST"] * 4 and len(sleeps) == 3


def test_is_read_post() -> None:
    assert is_read_post("POST", "/rest/api/3/search/jql")
    assert is_read_post("POST", "/rest/api/3/workflows")
    assert not is_read_post("GET", "/rest/api/3/search/jql")
    assert not is_read_post("POST", "/rest/api/3/workflows/create")
    assert not is_read_post("POST", "/evil/rest/api/3/search/jql")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        ("-3", 0.0),
        ("soon", None),
        ("nan", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Mon, 99 Foo 2015 99:99:99 GMT", None),
        ("", None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date_and_garbage_is_ignored(
    value: str, expected: float | None
) -> None:
    from jiracfg.client.limit import parse_retry_after

    assert parse_retry_after(value) == expected


def test_a_garbage_retry_after_is_retried_with_the_usual_backoff() -> None:
    answers = iter([429, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return httpx.Response(status, json={}, headers={"Retry-After": "later, maybe"})

    from jiracfg.client import JiraClient

    client = JiraClient(
        "https://acme.atlassian.net",
        "a@example.com",
        "token",
        transport=httpx.MockTransport(handler),
        retry_base_delay=0.0,
    )
    assert client.get("/status") == {}
    assert client.counter.retries == 1

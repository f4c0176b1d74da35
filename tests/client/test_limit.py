"""The adaptive limit on requests in flight (AIMD), alone and under the retrying transport."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from jiracfg.client.limit import AdaptiveLimit, pause_of, scopes
from jiracfg.client.transport import RetryTransport


def answer(status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers)


def no_sleep(_: float) -> None:
    return None


def test_the_limit_grows_by_about_one_per_limits_worth_of_answers_up_to_the_ceiling() -> None:
    limit = AdaptiveLimit(ceiling=6, start=4)
    for _ in range(4):
        limit.release(limit.acquire(no_sleep), answer())
    assert int(limit.limit) == 4
    limit.release(limit.acquire(no_sleep), answer())
    assert int(limit.limit) == 5
    for _ in range(200):
        limit.release(limit.acquire(no_sleep), answer())
    assert limit.limit == 6


def test_a_burst_of_429s_halves_the_limit_once() -> None:
    limit = AdaptiveLimit(ceiling=16, start=16)
    epochs = [limit.acquire(no_sleep) for _ in range(8)]  # all sent before Jira said anything
    for epoch in epochs:
        limit.release(epoch, answer(429))
    assert limit.limit == 8 and limit.decreases == 1
    limit.release(limit.acquire(no_sleep), answer(503))  # sent after the decrease: a new signal
    assert limit.limit == 4 and limit.decreases == 2


def test_the_limit_never_drops_below_one_and_a_500_is_no_signal() -> None:
    limit = AdaptiveLimit(ceiling=4, start=1)
    limit.release(limit.acquire(no_sleep), answer(429))
    limit.release(limit.acquire(no_sleep), answer(500))
    assert limit.limit >= 1 and limit.decreases == 1


def test_near_limit_holds_the_limit() -> None:
    limit = AdaptiveLimit(ceiling=8, start=2)
    for _ in range(10):
        limit.release(limit.acquire(no_sleep), answer(**{"X-RateLimit-NearLimit": "true"}))
    assert limit.limit == 2


def test_retry_after_pauses_every_request_until_then() -> None:
    limit = AdaptiveLimit(ceiling=8, start=8)
    limit.release(limit.acquire(no_sleep), answer(429, **{"Retry-After": "5"}))
    slept: list[float] = []
    limit.release(limit.acquire(slept.append), answer())
    assert len(slept) == 1 and 4.5 < slept[0] <= 5.0
    slept.clear()
    limit.acquire(slept.append, ready_at=time.monotonic() + 5)  # already waited it out
    assert slept == []


def burst(reason: str, seconds: str = "5") -> httpx.Response:
    return answer(429, **{"Retry-After": seconds, "RateLimit-Reason": reason})


def waits(limit: AdaptiveLimit, method: str, path: str) -> bool:
    slept: list[float] = []
    limit.release(limit.acquire(slept.append, scopes=scopes(method, path)), answer())
    return bool(slept)


# endpoints as scope keys: ids left out (the API version's "3" too, which is harmless)
FIELDS = "POST /rest/api/{id}/screens/{id}/tabs/{id}/fields"
FIELD = "POST /rest/api/{id}/field"


def test_a_burst_limit_slows_only_its_endpoint_and_method() -> None:
    """Atlassian: jira-burst-based is per tenant, endpoint and HTTP method; slow down that endpoint
    only. Ids and issue keys in the path are the same endpoint. Nothing is paused: the throttled
    request alone waits out its Retry-After (the transport), the endpoint runs on at half."""
    limit, fields = AdaptiveLimit(ceiling=8, start=8), "/rest/api/3/screens/1/tabs/2/fields"
    scoped = scopes("POST", fields)
    limit.release(limit.acquire(no_sleep, scopes=scoped), burst("jira-burst-based"), scoped)
    assert {k: w.limit for k, w in limit.windows.items()} == {FIELDS: 4.0}
    assert limit.limit == 8 and limit.paused == 0.0 and limit.decreases == 1
    held = [
        limit.acquire(no_sleep, scopes=scopes("POST", f"/rest/api/3/screens/{n}/tabs/9/fields"))
        for n in range(4)
    ]
    fifth = threading.Thread(target=limit.acquire, args=(no_sleep, None, scoped))
    fifth.start()
    fifth.join(0.2)
    assert fifth.is_alive(), "a fifth request to the throttled endpoint did not wait"
    limit.acquire(no_sleep, scopes=scopes("GET", fields))  # other endpoints and methods go on
    limit.acquire(no_sleep, scopes=scopes("POST", "/rest/api/3/field"))
    limit.release(held[0], answer(), scoped)
    fifth.join(1)
    assert not fifth.is_alive() and limit.in_flight == 6


def test_a_new_window_counts_its_scopes_requests_already_in_flight() -> None:
    limit, scoped = AdaptiveLimit(ceiling=8, start=8), scopes("POST", "/rest/api/3/field")
    tickets = [limit.acquire(no_sleep, scopes=scoped) for _ in range(6)]
    limit.release(tickets.pop(), burst("jira-burst-based"), scoped)  # window 4, 5 in flight
    sixth = threading.Thread(target=limit.acquire, args=(no_sleep, None, scoped))
    sixth.start()
    sixth.join(0.2)
    assert sixth.is_alive(), "the window let a request in over its limit"
    for ticket in tickets[:2]:
        limit.release(ticket, answer(), scoped)
    sixth.join(1)
    assert not sixth.is_alive() and limit.scoped[FIELD] == 4


def test_a_request_released_twice_is_refused() -> None:
    limit = AdaptiveLimit(ceiling=2, start=2)
    ticket = limit.acquire(no_sleep)
    limit.release(ticket, answer())
    with pytest.raises(RuntimeError):
        limit.release(ticket, answer())
    assert limit.in_flight == 0


def test_a_pause_that_begins_while_a_request_waits_for_a_slot_holds_it() -> None:
    """A quota 429 while requests queue for a slot: none of them may go before its Retry-After."""
    limit = AdaptiveLimit(ceiling=1, start=1)
    first = limit.acquire(no_sleep)
    went: list[float] = []
    waiter = threading.Thread(
        target=lambda: went.append(time.monotonic()) if limit.acquire(no_sleep) else None
    )
    waiter.start()
    time.sleep(0.05)
    throttled = time.monotonic()
    limit.release(first, answer(429, **{"Retry-After": "0.4"}))
    waiter.join(2)
    assert went and went[0] - throttled >= 0.35


def test_a_scopes_window_grows_back_and_then_goes() -> None:
    limit, fields = (
        AdaptiveLimit(ceiling=8, start=8),
        scopes("POST", "/rest/api/3/screens/1/tabs/2/fields"),
    )
    limit.release(limit.acquire(no_sleep), burst("jira-burst-based"), fields)
    for _ in range(40):
        limit.release(limit.acquire(no_sleep, scopes=fields), answer(), fields)
    assert limit.windows == {} and limit.limit == 8


def test_a_per_issue_write_limit_slows_only_writes_to_that_issue() -> None:
    limit = AdaptiveLimit(ceiling=8, start=8)
    comment = scopes("POST", "/rest/api/3/issue/ENG-1/comment")
    limit.release(limit.acquire(no_sleep), burst("jira-per-issue-on-write"), comment)
    assert {k: w.limit for k, w in limit.windows.items()} == {"writes to issue ENG-1": 4.0}
    assert scopes("PUT", "/rest/api/3/issue/ENG-1")["jira-per-issue-on-write"] in limit.windows
    assert scopes("GET", "/rest/api/3/issue/ENG-1")["jira-per-issue-on-write"] not in limit.windows
    assert limit.limit == 8 and limit.paused == 0.0


def test_throttles_within_the_retry_after_of_a_decrease_are_the_same_signal() -> None:
    """A lone fault among many answers must not starve the rest: a decrease holds for the
    Retry-After Jira gave (here 0.2 s), then a new throttle is a new signal."""
    limit = AdaptiveLimit(ceiling=8, start=8)
    limit.release(limit.acquire(no_sleep), answer(503, **{"Retry-After": "0.2"}))
    limit.release(limit.acquire(no_sleep), answer(503, **{"Retry-After": "0.2"}))  # sent after
    assert limit.limit == 4 and limit.decreases == 1
    time.sleep(0.25)
    limit.release(limit.acquire(no_sleep), answer(503, **{"Retry-After": "0.2"}))
    assert limit.limit == 2 and limit.decreases == 2


def test_a_quota_or_a_429_without_a_reason_pauses_every_request() -> None:
    for reason in ("jira-quota-tenant-based", ""):
        limit = AdaptiveLimit(ceiling=8, start=8)
        field = scopes("POST", "/rest/api/3/field")
        limit.release(limit.acquire(no_sleep), burst(reason), field)
        assert waits(limit, "GET", "/rest/api/3/status") and limit.paused > 4


def test_the_time_paused_counts_overlapping_pauses_once() -> None:
    limit = AdaptiveLimit(ceiling=8, start=8)
    for wait in ("5", "3", "6"):  # one after another, each within the pause before it
        limit.release(limit.acquire(no_sleep), answer(429, **{"Retry-After": wait}))
    assert 5.9 < limit.paused < 6.1  # not 14


def test_without_retry_after_the_reset_time_says_how_long() -> None:
    reset = (datetime.now(UTC) + timedelta(seconds=90)).strftime("%Y-%m-%dT%H:%MZ")
    wait = pause_of(answer(429, **{"X-RateLimit-Reset": reset}))
    assert wait is not None and 0 <= wait <= 90
    assert pause_of(answer(429, **{"Retry-After": "2", "X-RateLimit-Reset": reset})) == 2.0
    assert pause_of(answer(429)) is None


def test_the_transport_keeps_requests_in_flight_within_the_limit() -> None:
    lock, now = threading.Lock(), [0]
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            now[0] += 1
            seen.append(now[0])
        time.sleep(0.01)
        with lock:
            now[0] -= 1
        return httpx.Response(200)

    limit = AdaptiveLimit(ceiling=3, start=3)
    transport = RetryTransport(httpx.MockTransport(handler), limit=limit)
    with httpx.Client(transport=transport, base_url="http://127.0.0.1") as client:
        threads = [threading.Thread(target=client.get, args=("/x",)) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert max(seen) == 3 and limit.peak == 3 and limit.in_flight == 0


def test_a_429_storm_backs_off_and_the_request_still_succeeds() -> None:
    answers = iter([429, 429, 200])
    limit = AdaptiveLimit(ceiling=8, start=8)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), headers={"Retry-After": "0"})

    transport = RetryTransport(httpx.MockTransport(handler), limit=limit, sleep=no_sleep)
    with httpx.Client(transport=transport, base_url="http://127.0.0.1") as client:
        assert client.get("/x").status_code == 200
    assert limit.decreases == 2 and int(limit.limit) == 2


def test_a_503s_retry_after_delays_only_its_own_retry() -> None:
    limit = AdaptiveLimit(ceiling=8, start=8)
    limit.release(limit.acquire(no_sleep), answer(503, **{"Retry-After": "5"}))
    slept: list[float] = []
    limit.acquire(slept.append)
    assert slept == [] and limit.decreases == 1

"""Spec conformance is on: the OpenAPI specs are found, and the checker really rejects bodies."""

from __future__ import annotations

import httpx
import pytest

from tests.openapi import MISSING, assert_conforms, gaps, require_specs, spec_dir


def response(
    body: object, method: str = "GET", path: str = "/rest/api/3/serverInfo"
) -> httpx.Response:
    request = httpx.Request(method, "http://127.0.0.1" + path)
    return httpx.Response(200, json=body, request=request)


def test_the_specs_are_available_for_conformance_checks() -> None:
    require_specs()
    assert spec_dir() is not None


def test_a_body_that_breaks_the_schema_is_rejected() -> None:
    require_specs()
    with pytest.raises(AssertionError, match="serverInfo"):
        assert_conforms(response({"baseUrl": 42}))
    assert assert_conforms(response({"baseUrl": "http://x", "deploymentType": "Cloud"}))


AUDIT = "/rest/api/3/auditing/record"


def audit_page(**record: object) -> dict[str, object]:
    base = {"id": 7, "summary": "Custom field created", "created": "2026-01-01T00:00:00.000+0000"}
    return {"offset": 0, "limit": 1000, "total": 1, "records": [{**base, **record}]}


def test_a_gap_that_names_extra_properties_lets_only_those_through() -> None:
    require_specs()
    assert gaps()["GET " + AUDIT + " 200"].tolerate == {"authorAccountId"}
    assert assert_conforms(response(audit_page(authorAccountId="557058:admin"), path=AUDIT))
    with pytest.raises(AssertionError, match="records/0/id"):
        assert_conforms(response(audit_page(authorAccountId="557058:admin", id="7"), path=AUDIT))
    with pytest.raises(AssertionError, match="surprise"):
        assert_conforms(
            response(audit_page(authorAccountId="557058:admin", surprise=1), path=AUDIT)
        )


QUEUE = "/rest/api/3/bulk/queue/10000"


def test_a_gap_that_names_other_types_lets_only_those_through() -> None:
    require_specs()
    done = {"taskId": "10000", "status": "COMPLETE", "created": 1709189449954, "updated": 1}
    assert assert_conforms(response(done, path=QUEUE))  # epoch milliseconds, as Jira answers
    with pytest.raises(AssertionError, match="progressPercent"):
        assert_conforms(response({**done, "progressPercent": "100"}, path=QUEUE))
    with pytest.raises(AssertionError, match="created"):
        assert_conforms(response({**done, "created": [1]}, path=QUEUE))


def test_the_skip_message_says_where_atlassian_publishes_the_specs() -> None:
    assert "developer.atlassian.com" in MISSING and "JIRACFG_OPENAPI_DIR" in MISSING

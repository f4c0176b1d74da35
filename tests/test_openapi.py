"""Spec conformance is on: the OpenAPI specs are found, and the checker really rejects bodies."""

from __future__ import annotations

import httpx
import pytest

from tests.openapi import MISSING, assert_conforms, require_specs, spec_dir


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


def test_the_skip_message_says_where_atlassian_publishes_the_specs() -> None:
    assert "developer.atlassian.com" in MISSING and "JIRACFG_OPENAPI_DIR" in MISSING

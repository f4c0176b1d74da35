"""Property-based fuzzing with schemathesis from Atlassian's spec: a bounded run (positive and
negative cases, a fixed seed) on the operations that answered 500 before issue 10, with real
objects of the ``demo`` seed as path parameters. A 5xx or a crash caught by the guard fails.
Skipped only when the specs are absent, like the other spec tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from jiracfg.sandbox.server import EMAIL, TOKEN
from tests.conftest import StartSandbox
from tests.openapi import SPEC_FILES, require_specs, spec_dir

OPERATIONS = [
    ("POST", "/rest/api/3/workflows/create"),
    ("POST", "/rest/api/3/workflows"),
    ("GET", "/rest/api/3/workflows/search"),
    ("POST", "/rest/api/3/notificationscheme"),
    ("PUT", "/rest/api/3/notificationscheme/{id}/notification"),
    ("POST", "/rest/api/3/role/{id}/actors"),
    ("POST", "/rest/api/3/project/{projectIdOrKey}/role/{id}"),
    ("POST", "/rest/api/3/statuses"),
    ("POST", "/rest/api/3/projectCategory"),
    ("GET", "/rest/api/3/search/jql"),
    ("POST", "/rest/api/3/search/jql"),
    ("GET", "/rest/api/3/field/search"),
]
PATH_PARAMETERS = {"id": "10002", "projectIdOrKey": "ENG"}
NOTIFICATION_SCHEME = {"id": "10000"}


def cut_spec() -> dict[str, Any]:
    """The platform spec with only the fuzzed paths (compiling all of it is slow)."""
    folder = spec_dir()
    assert folder is not None
    raw: dict[str, Any] = json.loads((folder / SPEC_FILES[0]).read_text())
    raw["paths"] = {p: raw["paths"][p] for p in {p for _, p in OPERATIONS}}
    return raw


@pytest.fixture(scope="module")
def schema() -> Any:
    require_specs()
    return schemathesis.openapi.from_dict(cut_spec())


def cases(schema: Any, method: str, path: str) -> Any:
    operation = schema[path][method]
    params = NOTIFICATION_SCHEME if "notificationscheme" in path else PATH_PARAMETERS
    wanted = {k: v for k, v in params.items() if "{" + k + "}" in path}
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    return st.one_of(*(operation.as_strategy(m, path_parameters=wanted) for m in modes))


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_error_on_generated_requests(
    schema: Any, start_sandbox: StartSandbox, method: str, path: str
) -> None:
    server = start_sandbox("demo")
    found: list[str] = []

    @seed(10)
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(schema, method, path))
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, auth=(EMAIL, TOKEN), timeout=30)
        if response.status_code >= 500:
            found.append(f"{response.status_code} for {case.as_curl_command()}"[:400])

    run()
    assert not found + server.app.state.guarded, "\n".join(found + server.app.state.guarded)

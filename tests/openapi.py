"""Check sandbox responses against Atlassian's OpenAPI specs.

The specs are read from ``$JIRACFG_OPENAPI_DIR``, else ``../shared/reference`` beside the checkout.
Where neither exists (a fresh clone without the reference folder), spec-conformance checks skip
with a pointer to where Atlassian publishes the specs. Known gaps between the spec and real Jira
are listed, each with its reason, in ``tests/spec_gaps.yaml``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parent.parent
SPEC_FILES = ("jira-platform-openapi.json", "jira-software-openapi.json")
PUBLISHED = (
    "https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json and "
    "https://developer.atlassian.com/cloud/jira/software/swagger.v3.json"
)


def spec_dir() -> Path | None:
    candidates = [os.environ.get("JIRACFG_OPENAPI_DIR"), str(ROOT.parent / "shared" / "reference")]
    for candidate in candidates:
        if candidate and (Path(candidate) / SPEC_FILES[0]).exists():
            return Path(candidate)
    return None


@cache
def _specs() -> list[dict[str, Any]]:
    folder = spec_dir()
    if folder is None:
        return []
    return [
        _openapi30_to_jsonschema(json.loads((folder / f).read_text()))
        for f in SPEC_FILES
        if (folder / f).exists()
    ]


@dataclass(frozen=True)
class Gap:
    """Why the spec and real Jira differ at one operation. ``tolerate`` names the extra properties
    Jira answers that the spec's ``additionalProperties: false`` forbids, and ``types`` the
    properties whose JSON type Jira answers differs from the spec's (property -> that type, e.g.
    epoch milliseconds ``integer`` for a ``date-time`` string): with either, only those are let
    through and the rest of the body is still checked; with neither the body is not checked."""

    reason: str
    tolerate: frozenset[str] | None = None
    types: tuple[tuple[str, str], ...] = ()


@cache
def gaps() -> dict[str, Gap]:
    """``"METHOD /path/template STATUS"`` -> how and why the spec and real Jira differ there."""
    data = yaml.safe_load((Path(__file__).parent / "spec_gaps.yaml").read_text()) or {}
    return {key: _gap(value) for key, value in data.items()}


def _gap(value: str | dict[str, Any]) -> Gap:
    if isinstance(value, str):
        return Gap(value)
    types = tuple(sorted((value.get("types") or {}).items()))
    return Gap(value["reason"], frozenset(value.get("tolerate") or []), types)


def _openapi30_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` means the value may also be null."""
    if isinstance(node, list):
        return [_openapi30_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi30_to_jsonschema(v) for k, v in node.items()}
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def _operations() -> list[tuple[re.Pattern[str], str, int, str]]:
    ops = []
    for index, spec in enumerate(_specs()):
        for template, item in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            ops += [(pattern, method.upper(), index, template) for method in item]
    return ops


def find_operation(method: str, path: str) -> tuple[int, str] | None:
    """The spec index and path template for a concrete request; the most literal template wins."""
    hits = [
        (tpl.count("{"), index, tpl)
        for pat, m, index, tpl in _operations()
        if m == method and pat.match(path)
    ]
    if not hits:
        return None
    _, index, template = min(hits)
    return index, template


def response_schema(method: str, path: str, status: int) -> dict[str, Any] | None:
    found = find_operation(method, path)
    if found is None:
        return None
    index, template = found
    responses = _specs()[index]["paths"][template][method.lower()]["responses"]
    answer = responses.get(str(status)) or responses.get("default") or {}
    content = answer.get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), {})
    schema = media.get("schema")  # {} (any body) is a schema too
    if schema is None:
        schema = _from_example(media.get("example"))
    return None if schema is None else {"index": index, "template": template, "schema": schema}


def _from_example(example: Any) -> dict[str, Any] | None:
    """The Software spec describes some answers (sprints) by a JSON example only: the body must
    then use the example's keys with the example's JSON types (issues' ``fields`` vary by site)."""
    if not isinstance(example, str):
        return None
    try:
        return _shape_of(json.loads(example))
    except ValueError:
        return None


def _shape_of(value: Any, key: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        if key == "fields":
            return {"type": "object"}
        properties = {k: _shape_of(v, k) for k, v in value.items()}
        return {"type": "object", "properties": properties, "additionalProperties": False}
    if isinstance(value, list):
        return {"type": "array", "items": _shape_of(value[0], key)} if value else {"type": "array"}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int | float):
        return {"type": "number"}
    return {"type": "string"} if isinstance(value, str) else {}


@cache
def _registry(index: int) -> Registry[Any]:
    return Registry().with_resource("spec", Resource(_specs()[index], DRAFT4))


MISSING = f"Jira OpenAPI specs not found; set JIRACFG_OPENAPI_DIR (published at {PUBLISHED})"


def require_specs() -> None:
    """Skip the calling test (a spec-conformance test) when the specs are not on this machine."""
    if not _specs():
        pytest.skip(MISSING)


def assert_conforms(response: httpx.Response) -> Any:
    """Validate a sandbox response body against the spec's schema for its operation and status.

    Without the specs (a fresh clone with no reference folder) the body is returned unchecked, so
    the test's own assertions still run; ``tests/test_openapi.py`` is what skips, saying so."""
    if not _specs():
        return response.json() if response.content else None
    method, path = response.request.method, response.request.url.path
    found = response_schema(method, path, response.status_code)
    shown = found["template"] if found else re.sub(r"/\d+(?=/|$)", "/{id}", path)
    key = f"{method} {shown} {response.status_code}"
    gap = gaps().get(key)
    if gap is not None and gap.tolerate is None:
        return response.json() if response.content else None
    assert found is not None, f"no response schema in the spec for {key}"
    body = response.json()
    schema = _with_base(found["schema"])
    validator = jsonschema.Draft4Validator(schema, registry=_registry(found["index"]))
    errors = sorted(
        (e for e in validator.iter_errors(body) if not _tolerated(e, gap)),
        key=lambda e: list(e.path),
    )
    assert not errors, f"{key}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:5]
    )
    return body


def _tolerated(error: jsonschema.ValidationError, gap: Gap | None) -> bool:
    """An error the gap names: an extra property it tolerates, or a property of its other type."""
    if gap is None:
        return False
    return _only_tolerated(error, gap.tolerate or frozenset()) or _retyped(error, dict(gap.types))


def _retyped(error: jsonschema.ValidationError, types: dict[str, str]) -> bool:
    """A ``type`` error on a property the gap says Jira answers with another JSON type."""
    if error.validator != "type" or not error.path:
        return False
    wanted = types.get(str(error.path[-1]))
    checker = jsonschema.Draft4Validator.TYPE_CHECKER
    return wanted is not None and checker.is_type(error.instance, wanted)


def _only_tolerated(error: jsonschema.ValidationError, tolerated: frozenset[str]) -> bool:
    """An ``additionalProperties: false`` error whose every extra property is a tolerated one."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return False
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    extra = {k for k in error.instance if k not in known and not any(p.search(k) for p in patterns)}
    return bool(extra) and extra <= tolerated


def _with_base(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite local ``#/components/...`` refs to point into the registered spec resource."""
    text = json.dumps(schema).replace('"$ref": "#/', '"$ref": "spec#/')
    result: dict[str, Any] = json.loads(text)
    return result

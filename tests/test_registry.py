"""Every registered kind is whole: a real schema, sandbox routes it can fetch from, an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiracfg.client import JiraClient
from jiracfg.kinds import REGISTRY, FetchContext, kind_order
from jiracfg.model import Resource

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "config"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_kind_has_a_real_schema(name: str) -> None:
    schema = REGISTRY[name].schema()
    assert schema.get("additionalProperties") is False, f"{name}: schema must be closed"
    assert len(schema["properties"]) > 1, f"{name}: schema is still a placeholder"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_kind_has_an_example_file(name: str) -> None:
    kind = REGISTRY[name]
    folder = EXAMPLES / kind.folder
    assert any(folder.glob("*.yaml")), f"no example in {folder.relative_to(ROOT)}"


def test_every_kind_fetches_from_the_demo_sandbox(demo_client: JiraClient) -> None:
    ctx = FetchContext(demo_client)
    empty = []
    for name in kind_order():
        resources: list[Resource] = list(REGISTRY[name].fetch(ctx))
        for resource in resources:
            ctx.add(resource)
        if not resources:
            empty.append(name)
    assert not empty, f"kinds that fetched nothing from the demo sandbox: {empty}"


def test_kind_names_and_folders_match_the_registry() -> None:
    for key, kind in REGISTRY.items():
        assert kind.name == key
        assert kind.folder and "/" not in kind.folder
    assert len({k.folder for k in REGISTRY.values() if k.parent is None}) == len(
        [k for k in REGISTRY.values() if k.parent is None]
    )

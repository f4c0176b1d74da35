"""What the permission and notification scheme kind tests share: Bob and the picker fields their
holders name, the snapshot those references resolve against, and the checks both kinds pass."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.fetch import fetch_live
from jiracfg.kinds import ApplyContext, FetchContext, Kind
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.sandbox.server import SandboxServer
from tests.kinds.fields_helper import with_fields
from tests.kinds.test_project_role import BOB

HOLDER_REFS = {
    Address("group", "jira-users"),
    Address("project_role", "Administrators"),
    Address("custom_field", "Approver"),
    Address("custom_field", "Team"),
}


@pytest.fixture(autouse=True)
def setup(sandbox: SandboxServer, client: JiraClient) -> None:
    """Bob, and the user and group picker fields the holders name."""
    sandbox.store.insert("user", dict(BOB))
    for name, kind in (("Approver", "userpicker"), ("Team", "grouppicker")):
        client.post(
            "/field",
            {"name": name, "type": f"com.atlassian.jira.plugin.system.customfieldtypes:{kind}"},
        )


def base_snapshot(client: JiraClient) -> Snapshot:
    return with_fields(client, fetch_live(client, ["project_role"]))


def fetched(kind: Kind, client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in kind.fetch(FetchContext(client, base_snapshot(client)))}


def apply_ctx(kind: Kind, client: JiraClient) -> ApplyContext:
    snapshot = base_snapshot(client)
    for resource in fetched(kind, client).values():
        snapshot.add(resource)
    return ApplyContext(client, snapshot)


def check_create_round_trips(kind: Kind, client: JiraClient, spec: dict[str, Any]) -> None:
    new_id = kind.create(apply_ctx(kind, client), spec)
    live = fetched(kind, client)[spec["name"]]
    assert (live.spec, live.id, live.protected) == (spec, new_id, False)


def check_delete_and_default_refused(kind: Kind, client: JiraClient, default: str) -> None:
    kind.create(apply_ctx(kind, client), {"name": "Temp"})
    schemes = fetched(kind, client)
    kind.delete(apply_ctx(kind, client), schemes["Temp"])
    assert "Temp" not in fetched(kind, client)
    with pytest.raises(JiraApiError, match=f"{default.lower()} can't be deleted"):
        kind.delete(apply_ctx(kind, client), schemes[default])

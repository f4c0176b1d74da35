"""Field resources for kind tests that reference fields, read from the sandbox over HTTP.

Uses only screen endpoints (every field is either on the Default Screen or available to it), so the
tests do not depend on how the custom_field kind is implemented; system fields are readonly
``custom_field`` resources keyed by name, as that kind exports them.
"""

from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.model import Address, Resource, Snapshot


def field_resources(client: JiraClient) -> list[Resource]:
    fields = list(client.get("/screens/1/availableFields"))
    for tab in client.get("/screens/1/tabs"):
        fields += client.get(f"/screens/1/tabs/{tab['id']}/fields")
    return [
        Resource(
            Address("custom_field", f["name"]),
            {"name": f["name"]},
            {"id": f["id"], "readonly": True},
        )
        for f in fields
    ]


def with_fields(client: JiraClient, snapshot: Snapshot | None = None) -> Snapshot:
    result = Snapshot(snapshot or ())
    for resource in field_resources(client):
        result.add(resource)
    return result

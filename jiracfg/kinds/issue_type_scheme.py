"""issue_type_scheme: which issue types a project offers, in menu order (``/issuetypescheme``).

Spec: ``{name, description?, default_issue_type?, issue_types: [names in scheme order]}``. The
"Default Issue Type Scheme" is protected (Jira keeps every type in it and refuses to delete it).
Fetching takes two paged reads (schemes, then every scheme's members at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Flaw, Kind, drop_empty, refs_to
from jiracfg.model import Address, Resource, Spec


class IssueTypeSchemeKind(Kind):
    name = "issue_type_scheme"
    folder = "issue-type-schemes"
    audited = True
    depends_on = ("issue_type",)
    in_use_by = ("project",)

    def refs(self, spec: Spec) -> Iterable[Address]:
        return refs_to("issue_type", [spec.get("default_issue_type"), *spec["issue_types"]])

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        default = spec.get("default_issue_type")
        if default and default not in spec["issue_types"]:
            yield Flaw(
                f"the default issue type {default!r} is not one of the scheme's issue_types",
                default,
                f"add {default!r} to issue_types, or pick a default among them",
            )

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        members: dict[str, list[str]] = {}
        for item in ctx.client.paged("/issuetypescheme/mapping"):
            members.setdefault(str(item["issueTypeSchemeId"]), []).append(str(item["issueTypeId"]))
        return [
            self._normalize(ctx, doc, members.get(str(doc["id"]), []))
            for doc in ctx.client.paged("/issuetypescheme")
        ]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any], ids: list[str]) -> Resource:
        default = doc.get("defaultIssueTypeId")
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "default_issue_type": ctx.name_of("issue_type", default) if default else None,
                "issue_types": [ctx.name_of("issue_type", i) for i in ids],
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if doc.get("isDefault"):
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "issueTypeIds": type_ids(ctx, spec["issue_types"]),
        }
        if spec.get("default_issue_type"):
            body["defaultIssueTypeId"] = ctx.id_of("issue_type", spec["default_issue_type"])
        return str(ctx.client.post("/issuetypescheme", body)["issueTypeSchemeId"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path = f"/issuetypescheme/{live.id}"
        # re-read: types created or deleted earlier in this apply change schemes (the default
        # scheme gains every new type)
        have = [
            str(m["issueTypeId"])
            for m in ctx.client.paged("/issuetypescheme/mapping", {"issueTypeSchemeId": live.id})
        ]
        want = type_ids(ctx, spec["issue_types"])
        added = [i for i in want if i not in have]
        if added:  # first, so the new default is a member and the last standard type never goes
            ctx.client.put(f"{path}/issuetype", {"issueTypeIds": added})
        self._update_details(ctx, live, spec)
        for gone in [i for i in have if i not in want]:
            ctx.client.delete(f"{path}/issuetype/{gone}")
        if [i for i in have if i in want] + added != want:
            ctx.client.put(f"{path}/issuetype/move", {"issueTypeIds": want, "position": "First"})

    def _update_details(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        fields = ("name", "description", "default_issue_type")
        if all(live.spec.get(f) == spec.get(f) for f in fields):
            return
        default = spec.get("default_issue_type")
        body: dict[str, Any] = {
            "description": spec.get("description", ""),
            "defaultIssueTypeId": ctx.id_of("issue_type", default) if default else None,
        }
        if spec["name"] != live.spec["name"]:  # its own name may count as taken
            body["name"] = spec["name"]
        ctx.client.put(f"/issuetypescheme/{live.id}", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/issuetypescheme/{live.id}")


def type_ids(ctx: ApplyContext, names: list[str]) -> list[str]:
    return [ctx.id_of("issue_type", n) for n in names]


KIND = IssueTypeSchemeKind()

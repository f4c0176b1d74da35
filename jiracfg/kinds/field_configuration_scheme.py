"""field_configuration_scheme: which field configuration each issue type uses in a project.

Spec: ``{name, description?, default: configuration, issue_types: {issue type: configuration}}``
(issue types sorted by name; ``default`` covers the types not listed). Projects pick a scheme in
their own file (``schemes.field_configuration``); a project without one uses Jira's system default,
which has no id and is not an object here. Fetching takes two paged reads (schemes, then the
mappings of up to 50 schemes per page).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty, refs_to
from jiracfg.model import Address, Resource, Spec

CHUNK = 50  # scheme ids per mapping request (Jira's limit)
DEFAULT = "default"


class FieldConfigurationSchemeKind(Kind):
    name = "field_configuration_scheme"
    folder = "field-configuration-schemes"
    audited = True
    depends_on = ("field_configuration", "issue_type")
    in_use_by = ("project",)

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from refs_to("field_configuration", [spec["default"], *spec["issue_types"].values()])
        yield from refs_to("issue_type", spec["issue_types"])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        schemes = list(ctx.client.paged("/fieldconfigurationscheme"))
        mapped = read_mappings(ctx, [str(s["id"]) for s in schemes])
        return [self._normalize(ctx, s, mapped.get(str(s["id"]), {})) for s in schemes]

    def _normalize(
        self, ctx: FetchContext, doc: dict[str, Any], mapped: dict[str, str]
    ) -> Resource:
        types = {
            ctx.name_of("issue_type", t): ctx.name_of("field_configuration", c)
            for t, c in mapped.items()
            if t != DEFAULT
        }
        spec = drop_empty({"name": doc["name"], "description": doc.get("description")})
        spec["default"] = ctx.name_of("field_configuration", mapped[DEFAULT])
        spec["issue_types"] = dict(sorted(types.items()))
        return self.resource(spec, id=str(doc["id"]))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {"name": spec["name"], "description": spec.get("description", "")}
        new_id = str(ctx.client.post("/fieldconfigurationscheme", body)["id"])
        sync_mappings(ctx, new_id, spec)
        return new_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        if any(spec.get(f) != live.spec.get(f) for f in ("name", "description")):
            ctx.client.put(
                f"/fieldconfigurationscheme/{live.id}",
                {"name": spec["name"], "description": spec.get("description", "")},
            )
        sync_mappings(ctx, str(live.id), spec)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/fieldconfigurationscheme/{live.id}")


def read_mappings(ctx: FetchContext | ApplyContext, ids: list[str]) -> dict[str, dict[str, str]]:
    """``{scheme id: {issue type id | "default": configuration id}}`` for the given schemes."""
    result: dict[str, dict[str, str]] = {}
    for start in range(0, len(ids), CHUNK):
        for item in ctx.client.paged(
            "/fieldconfigurationscheme/mapping",
            {"fieldConfigurationSchemeId": ids[start : start + CHUNK]},
        ):
            result.setdefault(str(item["fieldConfigurationSchemeId"]), {})[
                str(item["issueTypeId"])
            ] = str(item["fieldConfigurationId"])
    return result


def sync_mappings(ctx: ApplyContext, scheme_id: str, spec: Spec) -> None:
    """Set the mappings that differ (read fresh), then remove the ones ``spec`` drops."""
    want = {DEFAULT: ctx.id_of("field_configuration", spec["default"])}
    want |= {
        ctx.id_of("issue_type", t): ctx.id_of("field_configuration", c)
        for t, c in spec["issue_types"].items()
    }
    have = read_mappings(ctx, [scheme_id]).get(scheme_id, {})
    changed = [
        {"issueTypeId": t, "fieldConfigurationId": c} for t, c in want.items() if have.get(t) != c
    ]
    if changed:
        ctx.client.put(f"/fieldconfigurationscheme/{scheme_id}/mapping", {"mappings": changed})
    gone = [t for t in have if t not in want]
    if gone:
        ctx.client.post(
            f"/fieldconfigurationscheme/{scheme_id}/mapping/delete", {"issueTypeIds": gone}
        )


KIND = FieldConfigurationSchemeKind()

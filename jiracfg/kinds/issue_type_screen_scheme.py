"""issue_type_screen_scheme: which screen scheme each issue type uses (``/issuetypescreenscheme``).

Spec: ``{name, description?, mappings: {default: screen scheme, <issue type name>: screen scheme}}``
(``default`` first, then issue types by name). The "Default Issue Type Screen Scheme" is protected.
An update changes the default mapping in place, then removes and appends the other changed mappings
in one call each (Jira's append refuses types that are still mapped).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty, refs_to
from jiracfg.model import Address, Resource, Spec

DEFAULT = "default"


class IssueTypeScreenSchemeKind(Kind):
    name = "issue_type_screen_scheme"
    folder = "issue-type-screen-schemes"
    audited = True
    depends_on = ("issue_type", "screen_scheme")
    in_use_by = ("project",)

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from refs_to("issue_type", [t for t in spec["mappings"] if t != DEFAULT])
        yield from refs_to("screen_scheme", spec["mappings"].values())

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        mappings: dict[str, dict[str, str]] = {}
        for item in ctx.client.paged("/issuetypescreenscheme/mapping"):
            mappings.setdefault(str(item["issueTypeScreenSchemeId"]), {})[
                str(item["issueTypeId"])
            ] = str(item["screenSchemeId"])
        return [
            self._normalize(ctx, doc, mappings.get(str(doc["id"]), {}))
            for doc in ctx.client.paged("/issuetypescreenscheme")
        ]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any], ids: dict[str, str]) -> Resource:
        named = {
            DEFAULT if t == DEFAULT else ctx.name_of("issue_type", t): ctx.name_of(
                "screen_scheme", s
            )
            for t, s in ids.items()
        }
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "mappings": canonical(named),
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if str(doc["id"]) == "1":  # the Default Issue Type Screen Scheme
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "issueTypeMappings": mapping_list(mapping_ids(ctx, spec)),
        }
        return str(ctx.client.post("/issuetypescreenscheme", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path = f"/issuetypescreenscheme/{live.id}"
        details = {"name": spec["name"]} if spec["name"] != live.spec["name"] else {}
        if spec.get("description", "") != live.spec.get("description", ""):
            details["description"] = spec.get("description", "")
        if details:  # only what changed: its own name may count as taken
            ctx.client.put(path, details)
        have = {
            str(m["issueTypeId"]): str(m["screenSchemeId"])
            for m in ctx.client.paged(
                "/issuetypescreenscheme/mapping", {"issueTypeScreenSchemeId": live.id}
            )
        }  # fresh
        want = mapping_ids(ctx, spec)
        if have.get(DEFAULT) != want[DEFAULT]:
            ctx.client.put(f"{path}/mapping/default", {"screenSchemeId": want[DEFAULT]})
        stale = [t for t in have if t != DEFAULT and want.get(t) != have[t]]
        if stale:
            ctx.client.post(f"{path}/mapping/remove", {"issueTypeIds": stale})
        new = {t: s for t, s in want.items() if t != DEFAULT and have.get(t) != s}
        if new:
            ctx.client.put(f"{path}/mapping", {"issueTypeMappings": mapping_list(new)})

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/issuetypescreenscheme/{live.id}")


def canonical(mappings: dict[str, str]) -> dict[str, str]:
    """``default`` first, then issue types by name."""
    keys = sorted(mappings, key=lambda k: (k != DEFAULT, k.casefold(), k))
    return {k: mappings[k] for k in keys}


def mapping_ids(ctx: ApplyContext, spec: Spec) -> dict[str, str]:
    return {
        DEFAULT if t == DEFAULT else ctx.id_of("issue_type", t): ctx.id_of("screen_scheme", s)
        for t, s in spec["mappings"].items()
    }


def mapping_list(ids: dict[str, str]) -> list[dict[str, str]]:
    return [{"issueTypeId": t, "screenSchemeId": s} for t, s in ids.items()]


KIND = IssueTypeScreenSchemeKind()

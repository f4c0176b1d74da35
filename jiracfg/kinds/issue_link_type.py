"""issue_link_type: kinds of issue links (``/issueLinkType``).

Spec: ``{name, inward, outward}`` (``inward``: how the linked issue reads, "is blocked by";
``outward``: how the linking issue reads, "blocks"). The new site's Blocks, Cloners, Duplicate and
Relates are ordinary managed objects: Jira lets an admin rename or delete every link type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind
from jiracfg.model import Resource, Spec

FIELDS = ("name", "inward", "outward")


class IssueLinkTypeKind(Kind):
    name = "issue_link_type"
    folder = "issue-link-types"
    audited = True
    depends_on = ()

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        docs: list[dict[str, Any]] = ctx.client.get("/issueLinkType")["issueLinkTypes"]
        return [self.resource({f: doc[f] for f in FIELDS}, id=str(doc["id"])) for doc in docs]

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        return str(ctx.client.post("/issueLinkType", {f: spec[f] for f in FIELDS})["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        body = {f: spec[f] for f in FIELDS if spec[f] != live.spec[f]}
        if body:  # only what changed: Jira answers a name it takes as used with 404
            ctx.client.put(f"/issueLinkType/{live.id}", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/issueLinkType/{live.id}")


KIND = IssueLinkTypeKind()

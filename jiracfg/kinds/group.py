"""group: a group of users and its members (``/group``, ``/group/bulk``, ``/group/member``).

Spec: ``{name, members: [email]}``, members sorted (a user whose email Jira hides is written as
its account id). Users are not created: they come from the organisation's directory, so a member
must already be a user of the site (a plan check says so). Jira has no REST call that renames a
group, so a new name is a new group.

The groups Jira makes for a site itself (its admin and product access groups, the apps' group) are
exported and their members managed, but they are protected: Jira refuses to delete them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, SortKey, by_text, drop_empty
from jiracfg.kinds._people import Directory
from jiracfg.model import Resource, Spec

MEMBERS_PAGE = 50  # the most /group/member returns at once
SITE_GROUPS = (  # made by Jira for the site: never deleted
    "site-admins",
    "administrators",
    "jira-administrators",
    "jira-admins*",
    "jira-users*",
    "jira-software-users*",
    "jira-servicemanagement-*",
    "jira-servicedesk-*",
    "jira-core-users*",
    "jira-work-management-users*",
    "atlassian-addons*",
    "trusted-users*",
)


class GroupKind(Kind):
    name = "group"
    folder = "groups"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"members": by_text}

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        people = Directory.of(ctx)
        groups = list(people.groups().items())  # (id, name)
        members = ctx.client.map(lambda g: member_ids(ctx, g[0]), groups)
        return [
            self._normalize(group, [people.email(m) for m in found])
            for group, found in zip(groups, members, strict=True)
        ]

    def _normalize(self, group: tuple[str, str], emails: list[str]) -> Resource:
        spec = drop_empty({"name": group[1], "members": sorted(emails, key=by_text)})
        meta: dict[str, Any] = {"id": group[0]}
        if is_site_group(group[1]):
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        group_id = str(ctx.client.post("/group", {"name": spec["name"]})["groupId"])
        people = Directory(ctx.client)
        for email in spec.get("members", []):
            add_member(ctx, group_id, people.account_id(email))
        return group_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        people = Directory(ctx.client)
        have = set(member_ids(FetchContext(ctx.client), str(live.id)))  # re-read
        want = [people.account_id(e) for e in spec.get("members", [])]
        for account in sorted(have - set(want)):
            ctx.client.delete("/group/user", {"groupId": live.id, "accountId": account})
        for account in [a for a in want if a not in have]:
            add_member(ctx, str(live.id), account)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete("/group", {"groupId": live.id})

    def find(self, ctx: ApplyContext, spec: Spec) -> str | None:
        found = ctx.client.paged("/group/bulk", {"groupName": spec["name"]})
        wanted = str(spec["name"]).casefold()
        return next((str(g["groupId"]) for g in found if g["name"].casefold() == wanted), None)


def is_site_group(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name.casefold(), pattern) for pattern in SITE_GROUPS)


def member_ids(ctx: FetchContext, group_id: str) -> list[str]:
    pages = ctx.client.paged(
        "/group/member",
        {"groupId": group_id, "includeInactiveUsers": "true"},
        page_size=MEMBERS_PAGE,
    )
    return [str(u["accountId"]) for u in pages]


def add_member(ctx: ApplyContext, group_id: str, account_id: str) -> None:
    ctx.client.post("/group/user", {"accountId": account_id}, params={"groupId": group_id})


KIND = GroupKind()

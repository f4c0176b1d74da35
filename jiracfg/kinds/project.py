"""project: a company-managed project, its schemes, components, versions and role actors.

Spec: ``{key, name, type, lead: email, description?, category?, assignee_type?: project_lead
(omitted: unassigned), schemes: {workflow, issue_type, issue_type_screen, field_configuration?,
permission, notification} (names; field_configuration omitted: Jira's default), components?,
versions?, roles?}`` (see ``_project_parts``). The key is the project key; a key change is a
rename (``renamed_from``), and Jira keeps the old key pointing at the project.

Jira has no REST call that changes a project's type, so a type change is refused before any call
rather than replacing (deleting) the project. Deleting a project loses its issues: the planner only
deletes with ``--prune``, and the delete runs as Jira's async, non-undoable delete.

Fetching: one project search, bulk scheme lookups per 50 projects (one call per scheme kind), then
one concurrent batch of per-project reads (details with components and versions, permission
scheme, each role's actors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from jiracfg.errors import NotFoundError, PlanError
from jiracfg.kinds import _project_parts as parts
from jiracfg.kinds import _project_schemes as schemes
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Flaw,
    Kind,
    SortKey,
    by_name,
    by_text,
    clashes,
    drop_empty,
    refs_to,
    with_key,
)
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.model import Address, Resource, Spec

CREATE_FIELDS = {
    "workflow": "workflowScheme",
    "issue_type": "issueTypeScheme",
    "issue_type_screen": "issueTypeScreenScheme",
    "field_configuration": "fieldConfigurationScheme",
    "permission": "permissionScheme",
    "notification": "notificationScheme",
    "issue_security": "issueSecurityScheme",
}


class ProjectKind(Kind):
    name = "project"
    folder = "projects"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {
        "components": by_name,
        "roles.*.users": by_text,
        "roles.*.groups": by_text,
    }
    depends_on = (
        "project_category",
        "project_role",
        "workflow_scheme",
        "issue_type_scheme",
        "issue_type_screen_scheme",
        "field_configuration_scheme",
        "permission_scheme",
        "notification_scheme",
        "issue_security_scheme",
        "priority_scheme",
        "group",
        "issue_type",
        "status",
    )

    unique = ("name",)

    # an update may switch the workflow scheme of a project with issues: a Jira task, during which
    # Jira refuses workflow writes (409); so updates and deletes run alone in the workflow
    # writes' group, creates (the scheme given in the body: no task) alongside its creates
    creates_share_serial_group = True

    def serial_group(self, spec: Spec) -> str | None:
        return "workflow configuration"

    def key(self, spec: Spec) -> str:
        return str(spec["key"])

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        for part in ("components", "versions"):
            for name in clashes(str(p["name"]) for p in spec.get(part) or []):
                yield Flaw(
                    f"two {part} named {name!r} (names are unique in a project, ignoring case)",
                    name,
                    f"rename or remove one of the {part}",
                )

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from refs_to("project_category", [spec.get("category")])
        for field, name in spec["schemes"].items():
            yield Address(schemes.KINDS[field], name)
        yield from refs_to("project_role", spec.get("roles", {}))
        for actors in spec.get("roles", {}).values():
            yield from refs_to("group", actors.get("groups") or [])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return self._read(ctx, list(ctx.client.paged("/project/search", {"maxResults": 100})))

    def fetch_one(self, ctx: FetchContext, spec: Spec) -> Resource | None:
        found = ctx.client.paged("/project/search", {"keys": [spec["key"]]})
        return with_key(self._read(ctx, [d for d in found if d["key"] == spec["key"]]), spec["key"])

    def _read(self, ctx: FetchContext, docs: list[dict[str, Any]]) -> list[Resource]:
        if not docs:
            return []
        ids = [str(d["id"]) for d in docs]
        names = schemes.names_of_projects(ctx, ids)
        roles = [str(r.id) for r in ctx.live.of_kind("project_role") if not r.readonly]
        paths = [
            p
            for i in ids
            for p in (
                f"/project/{i}",
                f"/project/{i}/permissionscheme",
                *(f"/project/{i}/role/{r}" for r in roles),
            )
        ]
        answers = iter(ctx.client.map(ctx.client.get, paths))
        users = Directory.of(ctx)
        return [
            self._normalize(
                next(answers), next(answers), [next(answers) for _ in roles], names[i], users
            )
            for i in ids
        ]

    def _normalize(
        self,
        doc: dict[str, Any],
        permission: dict[str, Any],
        roles: list[dict[str, Any]],
        found: dict[str, str],
        users: Directory,
    ) -> Resource:
        assignee, lead = doc.get("assigneeType"), (doc.get("lead") or {}).get("accountId")
        named = {**found, "permission": permission["name"]}
        spec = drop_empty(
            {
                "key": doc["key"],
                "name": doc["name"],
                "type": doc["projectTypeKey"],
                "lead": users.email(lead) if lead else None,
                "description": doc.get("description"),
                "category": (doc.get("projectCategory") or {}).get("name"),
                "assignee_type": "project_lead" if assignee == "PROJECT_LEAD" else None,
                "schemes": {f: named[f] for f in schemes.KINDS if f in named},
                "components": sorted(
                    (parts.component_spec(c, users) for c in doc["components"]),
                    key=lambda c: str(c["name"]).casefold(),
                ),
                "versions": [parts.version_spec(v) for v in doc["versions"]],
                "roles": parts.roles_spec(roles, users),
            }
        )
        return self.resource(
            spec,
            id=str(doc["id"]),
            components={c["name"]: str(c["id"]) for c in doc["components"]},
            versions={v["name"]: str(v["id"]) for v in doc["versions"]},
        )

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        users = for_apply(ctx)
        body: dict[str, Any] = {
            "key": spec["key"],
            "name": spec["name"],
            "projectTypeKey": spec["type"],
            "leadAccountId": users.account_id(spec["lead"]),
            "description": spec.get("description", ""),
            "assigneeType": assignee_type(spec),
        }
        if spec.get("category"):
            body["categoryId"] = int(ctx.id_of("project_category", spec["category"]))
        for field, name in spec["schemes"].items():
            scheme = schemes.scheme_id(ctx, field, name)
            if scheme is not None and field in CREATE_FIELDS:
                body[CREATE_FIELDS[field]] = int(scheme)
        project_id = str(ctx.client.post("/project", body)["id"])
        for field in [f for f in spec["schemes"] if f not in CREATE_FIELDS]:
            schemes.ASSIGN[field](
                ctx, project_id, schemes.scheme_id(ctx, field, spec["schemes"][field])
            )
        self._sync_parts(ctx, (project_id, spec["key"]), {}, spec, users)
        return project_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        if spec["type"] != live.spec["type"]:
            raise PlanError(
                f"project {live.address.key}: Jira can't change a project's type over REST "
                f"({live.spec['type']} -> {spec['type']})",
                hint=f"change it in Jira (Project settings > Details), or keep type: "
                f"{live.spec['type']} in the config repo",
            )
        users = for_apply(ctx)
        project_id = str(live.id)
        self._update_details(ctx, live, spec, users)
        self._update_schemes(ctx, project_id, live.spec["schemes"], spec["schemes"])
        self._sync_parts(ctx, (project_id, spec["key"]), live.meta, spec, users, live.spec)

    def _update_details(
        self, ctx: ApplyContext, live: Resource, spec: Spec, users: Directory
    ) -> None:
        old, body = live.spec, {}
        for field, value in detail_changes(old, spec).items():
            body.update(DETAIL_BODY[field](ctx, users, value))
        if spec["schemes"]["notification"] != old["schemes"]["notification"]:
            body["notificationScheme"] = int(
                schemes.scheme_id(ctx, "notification", spec["schemes"]["notification"]) or 0
            )
        if body:
            ctx.client.put(f"/project/{live.id}", body)

    def _update_schemes(
        self, ctx: ApplyContext, project_id: str, old: dict[str, str], new: dict[str, str]
    ) -> None:
        """Assign every changed scheme (issue types first: the workflow switch maps by type)."""
        for field in (
            "issue_type",
            "issue_type_screen",
            "field_configuration",
            "workflow",
            "permission",
            "issue_security",
            "priority",
        ):
            if old.get(field) != new.get(field):
                target = schemes.scheme_id(ctx, field, new[field]) if new.get(field) else None
                schemes.ASSIGN[field](ctx, project_id, target)

    def _sync_parts(
        self,
        ctx: ApplyContext,
        project: tuple[str, str],
        meta: dict[str, Any],
        spec: Spec,
        users: Directory,
        old: Spec | None = None,
    ) -> None:
        old = old or {}
        parts.sync_components(
            ctx,
            project,
            old.get("components", []),
            meta.get("components", {}),
            spec.get("components", []),
            users,
        )
        parts.sync_versions(
            ctx,
            project[0],
            old.get("versions", []),
            meta.get("versions", {}),
            spec.get("versions", []),
        )
        parts.sync_roles(
            ctx, project[0], old.get("roles", {}) if old else None, spec.get("roles", {}), users
        )

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.post(f"/project/{live.id}/delete")

    def find(self, ctx: ApplyContext, spec: Spec) -> str | None:
        try:
            return str(ctx.client.get(f"/project/{spec['key']}")["id"])
        except NotFoundError:
            return None


# -- writing -----------------------------------------------------------------------------------
def assignee_type(spec: Spec) -> str:
    return str(spec.get("assignee_type") or "unassigned").upper()


def detail_changes(old: Spec, new: Spec) -> dict[str, Any]:
    fields = ("key", "name", "description", "lead", "category", "assignee_type")
    return {f: new.get(f) for f in fields if old.get(f) != new.get(f)}


Detail = Callable[[ApplyContext, Directory, Any], dict[str, Any]]
DETAIL_BODY: dict[str, Detail] = {
    "key": lambda ctx, users, v: {"key": v},
    "name": lambda ctx, users, v: {"name": v},
    "description": lambda ctx, users, v: {"description": v or ""},
    "lead": lambda ctx, users, v: {"leadAccountId": users.account_id(v)},
    "category": lambda ctx, users, v: {
        "categoryId": int(ctx.id_of("project_category", v)) if v else -1
    },
    "assignee_type": lambda ctx, users, v: {"assigneeType": assignee_type({"assignee_type": v})},
}


KIND = ProjectKind()

"""A project's schemes: read for many projects at once, assigned one by one.

Each scheme kind has a bulk "schemes of these projects" read (permission schemes excepted: the
project kind reads those per project). Assignment goes through each scheme area's own endpoint;
the workflow scheme switches with jiracfg.yaml ``status_mappings`` once the project has issues.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiracfg.errors import JiraApiError, UnresolvedReferenceError
from jiracfg.kinds import priority_scheme
from jiracfg.kinds._base import ApplyContext, FetchContext
from jiracfg.model import Address

CHUNK = 100  # project ids per bulk scheme lookup (/workflowscheme/project takes 100 at most)
KINDS = {
    "workflow": "workflow_scheme",
    "issue_type": "issue_type_scheme",
    "issue_type_screen": "issue_type_screen_scheme",
    "field_configuration": "field_configuration_scheme",
    "permission": "permission_scheme",
    "notification": "notification_scheme",
    "issue_security": "issue_security_scheme",
    "priority": "priority_scheme",
}
Names = dict[str, dict[str, str]]  # project id -> {scheme field: scheme name}


# -- reading ------------------------------------------------------------------
def names_of_projects(ctx: FetchContext, ids: list[str]) -> Names:
    names: Names = {i: {} for i in ids}
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    jobs = [(source, chunk) for source in SOURCES for chunk in chunks]
    for found in ctx.client.map(lambda job: job[0](ctx, job[1]), jobs):
        for project_id, (field, name) in found:
            names[project_id][field] = name
    return names


Found = list[tuple[str, tuple[str, str]]]  # (project id, (scheme field, scheme name))


def grouped(ctx: FetchContext, path: str, bean: str, field: str, chunk: list[str]) -> Found:
    """A ``{<bean>: {name}, projectIds}`` listing (a missing bean means Jira's default)."""
    items = ctx.client.paged(path, {"projectId": chunk})
    return [
        (str(p), (field, item[bean]["name"]))
        for item in items
        if item.get(bean)
        for p in item["projectIds"]
    ]


def workflow_schemes(ctx: FetchContext, chunk: list[str]) -> Found:
    values = ctx.client.get("/workflowscheme/project", {"projectId": chunk})["values"]
    return [
        (str(p), ("workflow", v["workflowScheme"]["name"])) for v in values for p in v["projectIds"]
    ]


def notification_schemes(ctx: FetchContext, chunk: list[str]) -> Found:
    pairs = [
        (str(i["projectId"]), str(i["notificationSchemeId"]))
        for i in ctx.client.paged("/notificationscheme/project", {"projectId": chunk})
    ]
    names = {
        s: ctx.maybe_name_of("notification_scheme", s)
        or ctx.client.get(f"/notificationscheme/{s}")["name"]
        for s in {s for _, s in pairs}
    }
    return [(p, ("notification", names[s])) for p, s in pairs]


def security_schemes(ctx: FetchContext, chunk: list[str]) -> Found:
    pairs = ctx.client.paged("/issuesecurityschemes/project", {"projectId": chunk})
    return [
        (str(p["projectId"]), ("issue_security", ctx.name_of("issue_security_scheme", s)))
        for p in pairs
        if (s := p.get("issueSecuritySchemeId")) is not None
    ]


def priority_schemes(ctx: FetchContext, chunk: list[str]) -> Found:
    """From the fetched schemes' projects (a project of the default scheme names none)."""
    wanted = set(chunk)
    return [
        (project, ("priority", scheme.address.key))
        for scheme in ctx.live.of_kind("priority_scheme")
        if not scheme.protected
        for project in scheme.meta.get("projects", [])
        if project in wanted
    ]


SOURCES: list[Callable[[FetchContext, list[str]], Found]] = [
    lambda ctx, c: grouped(ctx, "/issuetypescheme/project", "issueTypeScheme", "issue_type", c),
    lambda ctx, c: grouped(
        ctx, "/issuetypescreenscheme/project", "issueTypeScreenScheme", "issue_type_screen", c
    ),
    lambda ctx, c: grouped(
        ctx,
        "/fieldconfigurationscheme/project",
        "fieldConfigurationScheme",
        "field_configuration",
        c,
    ),
    workflow_schemes,
    notification_schemes,
    security_schemes,
    priority_schemes,
]


# -- writing --------------------------------------------------------------------------------------
def scheme_id(ctx: ApplyContext, field: str, name: str) -> str | None:
    """The target's id of a scheme; None for a default scheme that has no id (workflow)."""
    kind = KINDS[field]
    found = ctx.maybe_id_of(kind, name)
    if found is None and ctx.live.get(Address(kind, name)) is None:
        raise UnresolvedReferenceError(
            f"{kind} {name!r} does not exist in the target instance",
            hint=f"create {kind}/{name} or fix the project's schemes",
        )
    return found


def assign_workflow_scheme(ctx: ApplyContext, project_id: str, scheme: str | None) -> None:
    """Assign directly while the project has no issues; else switch with status mappings."""
    body = {"projectId": project_id, "workflowSchemeId": scheme}
    try:
        ctx.client.put("/workflowscheme/project", body)
    except JiraApiError as exc:  # Jira refuses a project with issues
        if exc.status != 400:
            raise
        ctx.client.post(
            "/workflowscheme/project/switch",
            {
                "projectId": project_id,
                "targetSchemeId": scheme,
                "mappingsByIssueTypeOverride": status_mappings(ctx, project_id),
            },
        )


def status_mappings(ctx: ApplyContext, project_id: str) -> list[dict[str, Any]]:
    """jiracfg.yaml ``status_mappings`` of this project, per issue type, as status ids (a status
    renamed earlier in this apply by its old name or its new one)."""
    key = ctx.client.get(f"/project/{project_id}")["key"]
    types = {
        t["name"]: str(t["id"])
        for t in ctx.client.get("/issuetype/project", {"projectId": project_id})
    }
    by_type: dict[str, list[dict[str, str]]] = {}
    for m in ctx.settings.get("status_mappings") or []:
        if str(m.get("project")) != key:
            continue
        for name in [m["issue_type"]] if m.get("issue_type") else list(types):
            if name not in types:
                continue
            by_type.setdefault(types[name], []).append(
                {
                    "oldStatusId": ctx.id_of("status", m["from"], renamed=True),
                    "newStatusId": ctx.id_of("status", m["to"], renamed=True),
                }
            )
    return [{"issueTypeId": t, "statusMappings": s} for t, s in by_type.items()]


Assign = Callable[[ApplyContext, str, str | None], None]
ASSIGN: dict[str, Assign] = {
    "issue_type": lambda ctx, p, s: ctx.client.put(
        "/issuetypescheme/project", {"projectId": p, "issueTypeSchemeId": s}
    ),
    "issue_type_screen": lambda ctx, p, s: ctx.client.put(
        "/issuetypescreenscheme/project", {"projectId": p, "issueTypeScreenSchemeId": s}
    ),
    "field_configuration": lambda ctx, p, s: ctx.client.put(
        "/fieldconfigurationscheme/project", {"projectId": p, "fieldConfigurationSchemeId": s}
    ),
    "workflow": assign_workflow_scheme,
    "permission": lambda ctx, p, s: ctx.client.put(
        f"/project/{p}/permissionscheme", {"id": int(s or 0)}
    ),
    "issue_security": lambda ctx, p, s: ctx.client.put(
        "/issuesecurityschemes/project", {"projectId": p, "schemeId": s}
    ),
    "priority": priority_scheme.assign,
}

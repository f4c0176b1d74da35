"""workflow_scheme: which workflow each issue type follows (``/workflowscheme``).

Spec: ``{name, description?, default_workflow: workflow name, issue_types: {issue type name:
workflow name}}``. The *Default Workflow Scheme* (every type on ``jira``) has no id in Jira and
can't be changed: it is a readonly built-in. Updates go through ``POST /workflowscheme/update``,
which also serves schemes projects use: issues in statuses their new workflow lacks move as the
``status_mappings`` of jiracfg.yaml say (``[{project, issue_type?, from, to}]``, by names), and
Jira's migration task is awaited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty, refs_to
from jiracfg.model import Address, Resource, Spec

DEFAULT_SCHEME = "Default Workflow Scheme"
DEFAULT_SPEC: Spec = {
    "name": DEFAULT_SCHEME,
    "description": DEFAULT_SCHEME,
    "default_workflow": "jira",
}


class WorkflowSchemeKind(Kind):
    name = "workflow_scheme"
    folder = "workflow-schemes"
    audited = True
    depends_on = ("workflow", "issue_type")
    in_use_by = ("project",)
    builtin_keys: ClassVar[frozenset[str]] = frozenset({DEFAULT_SCHEME})

    def refs(self, spec: Spec) -> Iterable[Address]:
        mappings: dict[str, str] = spec.get("issue_types") or {}
        yield from refs_to("workflow", [spec.get("default_workflow"), *mappings.values()])
        yield from refs_to("issue_type", mappings)

    # a create migrates no issue: Jira answers it at once, never as a task (see serial_group)
    creates_share_serial_group = True

    def serial_group(self, spec: Spec) -> str | None:
        # Jira runs workflow and workflow scheme writes that migrate issues as tasks and refuses
        # (409) a workflow write while another such task runs: updates and deletes one at a
        # time, creates (no task) alongside each other between them
        return "workflow configuration"

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        schemes = [self._normalize(ctx, doc) for doc in ctx.client.paged("/workflowscheme")]
        return [self.resource(dict(DEFAULT_SPEC), readonly=True), *schemes]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any]) -> Resource:
        mappings = {
            ctx.name_of("issue_type", t): w for t, w in (doc.get("issueTypeMappings") or {}).items()
        }
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "default_workflow": doc.get("defaultWorkflow") or "jira",
                "issue_types": dict(sorted(mappings.items())),
            }
        )
        return self.resource(spec, id=str(doc["id"]))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "defaultWorkflow": spec["default_workflow"],
            "issueTypeMappings": {
                ctx.id_of("issue_type", t): w for t, w in (spec.get("issue_types") or {}).items()
            },
        }
        return str(ctx.client.post("/workflowscheme", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        """One versioned update; Jira migrates issues (an awaited task) when projects use it."""
        [current] = ctx.client.post("/workflowscheme/read", {"workflowSchemeIds": [live.id]})
        mapping = self._workflow_ids(ctx, live, spec)
        overrides = status_overrides(ctx, live, mapping)
        body = {
            "id": live.id,
            "name": spec["name"],
            "description": spec.get("description", ""),
            "version": current["version"],
            **mapping,
        }
        if overrides:
            body["statusMappingsByIssueTypeOverride"] = overrides
        ctx.client.post("/workflowscheme/update", body)

    def _workflow_ids(self, ctx: ApplyContext, live: Resource, spec: Spec) -> dict[str, Any]:
        """The new API's ``defaultWorkflowId`` and ``workflowsForIssueTypes`` for ``spec``."""
        types: dict[str, str] = spec.get("issue_types") or {}
        ids = workflow_ids(ctx, [spec["default_workflow"], *types.values()])
        groups: dict[str, list[str]] = {}
        for type_name, workflow in types.items():
            groups.setdefault(ids[workflow], []).append(ctx.id_of("issue_type", type_name))
        return {
            "id": live.id,
            "defaultWorkflowId": ids[spec["default_workflow"]],
            "workflowsForIssueTypes": [
                {"workflowId": w, "issueTypeIds": t} for w, t in groups.items()
            ],
        }

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/workflowscheme/{live.id}")


def workflow_ids(ctx: ApplyContext, names: list[str]) -> dict[str, str]:
    """Workflow ids by name: known to the apply, else read in one bulk request."""
    ids = {n: ctx.maybe_id_of("workflow", n) for n in dict.fromkeys(names)}
    unknown = [n for n, i in ids.items() if i is None]
    if unknown:
        found = ctx.client.post("/workflows", {"workflowNames": unknown})["workflows"]
        ids.update({w["name"]: str(w["id"]) for w in found})
    return {n: str(ids[n]) for n in names}


def status_overrides(
    ctx: ApplyContext, live: Resource, mapping: dict[str, Any]
) -> list[dict[str, Any]]:
    """Mappings for every status Jira says needs one, from jiracfg.yaml ``status_mappings``."""
    required = ctx.client.post("/workflowscheme/update/mappings", mapping)
    needed = required.get("statusMappingsByIssueTypes") or []
    if not needed:
        return []
    named = {str(s["name"]): str(s["id"]) for s in required.get("statuses") or []}
    rules = rules_for(ctx, live, lambda name: status_id(ctx, named, name))
    type_names = {r.id: r.address.key for r in ctx.live.of_kind("issue_type")}
    out = []
    for item in needed:
        type_name = type_names.get(str(item["issueTypeId"]), "")
        targets = {
            str(s): rules.get((type_name, str(s))) or rules.get(("", str(s)))
            for s in item.get("statusIds") or []
        }
        moves = [{"oldStatusId": s, "newStatusId": t} for s, t in targets.items() if t]
        if moves:
            out.append({"issueTypeId": str(item["issueTypeId"]), "statusMappings": moves})
    return out


def status_id(ctx: ApplyContext, named: dict[str, str], name: str) -> str | None:
    """A status's id: known to the apply (renamed in it, by either name), else as Jira named it."""
    return ctx.maybe_id_of("status", name, renamed=True) or named.get(name)


def rules_for(
    ctx: ApplyContext, live: Resource, status: Callable[[str], str | None]
) -> dict[tuple[str, str], str]:
    """``(issue type, from status id) -> to status id`` from the status mappings of projects using
    the scheme; ``("", from)`` holds the mappings for every issue type. Statuses are matched by id,
    so one renamed earlier in this apply may be named by its old name or its new one."""
    users = {
        str(p["id"])
        for p in ctx.client.cursor(
            f"/workflowscheme/{live.id}/projectUsages", {"maxResults": 200}, key="projects"
        )
    }
    rules: dict[tuple[str, str], str] = {}
    for rule in ctx.settings.get("status_mappings") or []:
        old, new = status(str(rule["from"])), status(str(rule["to"]))
        if ctx.maybe_id_of("project", str(rule.get("project"))) in users and old and new:
            rules.setdefault((str(rule.get("issue_type") or ""), old), new)
    return rules


KIND = WorkflowSchemeKind()

"""Bulk move (``POST /bulk/issues/move``; progress at ``issue_bulk``'s ``/bulk/queue/{taskId}``):
the one REST call of Jira Cloud that changes an issue's type across the sub-task line (a standard
issue into a sub-task of a parent, or back). The edit (``PUT /issue``) refuses ``issuetype`` and a
parent on a standard issue's way to sub-task; Jira's UI "Convert to sub-task" has no REST twin
(JRACLOUD-27893).

``targetToSourcesMapping`` maps ``"<project id or key>,<issue type id>[,<parent id or key>]"`` to
``{issueIdsOrKeys, inferStatusDefaults, inferFieldDefaults, ...}``; the parent is required when the
target type is a sub-task (and must be a standard issue of the project), refused otherwise. The
sandbox moves issues **within their project only** (a move to another project, which gives new
keys, answers 400: a documented gap). An issue keeps its key and status when the target type's
workflow has it; else ``inferStatusDefaults`` puts it in that workflow's initial status, and
without it (the sandbox takes no ``targetStatus``) that issue fails on its own, as does an issue
with sub-tasks moved to a sub-task type: the task still ends COMPLETE, the issue stays as it was
and is named, with its reasons, in the progress's ``failedAccessibleIssues`` (issue id ->
reasons), the spec's field for a per-issue failure. A malformed
body and validation errors answer 400 ``{"errors": [{"message"}]}`` (Jira's
BulkOperationErrorResponse), and 403 without the *Make bulk changes* permission (store meta, as for
the bulk delete); a caller whose permission scheme does not grant *Move issues* in an issue's
project, or *Create issues* in the target project, gets the bulk API's 400 naming those issues
(nothing moves); the move runs at submission in one transaction and is queued as the bulk delete
is (201 ``{"taskId"}``; the first poll reports RUNNING, later ones COMPLETE).
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import route, store
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._workflow_rules import has_permission
from jiracfg.sandbox.routes.issue_bulk import Refused, bulk_body, issue_by_ref, queued
from jiracfg.sandbox.routes.issues import children_of, level, save
from jiracfg.sandbox.store import Doc, Store

SHAPE = {"sendBulkNotification": bool, "targetToSourcesMapping": dict}
NO_STATUS = "The issue's status is not in the target workflow, and no targetStatus maps it"


@route("/rest/api/3/bulk/issues/move", "POST")
async def bulk_move(request: Request) -> Response:
    db = store(request)
    try:
        data = await bulk_body(request, SHAPE)
        mapping = data.get("targetToSourcesMapping")
        if not isinstance(mapping, dict) or not mapping:
            raise Refused("targetToSourcesMapping must map at least one target")
        moves = [m for key, value in mapping.items() for m in _moves(db, str(key), value)]
        _permitted(db, moves, request.state.account_id)
    except Refused as exc:
        return exc.response()
    started = int(time.time() * 1000)
    failed = {str(i["id"]): why for i, t in moves if (why := _why_not(db, i, t))}
    done = [(i, t) for i, t in moves if str(i["id"]) not in failed]
    with db.tx():
        for issue, target in done:
            _move(db, issue, target, request.state.account_id)
    return queued(request, started, len(moves), [int(i["id"]) for i, _ in done], 0, failed)


def _moves(db: Store, key: str, value: Any) -> list[tuple[Doc, dict[str, Any]]]:
    """(issue, target) for one mapping entry, everything checked before anything moves."""
    if not isinstance(value, dict) or not isinstance(value.get("issueIdsOrKeys"), list):
        raise Refused(f"Mapping {key!r} needs issueIdsOrKeys")
    target = _target(db, key, bool(value.get("inferStatusDefaults")))
    issues = [_issue(db, str(raw)) for raw in value["issueIdsOrKeys"]]
    for issue in issues:
        _check(db, issue, target)
    return [(issue, target) for issue in issues]


def _target(db: Store, key: str, infer_status: bool) -> dict[str, Any]:
    parts = [p.strip() for p in key.split(",")]
    if len(parts) not in (2, 3):
        raise Refused(f"Invalid target mapping key {key!r}")
    project = call("projects", "project_by_key_or_id", None, db, parts[0])
    types = call("issuetypes", "issue_types_of_project", [], db, project["id"]) if project else []
    issue_type = next((t for t in types if str(t["id"]) == parts[1]), None)
    if project is None or issue_type is None:
        raise Refused(f"Invalid target project or issue type in {key!r}")
    parent = _issue(db, parts[2]) if len(parts) == 3 and parts[2] else None
    subtask = int(issue_type.get("hierarchyLevel", 0)) == -1
    if subtask != (parent is not None):
        raise Refused("A parent is required exactly when the target issue type is a sub-task")
    if parent is not None and not _can_parent(db, parent, project):
        raise Refused("The parent must be a standard issue of the target project")
    return {"project": project, "type": issue_type, "parent": parent, "infer": infer_status}


def _can_parent(db: Store, parent: Doc, project: Doc) -> bool:
    return parent["projectId"] == project["id"] and level(db, parent["issueTypeId"]) == 0


def _issue(db: Store, raw: str) -> Doc:
    found = issue_by_ref(db, raw)
    if found is None:
        raise Refused("Some of the issues in the issueIdsOrKeys are not valid")
    return found


def _permitted(db: Store, moves: list[tuple[Doc, dict[str, Any]]], caller: str) -> None:
    """*Move issues* in each issue's project and *Create issues* in the target project, as the
    caller's permission schemes grant them (``_workflow_rules.has_permission``)."""
    for key, what in (("MOVE_ISSUES", "move"), ("CREATE_ISSUES", "create")):
        denied = [str(i["key"]) for i, _ in moves if not has_permission(db, i, key, caller)]
        if denied:
            raise Refused(
                f"You don't have permission to {what} issues in the project of "
                f"{', '.join(sorted(denied))} ({key})."
            )


def _check(db: Store, issue: Doc, target: dict[str, Any]) -> None:
    if issue["projectId"] != target["project"]["id"]:
        raise Refused("The sandbox moves issues within their project only")
    if target["parent"] is not None and target["parent"]["id"] == issue["id"]:
        raise Refused("An issue can't be its own parent")


def _why_not(db: Store, issue: Doc, target: dict[str, Any]) -> list[str]:
    """Why the task fails for this issue (it stays as it was), if it does."""
    why = [NO_STATUS] if _status(db, issue, target) is None else []
    if children_of(db, issue) and target["parent"] is not None:
        why.append("An issue with sub-tasks can't become a sub-task")
    return why


def _status(db: Store, issue: Doc, target: dict[str, Any]) -> str | None:
    project, type_id = issue["projectId"], target["type"]["id"]
    workflow = call("workflowschemes", "workflow_name_for", "jira", db, project, type_id)
    if issue["statusId"] in call("workflows", "workflow_status_ids", [], db, workflow):
        return str(issue["statusId"])
    return call("workflows", "initial_status_id", None, db, workflow) if target["infer"] else None


def _move(db: Store, issue: Doc, target: dict[str, Any], author: str) -> None:
    before = dict(issue, fields=dict(issue.get("fields") or {}))
    status = _status(db, issue, target)
    issue["issueTypeId"] = str(target["type"]["id"])
    issue["statusId"] = status
    if target["parent"] is None:
        issue["fields"].pop("parent", None)
    else:
        issue["fields"]["parent"] = target["parent"]["id"]
    save(db, before, issue, author)  # the parent -> children index follows (``link_parent``)


def seed_empty(db: Store) -> None:
    """A new site has no bulk moves."""


ROUTES = [bulk_move]

"""Workflow rules the sandbox runs on a transition (the workflow's ``ruleKey``/``parameters``, ids
comma-separated as Jira stores them).

Conditions (a transition whose conditions fail is not offered, and doing it answers 400):
- ``system:restrict-issue-transition``: ``accountIds`` (``allow-assignee``, ``allow-reporter`` or
  account ids), ``groupIds`` (the caller is in one), ``roleIds`` (the caller is an actor of one of
  the project roles, directly or through a group), ``permissionKeys`` (the project's permission
  scheme grants the caller each: anyone, application role, group, project role, user, project lead,
  reporter, assignee); every parameter given must pass.
- ``system:previous-status-condition``: ``previousStatusIds`` (the issue has been in the status;
  ``not: true`` reverses it).

Validators (a failing one answers Jira's 400 with its message, ``errorMessage`` when set):
- ``system:validate-field-value``: ``fieldRequired`` (``fieldsRequired``), ``fieldMatchesRegular
  Expression`` (``fieldKey``, ``regexp``);
- ``system:check-permission-validator``: ``permissionKey``.

Post functions (run after the move; a value Jira would refuse is skipped, as a post function
never fails the transition):
- ``system:update-field``: ``field``, ``value`` (an id for resolution, priority and options;
  empty clears; ``mode: append`` adds to text and lists) — the resolution post function is this
  rule on ``resolution``;
- ``system:change-assignee``: ``type`` ``to-unassigned``, ``to-current-user``,
  ``to-selected-user`` (``accountId``), ``to-default-user`` (the project lead);
- ``system:copy-value-from-other-field``: ``sourceFieldKey`` to ``targetFieldKey``.
"""

from __future__ import annotations

import re
from typing import Any

from jiracfg.sandbox.http import ApiError
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.store import Doc, Store

RESTRICT, REQUIRE = "system:restrict-issue-transition", "system:validate-field-value"
PREVIOUS = "system:previous-status-condition"
PERMISSION = "system:check-permission-validator"
UPDATE, ASSIGN, COPY = (
    "system:update-field",
    "system:change-assignee",
    "system:copy-value-from-other-field",
)
NO_PERMISSION = "You do not have permission to transition this issue."


def ids(params: dict[str, Any], key: str) -> list[str]:
    return [v for v in str(params.get(key) or "").split(",") if v]


# -- conditions --------------------------------------------------------------------------------
def conditions_pass(db: Store, group: Doc, doc: Doc, caller: str) -> bool:
    results = [rule_passes(db, r, doc, caller) for r in group.get("conditions") or []]
    results += [conditions_pass(db, g, doc, caller) for g in group.get("conditionGroups") or []]
    if not results:
        return True
    return any(results) if group.get("operation") == "ANY" else all(results)


def rule_passes(db: Store, rule: Doc, doc: Doc, caller: str) -> bool:
    params = rule.get("parameters") or {}
    if rule.get("ruleKey") == PREVIOUS:
        been = any(s in visited(db, doc) for s in ids(params, "previousStatusIds"))
        return been != (str(params.get("not")).lower() == "true")
    if rule.get("ruleKey") != RESTRICT:
        return True
    checks = (
        not ids(params, "accountIds") or caller in allowed_accounts(doc, ids(params, "accountIds")),
        not ids(params, "groupIds")
        or any(in_group(db, g, caller) for g in ids(params, "groupIds")),
        not ids(params, "roleIds")
        or any(in_role(db, doc, r, caller) for r in ids(params, "roleIds")),
        all(has_permission(db, doc, k, caller) for k in ids(params, "permissionKeys")),
    )
    return all(checks)


def allowed_accounts(doc: Doc, accounts: list[str]) -> set[str]:
    special = {"allow-assignee": "assignee", "allow-reporter": "reporter"}
    return {doc["fields"].get(special[a]) if a in special else a for a in accounts}


def visited(db: Store, doc: Doc) -> set[str]:
    """The statuses the issue has been in (its changelog), the current one included."""
    seen = {str(doc["statusId"])}
    for entry in db.all("issue_history", str(doc["id"])):
        for item in entry.get("items") or []:
            if item.get("field") == "status":
                seen |= {str(item.get("from")), str(item.get("to"))}
    return seen


def in_group(db: Store, group_id: str, caller: str) -> bool:
    group = call("core", "find_group", None, db, group_id) or {}
    return caller in group.get("members", [])


def in_role(db: Store, doc: Doc, role_id: str, caller: str) -> bool:
    actors = db.get("project_role_actors", f"{doc['projectId']}:{role_id}") or {}
    return any(
        (a["type"] == "user" and a["value"] == caller)
        or (a["type"] != "user" and in_group(db, a["value"], caller))
        for a in actors.get("actors") or []
    )


def has_permission(db: Store, doc: Doc, key: str, caller: str) -> bool:
    """Whether the project's permission scheme grants ``key`` to ``caller`` on ``doc``."""
    link = db.get("permission_scheme_project", doc["projectId"]) or {}
    grants = db.all("permission_grant", str(link.get("schemeId", "0")))
    return any(g["permission"] == key and holds(db, doc, g, caller) for g in grants)


def demand(db: Store, doc: Doc, key: str, caller: str, status: int, message: str) -> None:
    """Refuse a write on ``doc`` (``status``, ``message``) unless the caller holds ``key``."""
    if not has_permission(db, doc, key, caller):
        raise ApiError(status, message)


def holds(db: Store, doc: Doc, grant: Doc, caller: str) -> bool:
    kind, value = grant.get("type"), grant.get("value")
    if kind in ("anyone", "applicationRole"):
        return True
    if kind == "group":
        return in_group(db, str(value), caller)
    if kind == "projectRole":
        return in_role(db, doc, str(value), caller)
    if kind == "projectLead":
        project = call("projects", "get_project", None, db, doc["projectId"]) or {}
        return bool(project.get("leadAccountId") == caller)
    person = {"user": value, "reporter": doc["fields"].get("reporter")}
    person["assignee"] = doc["fields"].get("assignee")
    return bool(kind in person and person[str(kind)] == caller)


# -- validators --------------------------------------------------------------------------------
def check_validators(db: Store, doc: Doc, t: Doc, caller: str, is_empty: Any) -> None:
    """Raise Jira's 400 with the messages of the validators the moved issue fails."""
    messages: list[str] = []
    for rule in t.get("validators") or []:
        messages += failures(db, doc, rule, caller, is_empty)
    if messages:
        raise ApiError(400, *messages)


def failures(db: Store, doc: Doc, rule: Doc, caller: str, is_empty: Any) -> list[str]:
    params, key = rule.get("parameters") or {}, rule.get("ruleKey")
    custom = str(params["errorMessage"]) if params.get("errorMessage") else None
    if key == PERMISSION:
        ok = has_permission(db, doc, str(params.get("permissionKey")), caller)
        return [] if ok else [custom or NO_PERMISSION]
    if key != REQUIRE:
        return []
    if params.get("ruleType") == "fieldRequired":
        missing = [f for f in ids(params, "fieldsRequired") if is_empty(doc, f)]
        return [custom or f"{field_name(db, f)} is required." for f in missing]
    if params.get("ruleType") == "fieldMatchesRegularExpression":
        field = str(params.get("fieldKey"))
        if re.fullmatch(str(params.get("regexp") or ".*"), text_of(doc, field)):
            return []
        return [custom or f"{field_name(db, field)} does not match the expected format."]
    return []


def field_name(db: Store, field_id: str) -> str:
    return str((call("fields", "get_field", None, db, field_id) or {}).get("name", field_id))


def text_of(doc: Doc, field_id: str) -> str:
    value = doc.get(field_id) if field_id == "summary" else doc["fields"].get(field_id)
    return "" if value is None else str(value)


# -- post functions ----------------------------------------------------------------------------
def post_functions(db: Store, doc: Doc, t: Doc, caller: str, set_field: Any) -> None:
    """Run the transition's post functions on ``doc`` (before it is saved)."""
    for rule in t.get("actions") or []:
        params, key = rule.get("parameters") or {}, rule.get("ruleKey")
        try:
            if key == UPDATE:
                update_field(db, doc, params, set_field)
            elif key == ASSIGN:
                set_field(db, doc, "assignee", assignee(db, doc, params, caller))
            elif key == COPY:
                copy_field(db, doc, params, set_field)
        except (ValueError, ApiError, TypeError):
            continue  # Jira skips a post function it cannot run; the transition stands


def update_field(db: Store, doc: Doc, params: dict[str, Any], set_field: Any) -> None:
    field, value = str(params.get("field") or ""), str(params.get("value") or "")
    if params.get("mode") == "append" and value:
        current = doc["labels"] if field == "labels" else doc["fields"].get(field)
        if isinstance(current, list):
            set_field(db, doc, field, [*current, value])
            return
        if isinstance(current, str):
            value = current + value
    set_field(db, doc, field, raw_value(db, field, value))


def raw_value(db: Store, field_id: str, value: str) -> Any:
    """The REST value a post function's string stands for."""
    if value == "":
        return None
    if field_id in ("resolution", "priority"):
        return {"id": value}
    if field_id == "labels":
        return [value]
    schema = (call("fields", "get_field", None, db, field_id) or {}).get("schema") or {}
    kinds = {"option": {"id": value}, "number": float(value) if _number(value) else value}
    kinds["user"] = {"accountId": value}
    return kinds.get(str(schema.get("type")), value)


def _number(value: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def assignee(db: Store, doc: Doc, params: dict[str, Any], caller: str) -> Any:
    kind = params.get("type")
    if kind == "to-current-user":
        return {"accountId": caller}
    if kind == "to-selected-user":
        return {"accountId": str(params.get("accountId"))}
    if kind == "to-default-user":
        project = call("projects", "get_project", None, db, doc["projectId"]) or {}
        return {"accountId": project.get("leadAccountId")} if project.get("leadAccountId") else None
    return None


def copy_field(db: Store, doc: Doc, params: dict[str, Any], set_field: Any) -> None:
    source, target = str(params.get("sourceFieldKey")), str(params.get("targetFieldKey"))
    value = doc.get(source) if source == "summary" else doc["fields"].get(source)
    if isinstance(value, str):
        set_field(db, doc, target, raw_value(db, target, value))

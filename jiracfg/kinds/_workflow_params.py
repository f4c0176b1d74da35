"""Workflow rule parameters Jira holds ids in, by parameter key: which kind of object each names,
which hold comma-separated lists, and what the repo writes for an object deleted since (see
``_workflow_rules``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jiracfg.model import Spec

SCREEN_RULE = "system:transition-screen"
UPDATE_FIELD = "system:update-field"
OPTION_CONTEXT = "option_context"  # jiracfg's own parameter: never sent to Jira
OPTION_TYPES = frozenset({"select", "radiobuttons", "multiselect", "multicheckboxes"})
FIELD_PARAMS = (
    "fieldsRequired",
    "fieldKey",
    "fieldId",
    "date1FieldKey",
    "date2FieldKey",
    "sourceFieldKey",
    "targetFieldKey",
    "field",
    "remindingFieldIds",
    "groupCustomFields",
    "allowUserCustomFields",
    "denyUserCustomFields",
)
PARAM_KINDS = {
    "statusIds": "status",
    "previousStatusIds": "status",
    "fromStatusId": "status",
    "toStatusId": "status",
    "roleIds": "project_role",
    "screenId": "screen",
    **dict.fromkeys(FIELD_PARAMS, "custom_field"),
}
LIST_PARAMS = {
    "statusIds",
    "previousStatusIds",
    "fieldsRequired",
    "remindingFieldIds",
    "groupCustomFields",
    "allowUserCustomFields",
    "denyUserCustomFields",
    "roleIds",
    "groupIds",
    "groupsExemptFromValidation",
    "accountIds",
    "permissionKeys",
}
PEOPLE_PARAMS = {
    "groupIds": "group",
    "groupsExemptFromValidation": "group",
    "accountIds": "user",
    "accountId": "user",
}
USER_TOKENS = frozenset({"allow-assignee", "allow-reporter"})  # accountIds that are not users
VALUE_KINDS = {"resolution": "resolution", "priority": "priority"}  # update-field's ``value``,
# by the field's id on the wire and its (casefolded) name in the repo
Rule = dict[str, Any]


def deleted(kind: str) -> str:
    """What the repo holds for the id of a deleted object of ``kind``: ``(deleted group)``."""
    return f"(deleted {kind.replace('_', ' ')})"


DELETED = frozenset(map(deleted, {*PARAM_KINDS.values(), *VALUE_KINDS.values(), "group", "option"}))


def param_kind(key: str, params: dict[str, Any]) -> str | None:
    """The kind of object a rule parameter names (``value`` follows its ``field``)."""
    if key == "value":
        return VALUE_KINDS.get(str(params.get("field")).casefold())
    return PARAM_KINDS.get(key) or PEOPLE_PARAMS.get(key)


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def rules_in(t: Spec) -> Iterator[Rule]:
    """Every rule of a transition: validators, post functions, conditions at any depth."""
    yield from t.get("validators", [])
    yield from t.get("actions", [])
    groups = [t.get("conditions") or {}]
    while groups:
        group = groups.pop()
        yield from group.get("rules", [])
        groups += group.get("groups", [])

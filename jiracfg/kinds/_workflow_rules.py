"""Workflow rule parameters: Jira's ids as the repo's names (fetch) and back (apply).

Jira stores a rule's parameters as strings holding ids (comma-separated lists of them). The repo
holds names: statuses, fields, project roles, screens, groups, and the resolution or priority an
update-field post function sets, by name; users (``accountIds``, ``accountId``) by email; lists
as lists. An option an update-field post function sets on a select field (select, radio
buttons, multi select, checkboxes) is written by value with ``option_context``, the name of the
field context holding it: option values repeat across a field's contexts, and the workflow must
be written after that context (its reference orders the apply); validate refuses a value the
context does not have.

Jira keeps a rule's ids when the object is deleted (deleting a group transfers only comment and
worklog restrictions). Such an id is exported as ``(deleted group)`` (``(deleted status)``...):
the repo validates and the plan stays empty while the site keeps it, but a plan that writes the
workflow stops with an error at that line, since no object on any site can stand for it. Ids of
kinds not read stay as they are.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, FetchContext, drop_empty, fold, refs_to
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.model import Address, Snapshot, Spec

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


# -- what a spec names -------------------------------------------------------------------------
def param_refs(params: dict[str, Any]) -> Iterator[Address]:
    """The objects a rule's parameters name (users aside: they are not in the repo)."""
    for key, value in params.items():
        kind = param_kind(key, params)
        if kind and kind != "user":
            yield from refs_to(kind, [v for v in listed(value) if v not in DELETED])
    if params.get(OPTION_CONTEXT):
        yield Address("field_context", option_context(params))


def option_context(params: dict[str, Any]) -> str:
    """The key of the field context an update-field's option belongs to."""
    return f"{params.get('field')}/{params.get(OPTION_CONTEXT)}"


def people(spec: Spec) -> Iterator[str]:
    """The users (``user:<email>``) and groups (``group:<name>``) the workflow's rules name."""
    for t in spec.get("transitions") or []:
        for rule in rules_in(t):
            params = rule.get("parameters") or {}
            for key, value in params.items():
                kind = param_kind(key, params)
                for name in listed(value):
                    if name in DELETED:
                        continue
                    if kind == "group" or (kind == "user" and name not in USER_TOKENS):
                        yield f"{kind}:{name}"


def deleted_names(spec: Spec) -> Iterator[tuple[str, str, str]]:
    """(transition, rule key, ``(deleted ...)``) for each deleted object a rule still names."""
    for t in spec.get("transitions") or []:
        if t.get("screen") in DELETED:
            yield str(t.get("name")), "screen", str(t["screen"])
        for rule in rules_in(t):
            for value in (rule.get("parameters") or {}).values():
                for name in listed(value):
                    if name in DELETED:
                        yield str(t.get("name")), str(rule.get("rule")), name


def option_flaws(spec: Spec, repo: Snapshot) -> Iterator[tuple[str, str, str]]:
    """(message, value to point at, hint) for each update-field option the repo lacks."""
    for t in spec.get("transitions") or []:
        for rule in rules_in(t):
            params = rule.get("parameters") or {}
            if rule.get("rule") == UPDATE_FIELD and params.get("value") not in (None, *DELETED):
                yield from _option_flaw(params, repo)


def _option_flaw(params: dict[str, Any], repo: Snapshot) -> Iterator[tuple[str, str, str]]:
    field, value = repo.get(Address("custom_field", str(params.get("field")))), params["value"]
    if field is None or field.spec.get("type") not in OPTION_TYPES:
        return
    contexts = [c for c in repo.of_kind("field_context") if c.spec["field"] == params["field"]]
    holders = [c.spec["name"] for c in contexts if fold(str(value)) in _values(c.spec)]
    if params.get(OPTION_CONTEXT) in holders:
        return
    named = params.get(OPTION_CONTEXT)
    yield (
        f"the update-field post function sets {params['field']} to {value!r}, "
        + _missing(named, holders),
        str(value),
        f"name the option's context: {OPTION_CONTEXT}: {holders[0]!r}"
        if holders
        else f"use an option of a context of {params['field']}, or add the option to one",
    )


def _missing(named: str | None, holders: list[str]) -> str:
    if named:
        return f"an option context {named!r} of the field does not have"
    if holders:
        return f"without naming its context ({OPTION_CONTEXT})"
    return "which no context of the field has"


def _values(context: Spec) -> set[str]:
    return {fold(str(o["value"])) for o in context.get("options") or []}


# -- fetch: ids to names -----------------------------------------------------------------------
def read_rule(ctx: FetchContext, rule: dict[str, Any]) -> Rule:
    raw = rule.get("parameters") or {}
    params = {k: read_param(ctx, k, v, param_kind(k, raw)) for k, v in raw.items()}
    if rule["ruleKey"] == UPDATE_FIELD:
        params = read_option(ctx, raw, params)
    return drop_empty({"rule": rule["ruleKey"], "parameters": drop_empty(params)})


def read_param(ctx: FetchContext, key: str, value: str, kind: str | None) -> Any:
    items = [v for v in value.split(",") if v] if key in LIST_PARAMS else [value]
    names = [name_of(ctx, kind, v) if kind else v for v in items]
    return names if key in LIST_PARAMS else names[0]


def name_of(ctx: FetchContext, kind: str, jira_id: str) -> str:
    if kind == "group":
        return Directory.of(ctx).groups().get(jira_id) or deleted(kind)
    if kind == "user":
        return jira_id if jira_id in USER_TOKENS else Directory.of(ctx).email(jira_id)
    found = ctx.maybe_name_of(kind, jira_id)
    if found is None and ctx.live.of_kind(kind):  # the kind was read: the object is gone
        return deleted(kind)
    return found or jira_id


def read_option(ctx: FetchContext, raw: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """An update-field's option of a select field by value, with its context's name."""
    field_id, value = str(raw.get("field") or ""), str(raw.get("value") or "")
    if not value or not _option_field(ctx, field_id):
        return params
    found = _field_options(ctx, field_id).get(value)
    if found is None:
        return {**params, "value": deleted("option")}
    return {**params, "value": found[1], OPTION_CONTEXT: found[0]}


def _option_field(ctx: FetchContext, field_id: str) -> bool:
    key = ctx.maybe_name_of("custom_field", field_id)
    field = ctx.live.get(Address("custom_field", key)) if key else None
    return field is not None and field.spec.get("type") in OPTION_TYPES


_OPTIONS: weakref.WeakKeyDictionary[FetchContext, dict[str, dict[str, tuple[str, str]]]] = (
    weakref.WeakKeyDictionary()
)
_OPTIONS_LOCK = threading.Lock()


def _field_options(ctx: FetchContext, field_id: str) -> dict[str, tuple[str, str]]:
    """Option id -> (context name, value) of a field's options, read once per fetch."""
    with _OPTIONS_LOCK:
        known = _OPTIONS.setdefault(ctx, {})
    if field_id not in known:
        known[field_id] = dict(_read_options(ctx, field_id))
    return known[field_id]


def _read_options(ctx: FetchContext, field_id: str) -> Iterable[tuple[str, tuple[str, str]]]:
    path = f"/field/{field_id}/context"
    for context in ctx.client.paged(path):
        for option in ctx.client.paged(f"{path}/{context['id']}/option", page_size=1000):
            if not option.get("optionId"):  # the types with options have no cascading ones
                yield str(option["id"]), (str(context["name"]), str(option["value"]))


# -- apply: names to ids -----------------------------------------------------------------------
def wire_rule(ctx: ApplyContext, rule: Rule) -> dict[str, Any]:
    params = rule.get("parameters", {})
    wired = {
        k: wire_param(ctx, v, param_kind(k, params))
        for k, v in params.items()
        if k != OPTION_CONTEXT
    }
    if params.get(OPTION_CONTEXT):
        wired["value"] = option_id(ctx, params)
    return {"ruleKey": rule["rule"], "parameters": wired}


def wire_param(ctx: ApplyContext, value: Any, kind: str | None) -> str:
    return ",".join(id_of(ctx, kind, str(v)) if kind else str(v) for v in listed(value))


def id_of(ctx: ApplyContext, kind: str, name: str) -> str:
    if name in DELETED:
        raise UnresolvedReferenceError(
            f"a workflow rule names {name}: no object on the site stands for it",
            hint="remove it from the rule, or name an existing object",
        )
    if kind == "group":
        return for_apply(ctx).group_id(name)
    if kind == "user":
        return name if name in USER_TOKENS else for_apply(ctx).account_id(name)
    return ctx.maybe_id_of(kind, name) or name


def option_id(ctx: ApplyContext, params: dict[str, Any]) -> str:
    """The id of the option an update-field sets, from its context on the target site."""
    field_id = ctx.id_of("custom_field", str(params["field"]))
    context_id = ctx.id_of("field_context", option_context(params))
    path = f"/field/{field_id}/context/{context_id}/option"
    for option in ctx.client.paged(path, page_size=1000):
        if not option.get("optionId") and fold(str(option["value"])) == fold(params["value"]):
            return str(option["id"])
    raise UnresolvedReferenceError(
        f"field context {option_context(params)!r} has no option {params['value']!r}",
        hint="add the option to the context, or fix the post function's value",
    )

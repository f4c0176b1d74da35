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
the repo validates and the plan stays empty while the site keeps it; an update sends the rule as
the site holds it (``_workflow_deleted``), and a plan that creates the workflow or changes that
rule stops with an error at that line, since no object on any site can stand for it. Ids of
kinds not read stay as they are.

The parameter tables are in ``_workflow_params``, the select options in ``_workflow_options``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, FetchContext, drop_empty, refs_to
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.kinds._workflow_options import option_context, option_flaws, option_id, read_option
from jiracfg.kinds._workflow_params import (
    DELETED,
    LIST_PARAMS,
    OPTION_CONTEXT,
    SCREEN_RULE,
    UPDATE_FIELD,
    USER_TOKENS,
    Rule,
    deleted,
    listed,
    param_kind,
    rules_in,
)
from jiracfg.model import Address, Spec

ID = re.compile(r"\d+|customfield_\d+")  # the ids of statuses, roles, screens... and of fields

__all__ = [
    "DELETED",
    "SCREEN_RULE",
    "Rule",
    "name_of",
    "option_flaws",
    "param_refs",
    "people",
    "read_rule",
    "rules_in",
    "wire_rule",
]


# -- what a spec names -------------------------------------------------------------------------
def param_refs(params: dict[str, Any]) -> Iterator[Address]:
    """The objects a rule's parameters name (users aside: they are not in the repo)."""
    for key, value in params.items():
        kind = param_kind(key, params)
        if kind and kind != "user":
            yield from refs_to(kind, [v for v in listed(value) if v not in DELETED])
    if params.get(OPTION_CONTEXT):
        yield Address("field_context", option_context(params))


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
    """The name of the object ``jira_id`` is the id of; ``(deleted <kind>)`` for an id of an
    object gone from a kind that was read; anything else (empty, ``-1``, a name) as it is."""
    if kind == "group":
        return group_name(ctx, jira_id)
    if kind == "user":
        return jira_id if jira_id in USER_TOKENS else Directory.of(ctx).email(jira_id)
    found = ctx.maybe_name_of(kind, jira_id)
    if found is None and ID.fullmatch(jira_id) and ctx.live.of_kind(kind):  # the object is gone
        return deleted(kind)
    return found or jira_id


def group_name(ctx: FetchContext, group_id: str) -> str:
    groups = Directory.of(ctx).groups()
    if group_id in groups or not group_id:
        return groups.get(group_id, group_id)
    named = group_id.casefold() in {n.casefold() for n in groups.values()}
    return group_id if named else deleted("group")  # a group named by name stays


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

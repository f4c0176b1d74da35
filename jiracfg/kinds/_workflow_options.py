"""The option an update-field post function sets on a select field (select, radio buttons, multi
select, checkboxes): Jira holds the option's id; the repo holds its value and ``option_context``,
the name of the field context that has it (values repeat across a field's contexts, and the
reference orders the workflow's write after that context). Export reads the field's options once
per fetch; apply reads the context's options on the target; validate refuses a value the context
does not have (``option_flaws``). A create in a reference cycle through that context (limited to a
project whose workflow scheme uses this workflow) is written first without those post functions,
then updated with them once the context exists (``deferred_options``)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, Deferred, FetchContext, fold
from jiracfg.kinds._workflow_params import (
    DELETED,
    OPTION_CONTEXT,
    OPTION_TYPES,
    UPDATE_FIELD,
    deleted,
    rules_in,
)
from jiracfg.model import Address, Snapshot, Spec


def option_context(params: dict[str, Any]) -> str:
    """The key of the field context an update-field's option belongs to."""
    return f"{params.get('field')}/{params.get(OPTION_CONTEXT)}"


def deferred_options(spec: Spec, among: Collection[Address]) -> tuple[list[Deferred], Spec]:
    """The update-field post functions whose option's context is in ``among``, and ``spec``
    without them: left out, not sent without a value, since an update-field with an empty value
    clears the field (a reopen transition's "the resolution will be cleared" is that rule on
    ``resolution``): the transition would empty the field until the second write, where without
    the post function it leaves the field as it is."""
    found: list[Deferred] = []
    moves = []
    for t in spec.get("transitions") or []:
        actions = t.get("actions") or []
        found += [_deferred(t, a) for a in actions if _context_of(a) in among]
        kept = [a for a in actions if _context_of(a) not in among]
        moves.append(t if len(kept) == len(actions) else _with_actions(t, kept))
    return found, ({**spec, "transitions": moves} if found else spec)


def _context_of(rule: dict[str, Any]) -> Address | None:
    params = rule.get("parameters") or {}
    if rule.get("rule") != UPDATE_FIELD or not params.get(OPTION_CONTEXT):
        return None
    return Address("field_context", option_context(params))


def _deferred(t: Spec, rule: dict[str, Any]) -> Deferred:
    ref = _context_of(rule)
    assert ref is not None
    value = (rule.get("parameters") or {}).get("value")
    return Deferred(ref, f"post function {UPDATE_FIELD} ({value!r}) on transition {t['name']!r}")


def _with_actions(t: Spec, actions: list[dict[str, Any]]) -> Spec:
    """``t`` with ``actions`` (without the key when none are left)."""
    return {k: v for k, v in {**t, "actions": actions}.items() if k != "actions" or v}


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


def read_option(ctx: FetchContext, raw: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """An update-field's option of a select field by value, with its context's name."""
    field_id, value = str(raw.get("field") or ""), str(raw.get("value") or "")
    if not value or not _option_field(ctx, field_id):
        return params
    found = _field_options(ctx, field_id).get(value)
    if found is None:  # an option id, else a value this does not read (several ids): kept
        return {**params, "value": deleted("option")} if value.isdigit() else params
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

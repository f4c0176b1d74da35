"""Rules that name objects deleted from the site (``(deleted group)``: see ``_workflow_rules``).

No object can stand for such a name, so a rule naming one is written only where the site already
holds it: an update of a workflow sends the live rule as Jira holds it (its ids) when the
transition (by id, else by name and target) has an equal rule, and the plan stops a create, or an
update that changes such a rule (``unkept``). Other edits of the workflow go through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jiracfg.kinds._workflow_params import DELETED, Rule, listed, rules_in
from jiracfg.model import Spec

Doc = dict[str, Any]
Kept = dict[str, dict[str, list[Doc]]]  # transition -> rule (canonical JSON) -> raw live rules


def names_deleted(rule: Rule) -> bool:
    return any(
        v in DELETED for value in (rule.get("parameters") or {}).values() for v in listed(value)
    )


def rule_key(rule: Rule) -> str:
    return json.dumps(rule, sort_keys=True)


def transition_of(t: Spec) -> str:
    """How a transition is matched with its live self: by id, else by name and target."""
    return f"id:{t['id']}" if t.get("id") else _move(t)


def _move(t: Spec) -> str:
    return f"move:{t.get('name')} -> {t.get('to')}"


def raw_rules_in(t: Doc) -> Iterator[Doc]:
    """A live transition's rules in the order ``rules_in`` walks its spec."""
    yield from t.get("validators") or []
    yield from t.get("actions") or []
    groups = [t.get("conditions") or {}]
    while groups:
        group = groups.pop()
        yield from group.get("conditions") or []
        groups += group.get("conditionGroups") or []


def kept_rules(spec: Spec, raw: list[Doc]) -> Kept:
    """The fetched workflow's rules naming deleted objects with the raw rules they were read
    from (``spec`` is read from ``raw``: same transitions, same rules, same order)."""
    kept: Kept = {}
    by_id = {str(t.get("id")): t for t in raw}
    for t in spec.get("transitions") or []:
        raw_t = by_id.get(str(t.get("id")), {})
        for rule, found in zip(rules_in(t), raw_rules_in(raw_t), strict=False):  # read from it
            if names_deleted(rule):
                rules = kept.setdefault(transition_of(t), {})
                kept.setdefault(_move(t), rules)  # a transition written without an id
                rules.setdefault(rule_key(rule), []).append(found)
    return kept


def unkept(spec: Spec, live: Spec | None) -> Iterator[tuple[str, str, str]]:
    """(transition, rule key, deleted name) for each rule of ``spec`` naming a deleted object
    that the live workflow does not hold as it is (a create, or a changed rule)."""
    held = _held(live or {})
    for t in spec.get("transitions") or []:
        for rule in rules_in(t):
            if names_deleted(rule) and not _take(held, transition_of(t), rule):
                yield from _deleted_in(t, rule)
    for t in spec.get("transitions") or []:
        if t.get("screen") in DELETED:
            yield str(t.get("name")), "screen", str(t["screen"])


def _held(live: Spec) -> dict[str, list[str]]:
    held: dict[str, list[str]] = {}
    for t in live.get("transitions") or []:
        rules = held[transition_of(t)] = [rule_key(r) for r in rules_in(t) if names_deleted(r)]
        held.setdefault(_move(t), rules)  # a transition written without an id
    return held


def _take(held: dict[str, list[str]], transition: str, rule: Rule) -> bool:
    found = held.get(transition) or []
    if rule_key(rule) not in found:
        return False
    found.remove(rule_key(rule))
    return True


def _deleted_in(t: Spec, rule: Rule) -> Iterator[tuple[str, str, str]]:
    for value in (rule.get("parameters") or {}).values():
        for name in listed(value):
            if name in DELETED:
                yield str(t.get("name")), str(rule.get("rule")), name


def kept_raw(kept: Kept, t: Spec, rule: Rule) -> Doc | None:
    """The live rule as Jira holds it that ``rule`` of transition ``t`` stands for, taken once
    (None: the live transition has no such rule)."""
    found = (kept.get(transition_of(t)) or {}).get(rule_key(rule)) or []
    if not names_deleted(rule) or not found:
        return None
    raw = found.pop(0)
    return {"ruleKey": raw["ruleKey"], "parameters": raw.get("parameters") or {}}

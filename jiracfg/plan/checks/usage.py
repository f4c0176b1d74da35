"""Objects still used by issues are not removed without a replacement.

Deleting a status, issue type, priority or resolution that issues still use, or removing a dropdown
option that issues hold, loses data: such a change is refused until the issues are moved (or the
object is kept). Options are identified by value (see ``jiracfg.kinds._field_options``): an option
renamed in place (``renamed_from``) or taken over by another (``replaces``) is declared, so it is
no error, and the plan says how many issues it changes (a warning). Options are counted with JQL on
the field's name; when several live fields share that name, JQL can't tell them apart, and the
removal is refused as uncounted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from jiracfg.kinds._field_options import pair, replacements
from jiracfg.model import Address
from jiracfg.plan.checks._inputs import UNCOUNTED, Inputs, issues, jql_value
from jiracfg.plan.model import Action, Change, Problem

CLAUSES = {
    "status": ("status", "status"),
    "issue_type": ("issuetype", "issue type"),
    "priority": ("priority", "priority"),
    "resolution": ("resolution", "resolution"),
}
OPTION_HINT = (
    "declare where its issues go: `replaces: [{value}]` on the option that takes them over, or "
    "`renamed_from: {value}` on the option it becomes (renamed in place); or disable it "
    "(disabled: true) instead of removing it"
)
AMBIGUOUS_HINT = (
    "disable the option (disabled: true) instead of removing it, or give the field "
    "a unique name first"
)


@dataclass(frozen=True)
class Use:
    address: Address
    what: str  # "status 'Review'", "option 'Data' of field 'Team'"
    hint: str
    jql: str = ""  # "": the issues can't be counted, for ``why``
    why: str = ""
    declared: str = ""  # what the config declares for them (a warning, not an error)


def queries(inputs: Inputs) -> set[str]:
    return {u.jql for u in _uses(inputs) if u.jql}


def used_objects_keep_a_replacement(inputs: Inputs) -> list[Problem]:
    problems = []
    for use in _uses(inputs):
        count = inputs.count(use.jql) if use.jql else UNCOUNTED
        if count:
            problems.append(
                Problem(
                    "warning" if use.declared else "error",
                    "used_objects_keep_a_replacement",
                    _message(use, count),
                    use.hint,
                    str(use.address),
                )
            )
    return problems


def _message(use: Use, count: int) -> str:
    if use.declared:
        return f"{issues(count)} holding {use.what} {use.declared}" + (
            f" (JQL: {use.jql})" if use.jql else ""
        )
    if count != UNCOUNTED:
        return f"{issues(count)} still use {use.what} (JQL: {use.jql})"
    why = use.why or f"Jira refused the JQL {use.jql}"
    return f"could not count the issues that use {use.what}: {why}"


def _uses(inputs: Inputs) -> Iterator[Use]:
    for change in inputs.of(Action.DELETE):
        if change.address.kind in CLAUSES:
            (clause, noun), key = CLAUSES[change.address.kind], change.address.key
            yield Use(
                change.address,
                f"{noun} {key!r}",
                f"bulk-change those issues to another {noun} first, or keep {key!r}",
                f"{clause} = {jql_value(key)}",
            )
    contexts = [
        c for c in inputs.changes if c.address.kind == "field_context" and c.before is not None
    ]
    namesakes = _namesakes(inputs) if contexts else Counter[str]()
    for change in contexts:
        yield from _removed_options(inputs, change, namesakes)


def _removed_options(inputs: Inputs, change: Change, namesakes: Counter[str]) -> Iterator[Use]:
    before, after = change.before or {}, change.after or {}
    wanted = after.get("options") or []
    takers = replacements(wanted)
    name, bearers = _field_name(inputs, str(before.get("field", "")), namesakes)
    for live, desired in pair(before.get("options") or [], wanted):
        if live is None or (desired is not None and _same(desired, live)):
            continue
        value = str(live["value"])
        use = _option_use(change.address, f"option {value!r} of field {name!r}", name, value)
        if bearers > 1:
            why = f"{bearers} live fields are named {name!r}, JQL can't tell them apart"
            use = Use(use.address, use.what, AMBIGUOUS_HINT, why=why)
        taker = desired or takers.get(value.casefold())
        if taker is not None:
            verb = "renamed in place to" if desired else "replaced by"
            use = replace(use, declared=f"will hold {taker['value']!r} ({verb} it, as declared)")
        yield use


def _option_use(address: Address, what: str, field: str, value: str) -> Use:
    hint = OPTION_HINT.format(value=value)
    return Use(address, what, hint, f"{jql_value(field)} = {jql_value(value)}")


def _namesakes(inputs: Inputs) -> Counter[str]:
    """How many live fields bear each name (case-folded): counted once per plan."""
    fields = inputs.live.of_kind("custom_field")
    return Counter(str(f.spec.get("name", "")).casefold() for f in fields)


def _field_name(inputs: Inputs, key: str, namesakes: Counter[str]) -> tuple[str, int]:
    """The live field's real name (its key may be an alias) and how many live fields bear it."""
    field = inputs.live.get(Address("custom_field", key))
    name = str(field.spec.get("name", key)) if field is not None else key
    return name, namesakes[name.casefold()]


def _same(desired: dict[str, object], live: dict[str, object]) -> bool:
    return str(desired["value"]).casefold() == str(live["value"]).casefold()

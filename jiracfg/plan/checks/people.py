"""Users and groups the config repo names must exist on the target site.

Users are named by email (project and component leads, role actors, ``user:<email>`` holders and
recipients, filter and dashboard owners and shares, users a filter's or webhook's JQL names, users
and groups of workflow rules),
groups by name. One lookup per distinct name is gathered before the checks run (facts
``user:<email>``, ``group:<name>``); names the live site already shows need none, and neither do
groups the config repo itself creates (``groups/``), nor their members, who must be users of the
site. An account id (a user whose email Jira hides) is taken as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jiracfg.kinds import workflow
from jiracfg.kinds._jql import jql_users
from jiracfg.model import Address, Spec
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Problem

HINTS = {
    "user": "invite the user to the site (or fix the email address in the config repo)",
    "group": "create the group on the site (or fix the group name in the config repo)",
}


def queries(inputs: Inputs) -> set[str]:
    return {principal for _, principal in _unknown(inputs)}


def referenced_users_exist(inputs: Inputs) -> list[Problem]:
    return _missing(inputs, "user")


def referenced_groups_exist(inputs: Inputs) -> list[Problem]:
    return _missing(inputs, "group")


def _missing(inputs: Inputs, prefix: str) -> list[Problem]:
    return [
        Problem(
            "error",
            f"referenced_{prefix}s_exist",
            f"{address} names {prefix} {principal.partition(':')[2]!r}, "
            "which does not exist on the target site",
            HINTS[prefix],
            str(address),
        )
        for address, principal in _unknown(inputs)
        if principal.startswith(prefix + ":") and inputs.facts.get(principal) == 0
    ]


def _unknown(inputs: Inputs) -> Iterator[tuple[Address, str]]:
    """(address, ``user:<email>`` / ``group:<name>``) for names written by a change that the live
    site does not show."""
    known = {p.casefold() for r in inputs.live for p in principals(r.address.kind, r.spec)}
    known |= {f"group:{r.address.key}".casefold() for r in inputs.live.of_kind("group")}
    known |= {
        f"group:{c.address.key}".casefold()
        for c in inputs.changes
        if c.address.kind == "group" and c.action is not Action.DELETE
    }
    for change in inputs.changes:
        if change.action is Action.DELETE or change.after is None:
            continue
        for principal in sorted(set(principals(change.address.kind, change.after))):
            if principal.casefold() not in known:
                yield change.address, principal


def principals(kind: str, spec: Spec) -> Iterator[str]:
    """The users (by email) and groups a spec of ``kind`` names, as ``user:``/``group:`` text."""
    for text in NAMED.get(kind, _nothing)(spec):
        prefix, _, name = text.partition(":")
        if prefix == "group" or (prefix == "user" and "@" in name):
            yield text


def _project(spec: Spec) -> Iterator[str]:
    leads = [spec.get("lead"), *(c.get("lead") for c in spec.get("components") or [])]
    yield from (f"user:{lead}" for lead in leads if lead)
    for actors in (spec.get("roles") or {}).values():
        yield from _actors(actors)


def _actors(actors: dict[str, Any]) -> Iterator[str]:
    yield from (f"user:{u}" for u in actors.get("users") or [])
    yield from (f"group:{g}" for g in actors.get("groups") or [])


def _holders(lists: dict[str, Iterable[str]] | None) -> Iterator[str]:
    return (str(h) for holders in (lists or {}).values() for h in holders)


def _nothing(_: Spec) -> Iterator[str]:
    return iter(())


def _shared(spec: Spec) -> Iterator[str]:
    """A filter's or dashboard's owner, the users and groups it is shared with and the users its
    JQL names."""
    yield from (f"user:{spec['owner']}" for _ in [1] if spec.get("owner"))
    yield from (str(p) for p in [*(spec.get("share") or []), *(spec.get("edit") or [])])
    yield from _jql_named(spec)


def _jql_named(spec: Spec) -> Iterator[str]:
    return (f"user:{user}" for user in jql_users(str(spec.get("jql") or "")))


def _security_members(spec: Spec) -> Iterator[str]:
    return (str(m) for level in spec.get("levels") or [] for m in level.get("members") or [])


NAMED: dict[str, Callable[[Spec], Iterator[str]]] = {
    "group": lambda spec: (f"user:{m}" for m in spec.get("members") or []),
    "issue_security_scheme": _security_members,
    "project": _project,
    "project_role": lambda spec: _actors(spec.get("default_actors") or {}),
    "permission_scheme": lambda spec: _holders(spec.get("grants")),
    "notification_scheme": lambda spec: _holders(spec.get("events")),
    "filter": _shared,
    "dashboard": _shared,
    "webhook": _jql_named,
    "workflow": workflow.people,
}

"""Whether the configuration being applied grants the applying account a project permission.

The target answers ``/mypermissions`` for the permission schemes it has now. When the same apply
creates the project, or changes what decides its permissions (the project's permission scheme,
lead or role actors, that scheme's grants, a group's members), the answer that counts is the
configuration's: ``judged_by_repo`` says when, ``held`` reads it. A grant to anyone, an application
role, the reporter, the assignee or a user or group field holds (Jira answers a project context so:
"any user can be a reporter"); to the project lead, a user, a group or a role, when the account is
named there; a group whose members, or a project whose roles, the configuration does not hold
makes the answer unknown (None): not judged by the plan (apply checks again, once the
configuration is applied, before any issue write).
"""

from __future__ import annotations

from typing import Any

from jiracfg.model import Address, Snapshot

DEFAULT_SCHEME = "Default Permission Scheme"
ALWAYS = ("anyone", "reporter", "assignee", "application_role")
FIELDS = ("user_field:", "group_field:")


def scheme_name(config: Snapshot, project: str) -> str | None:
    found = config.get(Address("project", project))
    if found is None:
        return None
    return str((found.spec.get("schemes") or {}).get("permission") or DEFAULT_SCHEME)


def judged_by_repo(config: Snapshot, live: Snapshot, project: str) -> bool:
    """Whether the apply makes the project, or changes what decides its permissions."""
    name = scheme_name(config, project)
    if name is None:
        return False
    address = Address("project", project)
    if live.get(address) is None:
        return True
    decides = [address, Address("permission_scheme", name)]
    decides += [r.address for r in config.of_kind("group")]
    return any(config.fingerprint(a) != live.fingerprint(a) for a in decides)


def held(config: Snapshot, project: str, key: str, me: frozenset[str]) -> bool | None:
    """Whether the configuration grants ``key`` in ``project`` to the account ``me`` (its
    account id and casefolded email); None when the configuration does not say."""
    scheme = config.get(Address("permission_scheme", scheme_name(config, project) or ""))
    spec = config.get(Address("project", project))
    if scheme is None or spec is None:
        return None
    holders = (scheme.spec.get("grants") or {}).get(key) or []
    found = [_holds(config, spec.spec, str(h), me) for h in holders]
    return True if True in found else (None if None in found else False)


def _holds(
    config: Snapshot, project: dict[str, Any], holder: str, me: frozenset[str]
) -> bool | None:
    kind, _, name = holder.partition(":")
    if kind in ALWAYS or holder.startswith(FIELDS):
        return True
    if kind == "project_lead":
        return str(project.get("lead") or "").casefold() in me
    if kind == "user":
        return name.casefold() in me
    if kind == "group":
        return _member(config, name, me)
    if kind == "role":
        return _in_role(config, project, name, me)
    return None


def _member(config: Snapshot, group: str, me: frozenset[str]) -> bool | None:
    found = config.get(Address("group", group))
    if found is None:
        return None
    return any(str(m).casefold() in me for m in found.spec.get("members") or [])


def _in_role(
    config: Snapshot, project: dict[str, Any], role: str, me: frozenset[str]
) -> bool | None:
    roles = project.get("roles")
    if roles is None:
        return None
    actors = roles.get(role) or {}
    if any(str(u).casefold() in me for u in actors.get("users") or []):
        return True
    found = [_member(config, str(g), me) for g in actors.get("groups") or []]
    return True if True in found else (None if None in found else False)

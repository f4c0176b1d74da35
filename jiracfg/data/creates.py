"""What Jira decides for a create on its own, from the configuration the apply makes.

The default priority: Jira Cloud gives a create that names no priority the default of its
project's priority scheme (``defaultPriorityId``; the "Default Priority Scheme", which a project
without one uses, has the site's default priority), not the site's default. The configuration is
the live one where the repo says nothing (the plan reads every kind), so a project the same apply
creates or moves to another scheme gets the repo's. The priorities the scheme offers, likewise
(Jira refuses any other, on a create as on an edit).

The stand-in type of a sub-task created before its parent (see ``stand_ins``).

Pure: reads config specs only.
"""

from __future__ import annotations

from jiracfg.model import Address, Snapshot

BY_DEFAULT = "priority_by_default"  # marks a create whose priority is its project's default
CREATED_AS = "created_as"  # a stand-in sub-task's create: the type it is created as


def default_priority(config: Snapshot, project: str) -> str | None:
    """The priority a create in ``project`` gets when it names none (None: not known)."""
    found = config.get(Address("project", project))
    if found is None:
        return None
    scheme_name = (found.spec.get("schemes") or {}).get("priority")
    scheme = config.get(Address("priority_scheme", str(scheme_name))) if scheme_name else None
    if scheme is not None and scheme.spec.get("default_priority"):
        return str(scheme.spec["default_priority"])
    if scheme is None and scheme_name:
        return None  # a scheme the configuration does not hold
    site = [r.spec["name"] for r in config.of_kind("priority") if r.spec.get("default")]
    return str(site[0]) if site else None


def default_priorities(config: Snapshot, projects: list[str]) -> dict[str, str]:
    """``default_priority`` of each of ``projects`` where known."""
    found = {p: default_priority(config, p) for p in projects}
    return {p: d for p, d in found.items() if d is not None}


DEFAULT_PRIORITIES = "Default Priority Scheme"  # a project without a priority scheme's


def offered_priorities(config: Snapshot, project: str) -> list[str] | None:
    """The priorities issues of ``project`` may have: its priority scheme's, in the site's
    priority order (None: not known)."""
    found = config.get(Address("project", project))
    if found is None:
        return None
    name = (found.spec.get("schemes") or {}).get("priority") or DEFAULT_PRIORITIES
    scheme = config.get(Address("priority_scheme", str(name)))
    if scheme is None:
        return None
    order = {r.address.key: int(r.spec.get("position") or 0) for r in config.of_kind("priority")}
    return sorted(map(str, scheme.spec.get("priorities") or []), key=lambda p: order.get(p, 0))


def priorities_of(config: Snapshot, projects: list[str]) -> dict[str, list[str]]:
    """``offered_priorities`` of each of ``projects`` where known."""
    found = {p: offered_priorities(config, p) for p in projects}
    return {p: names for p, names in found.items() if names is not None}


DEFAULT_TYPES = "Default Issue Type Scheme"  # a project without an issue type scheme's


def stand_ins(config: Snapshot, waiting: dict[tuple[str, str], list[str]]) -> dict[str, str]:
    """Issue key -> the type it is created as: sub-tasks whose parent (in their project) is
    created after them are created as the project's stand-in type, then moved (``retype``)."""
    out: dict[str, str] = {}
    for (project, issue_type), keys in sorted(waiting.items()):
        stand_in = stand_in_type(config, project)
        if stand_in is not None and _level(config, issue_type) == "subtask":
            out |= dict.fromkeys(keys, stand_in)
    return out


def stand_in_type(config: Snapshot, project: str) -> str | None:
    """The first standard type the project's issue type scheme lists, as ``retype`` picks it
    from the target's create metadata (which lists them in the scheme's order)."""
    found = config.get(Address("project", project))
    if found is None:
        return None
    name = (found.spec.get("schemes") or {}).get("issue_type") or DEFAULT_TYPES
    scheme = config.get(Address("issue_type_scheme", str(name)))
    types = [] if scheme is None else scheme.spec.get("issue_types") or []
    return next((str(t) for t in types if _level(config, str(t)) == "standard"), None)


def _level(config: Snapshot, issue_type: str) -> str | None:
    """``standard`` or ``subtask`` (None: unknown, or above the standard level, as Epic)."""
    found = config.get(Address("issue_type", issue_type))
    if found is None or int(found.meta.get("hierarchy_level") or 0) > 0:
        return None
    return str(found.spec.get("level") or "standard")

"""Status paths: which transitions take an issue from one status to another, from the config.

Status is not a field: apply reaches it by walking the workflow of the issue's project and type
(its workflow scheme's mapping, else the scheme's default workflow) along the shortest path of
transitions (breadth first; ties by transition name). Pure: reads config specs only.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from jiracfg.model import Address, Snapshot

Step = tuple[str, str]  # (transition name, status it leads to)


def workflow_of(config: Snapshot, project: str, issue_type: str) -> dict[str, Any] | None:
    """The workflow spec issues of ``issue_type`` in ``project`` follow, if the config has it."""
    found = config.get(Address("project", project))
    if found is None:
        return None
    scheme_name = (found.spec.get("schemes") or {}).get("workflow")
    scheme = config.get(Address("workflow_scheme", str(scheme_name)))
    if scheme is None:
        return None
    name = (scheme.spec.get("issue_types") or {}).get(issue_type, scheme.spec["default_workflow"])
    workflow = config.get(Address("workflow", str(name)))
    return None if workflow is None else workflow.spec


def initial_status(workflow: dict[str, Any]) -> str | None:
    first = next((t for t in workflow["transitions"] if t.get("type") == "initial"), None)
    return None if first is None else str(first["to"])


def _moves(workflow: dict[str, Any], status: str) -> list[Step]:
    out = [
        (str(t["name"]), str(t["to"]))
        for t in workflow["transitions"]
        if t.get("type") == "global" or (t.get("type") != "initial" and status in t.get("from", []))
    ]
    return sorted(out)


def status_path(workflow: dict[str, Any], start: str, goal: str) -> list[Step] | None:
    """The shortest list of transitions from ``start`` to ``goal``; None when there is none."""
    if start == goal:
        return []
    previous: dict[str, tuple[str, Step]] = {}
    queue = deque([start])
    while queue:
        status = queue.popleft()
        for step in _moves(workflow, status):
            target = step[1]
            if target in previous or target == start:
                continue
            previous[target] = (status, step)
            if target == goal:
                return _walk_back(previous, start, goal)
            queue.append(target)
    return None


def _walk_back(previous: dict[str, tuple[str, Step]], start: str, goal: str) -> list[Step]:
    path: list[Step] = []
    status = goal
    while status != start:
        status, step = previous[status]
        path.append(step)
    return path[::-1]

"""A sub-task whose parent has a higher number (``ENG-3`` under ``ENG-7``), and issue type changes.

Issues are created in number order to keep their keys, and Jira creates a sub-task only under a
parent that exists. So such a sub-task is created, in its number's turn, as a standard issue of the
project (the *stand-in* type: the first standard type the project offers) and turned into a
sub-task of its parent once every issue exists, before anything else is filled in. Jira Cloud's
edit (``PUT /issue``) refuses a new issue type across the sub-task line, and its UI's "Convert to
sub-task" has no REST twin (JRACLOUD-27893); the one REST call that does it is the bulk move
(``POST /rest/api/3/bulk/issues/move``), whose target key ``<project>,<issue type id>,<parent>``
names the parent. Within the project the key stays. The move is a queued task, polled at
``/bulk/queue/{taskId}`` (``bulk_task``): a task that completes but failed for the issue raises.
An issue whose status the target workflow lacks goes to its initial status
(``inferStatusDefaults``), else it keeps its status; the status walk goes on from the status read
back after the move (``walk_from``). The same call changes the type of an existing issue whose
file names another type.
"""

from __future__ import annotations

import threading
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.bulk import bulk_task
from jiracfg.data.issue import Spec
from jiracfg.data.layout import split_key
from jiracfg.errors import ConfigError, TaskFailedError

MOVE = "/bulk/issues/move"


class IssueTypes:
    """The issue types each project offers on the target (create metadata), read once each."""

    def __init__(self, client: JiraClient) -> None:
        self.client = client
        self._types: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def of(self, project: str) -> list[dict[str, Any]]:
        with self._lock:
            if project not in self._types:
                path = f"/issue/createmeta/{project}/issuetypes"
                self._types[project] = list(self.client.paged(path, key="issueTypes"))
            return self._types[project]

    def find(self, project: str, name: str) -> dict[str, Any] | None:
        return next((t for t in self.of(project) if t.get("name") == name), None)

    def is_subtask(self, project: str, name: str) -> bool:
        return bool((self.find(project, name) or {}).get("subtask"))

    def stand_in(self, project: str) -> str:
        """The standard type a sub-task waiting for its parent is created as."""
        standard = [t for t in self.of(project) if int(t.get("hierarchyLevel") or 0) == 0]
        if not standard:
            raise ConfigError(f"project {project} offers no standard issue type")
        return str(standard[0]["name"])


def waits_for_parent(types: IssueTypes, spec: Spec, ready: bool) -> bool:
    """Whether ``spec`` is a sub-task whose parent (in its project) is not created yet."""
    parent = str(spec.get("parent") or "")
    project = split_key(str(spec["key"]))[0]
    if ready or not parent or split_key(parent)[0] != project:
        return False
    return types.is_subtask(project, str(spec["type"]))


def retype(client: JiraClient, types: IssueTypes, issue: str, spec: Spec) -> None:
    """Give the issue ``issue`` (id or key) the file's type (and parent, for a sub-task) with a
    bulk move inside its project, and wait for it."""
    project = split_key(str(spec["key"]))[0]
    found = types.find(project, str(spec["type"]))
    if found is None:
        raise ConfigError(f"{spec['key']}: project {project} offers no issue type {spec['type']!r}")
    target = f"{project},{found['id']}"
    if found.get("subtask"):
        target += f",{spec['parent']}"
    body = {
        "sendBulkNotification": False,
        "targetToSourcesMapping": {
            target: {
                "issueIdsOrKeys": [issue],
                "inferStatusDefaults": True,
                "inferFieldDefaults": True,
                "inferClassificationDefaults": True,
                "inferSubtaskTypeDefault": True,
            }
        },
    }
    try:
        bulk_task(client, MOVE, body)
    except TaskFailedError as exc:
        raise TaskFailedError(
            f"{spec['key']}: its move to type {spec['type']!r} failed: {exc}"
        ) from None


def walk_from(key: str, planned: Any, actual: str, path: list[list[str]]) -> list[list[str]]:
    """The rest of the planned status walk (``[transition, status]`` steps from ``planned``) when
    the move left the issue in ``actual``: from where ``actual`` is on the way. A status off the
    way has no planned walk: an error (the next plan walks from it)."""
    on_the_way = [str(planned), *(goal for _, goal in path)]
    if actual not in on_the_way:
        raise TaskFailedError(
            f"{key}: its type change left it in status {actual!r}, not on the planned way"
            f" {' -> '.join(on_the_way)}; run plan again to walk it from there"
        )
    return path[on_the_way.index(actual) :]

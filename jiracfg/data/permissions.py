"""The permissions an apply of issue data needs, asked of the target before any write.

``Needs`` counts, per project, the issue changes that need each permission, from what the applier
writes for them (``apply``, ``fill``, ``retype``, ``deletes``): a create needs *Create issues*
(and a sub-task created as a stand-in for its later parent, *Move issues* and the *Make bulk
changes* global permission for the bulk move that makes it a sub-task); a status walk *Transition
issues* (*Resolve issues* when it sets a resolution); field edits, properties and a parent *Edit
issues*; a reporter *Modify reporter*, an assignee *Assign issues*, a due date *Schedule issues*;
comments *Add comments*, worklogs *Work on issues*, attachments *Create attachments*, issue and
remote links *Link issues*, watchers *Manage watchers*; a new type *Move issues* and *Make bulk
changes*; deletes and the placeholders that burn deleted issues' numbers *Delete issues* (by the
bulk delete, which also needs *Make bulk changes*: without it apply deletes one by one). Every
write needs *Browse projects*.

``gather`` asks ``GET /mypermissions`` once per project for exactly the permissions its changes
need (a project the target does not have yet is not judged here: the data part is planned again,
before any issue write, once the configuration has made it). ``permissions_granted`` is the
check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jiracfg.client import JiraClient
from jiracfg.data.grants import held, judged_by_repo, scheme_name
from jiracfg.data.issue import Spec
from jiracfg.data.layout import split_key
from jiracfg.errors import JiraApiError, NotFoundError
from jiracfg.model import Address, Snapshot
from jiracfg.plan.model import Action, Change, Problem

if TYPE_CHECKING:
    from jiracfg.data.checks import DataInputs

BULK = "BULK_CHANGE"  # global: the bulk move and the bulk delete
DELETES = "deletes"  # issues deleted (placeholders too): by the bulk delete, else one by one
# spec keys -> what writing them needs (a create writes what the file has; an update what differs)
BY_KEY = {
    "reporter": "MODIFY_REPORTER",
    "assignee": "ASSIGN_ISSUES",
    "due": "SCHEDULE_ISSUES",
    "comments": "ADD_COMMENTS",
    "worklogs": "WORK_ON_ISSUES",
    "attachments": "CREATE_ATTACHMENTS",
    "links": "LINK_ISSUES",
    "remote_links": "LINK_ISSUES",
    "watchers": "MANAGE_WATCHERS",
    "properties": "EDIT_ISSUES",
    "parent": "EDIT_ISSUES",
}
EDITS = {"summary", "priority", "labels", "components", "affects_versions", "fix_versions"}
EDITS |= {"estimate", "description", "environment", "fields"}
RETYPE = ("MOVE_ISSUES", "CREATE_ISSUES", BULK)
NAMES = {
    "BROWSE_PROJECTS": "Browse projects",
    "CREATE_ISSUES": "Create issues",
    "EDIT_ISSUES": "Edit issues",
    "TRANSITION_ISSUES": "Transition issues",
    "RESOLVE_ISSUES": "Resolve issues",
    "MOVE_ISSUES": "Move issues",
    "DELETE_ISSUES": "Delete issues",
    "MODIFY_REPORTER": "Modify reporter",
    "ASSIGN_ISSUES": "Assign issues",
    "SCHEDULE_ISSUES": "Schedule issues",
    "ADD_COMMENTS": "Add comments",
    "WORK_ON_ISSUES": "Work on issues",
    "CREATE_ATTACHMENTS": "Create attachments",
    "LINK_ISSUES": "Link issues",
    "MANAGE_WATCHERS": "Manage watchers",
    BULK: "Make bulk changes",
}


@dataclass
class Needs:
    """Per project: permission key (or ``DELETES``) -> the number of issue changes needing it."""

    subtasks: frozenset[str] = frozenset()  # sub-task issue type names (the configuration's)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, project: str, keys: set[str], n: int = 1) -> None:
        found = self.counts.setdefault(project, {})
        for key in keys | {"BROWSE_PROJECTS"}:
            found[key] = found.get(key, 0) + n

    def note(self, spec: Spec, change: Change, max_live: int) -> None:
        """What the create or update ``change`` of ``spec`` writes."""
        project = split_key(str(spec["key"]))[0]
        if change.action is Action.CREATE:
            keys = self._created(spec, max_live)
        else:
            touched = _touched(change)
            keys = _written(spec, touched) | _edited(touched)
            keys |= set(RETYPE) if "type" in touched else set()
        if (change.after or {}).get("status_path"):
            keys.add("TRANSITION_ISSUES")
            keys |= {"RESOLVE_ISSUES"} if spec.get("resolution") else set()
        self.add(project, keys)

    def _created(self, spec: Spec, max_live: int) -> set[str]:
        """A create sets its fields (a parent made later or in another project: by an edit)."""
        keys = {"CREATE_ISSUES", *_written(spec, set(spec) - {"parent"})}
        if self._stand_in(spec, max_live):
            return keys | set(RETYPE)
        parent = str(spec.get("parent") or "")
        if parent and _set_later(parent, str(spec["key"])):
            keys.add("EDIT_ISSUES")
        return keys

    def _stand_in(self, spec: Spec, max_live: int) -> bool:
        """A sub-task whose parent (in its project, not on the site yet) comes later: created
        as a standard issue and moved under its parent (``retype``)."""
        parent, key = str(spec.get("parent") or ""), str(spec["key"])
        if spec.get("type") not in self.subtasks or not parent:
            return False
        (project, number), (other, later) = split_key(key), split_key(parent)
        return other == project and later > number and later > max_live

    def deletes(self, changes: list[Change], max_live: dict[str, int]) -> None:
        """Deletes, and the placeholders creates burn (both by the bulk delete)."""
        for change in changes:
            if change.address.kind == "issue" and change.action is Action.DELETE:
                self.add(split_key(change.address.key)[0], {"DELETE_ISSUES", DELETES})
        creates: dict[str, list[int]] = {}
        for change in changes:
            if change.address.kind == "issue" and change.action is Action.CREATE:
                project, number = split_key(change.address.key)
                creates.setdefault(project, []).append(number)
        for project, numbers in creates.items():
            burned = placeholders(sorted(numbers), max_live.get(project, 0))
            if burned:
                self.add(project, {"DELETE_ISSUES", DELETES}, burned)


def subtask_types(config: Snapshot) -> frozenset[str]:
    """The sub-task issue types of the configuration being applied."""
    found = config.of_kind("issue_type")
    return frozenset(str(r.spec.get("name")) for r in found if r.spec.get("level") == "subtask")


def _set_later(parent: str, key: str) -> bool:
    """Whether apply sets the parent by an edit: one in another project, or made later."""
    (other, later), (project, number) = split_key(parent), split_key(key)
    return other != project or later > number


def placeholders(numbers: list[int], top: int) -> int:
    """How many placeholders creating ``numbers`` (sorted) after ``top`` burns, as apply does."""
    burned, following = 0, top + 1
    for number in numbers:
        burned += max(0, number - following)
        following = max(following, number) + 1
    return burned


def _touched(change: Change) -> set[str]:
    from jiracfg.data.fill import touched_keys

    return touched_keys(change)


def _written(spec: Spec, keys: set[str]) -> set[str]:
    """What writing the spec keys ``keys`` that hold a value needs."""
    return {BY_KEY[k] for k in keys if k in BY_KEY and spec.get(k) not in (None, [], {})}


def _edited(touched: set[str]) -> set[str]:
    """An update's field edits (a field emptied too) need *Edit issues*."""
    edits = touched & (EDITS | set(BY_KEY)) or any(k.startswith("fields.") for k in touched)
    return {"EDIT_ISSUES"} if edits else set()


Granted = dict[str, "dict[str, bool | None] | None"]  # project -> key -> held (None: unknown)


def gather(
    client: JiraClient, needs: Needs, config: Snapshot, live: Snapshot
) -> tuple[Granted, dict[str, str]]:
    """Per project, whether the applying account holds each permission its changes need: the
    target's ``/mypermissions``, or the configuration's grants where this apply makes the project
    or changes its permissions (``grants``); and the permission scheme of each that lacks one."""
    projects = sorted(needs.counts)
    by_repo = [p for p in projects if judged_by_repo(config, live, p)]
    asked = [p for p in projects if p not in by_repo]
    answers = client.map(lambda p: _answer(client, live, p, _keys(needs.counts[p])), asked)
    granted: Granted = dict(zip(asked, answers, strict=True))
    granted |= _from_repo(client, needs, config, by_repo) if by_repo else {}
    short = [p for p, a in granted.items() if a is not None and False in a.values()]
    names = client.map(lambda p: scheme_name(config, p) or _scheme_name(client, p), short)
    return granted, dict(zip(short, names, strict=True))


def _keys(counts: dict[str, int]) -> list[str]:
    return sorted((set(counts) - {DELETES}) | ({BULK} if DELETES in counts else set()))


def _from_repo(
    client: JiraClient, needs: Needs, config: Snapshot, projects: list[str]
) -> dict[str, dict[str, bool | None] | None]:
    """The configuration's answer (the global *Make bulk changes*: the target's)."""
    me = client.get("/myself")
    who = frozenset(str(me.get(k) or "").casefold() for k in ("accountId", "emailAddress"))
    bulk = (_ask(client, None, [BULK]) or {}).get(BULK)
    return {
        p: {
            k: bulk if k == BULK else held(config, p, k, who - {""}) for k in _keys(needs.counts[p])
        }
        for p in projects
    }


def _answer(
    client: JiraClient, live: Snapshot, project: str, keys: list[str]
) -> dict[str, bool | None] | None:
    """The target's answer. Jira answers 404 also for a project the account may not browse
    (OpenAPI: "not found or the user does not have permission to view"): for a project the site
    has, that is every key missing, *Browse projects* first."""
    found = _ask(client, project, keys)
    if found is None and live.get(Address("project", project)) is not None:
        return dict.fromkeys(keys, False)
    return found


def _ask(client: JiraClient, project: str | None, keys: list[str]) -> dict[str, bool | None] | None:
    """The target's answer (None: it has no such project)."""
    params = {"permissions": ",".join(keys)} | ({"projectKey": project} if project else {})
    try:
        found = client.get("/mypermissions", params)
    except NotFoundError:
        return None
    beans = found.get("permissions") or {}
    return {k: bool((beans.get(k) or {}).get("havePermission")) for k in keys}


def _scheme_name(client: JiraClient, project: str) -> str:
    try:
        return str(client.get(f"/project/{project}/permissionscheme").get("name") or "")
    except JiraApiError:
        return ""


def permissions_granted(inputs: DataInputs) -> list[Problem]:
    """An error per permission a project's changes need that the applying account lacks (the
    bulk delete's *Make bulk changes*: a warning, as apply then deletes one by one)."""
    needs, live = inputs.desired.needs, inputs.live
    problems: list[Problem] = []
    for project, answer in sorted(live.permissions.items()):
        for key, have in sorted((answer or {}).items()):
            if have is False:
                problems += _missing(project, key, needs.counts[project], live.schemes.get(project))
        problems += _unknown(project, [k for k, v in sorted((answer or {}).items()) if v is None])
    return problems


def _unknown(project: str, keys: list[str]) -> list[Problem]:
    if not keys:
        return []
    message = (
        f"{project}: whether the applying account holds {', '.join(keys)} once the "
        "configuration is applied is not known from the repo (a grant to a group or role whose "
        "members it does not hold): apply checks it again before any issue write"
    )
    hint = "add the group (groups/) or the project's roles to the repo to have it checked now"
    return [Problem("warning", "permissions_granted", message, hint, project)]


def _missing(project: str, key: str, counts: dict[str, int], scheme: str | None) -> list[Problem]:
    name = f"{NAMES.get(key, key)} ({key})"
    deletes = counts.get(DELETES, 0)
    if key == BULK and not counts.get(BULK):  # only the bulk delete wants it: a fallback
        message = (
            f"{project}: the applying account lacks the global permission {name}, so Jira "
            f"refuses the bulk delete: apply deletes the {deletes} issue(s) one by one instead"
        )
        return [Problem("warning", "permissions_granted", message, _hint(key, scheme), project)]
    message = (
        f"{project}: the applying account lacks {name}, which {counts.get(key, 0)} issue "
        "change(s) need; Jira would refuse them at apply"
    )
    return [Problem("error", "permissions_granted", message, _hint(key, scheme), project)]


def _hint(key: str, scheme: str | None) -> str:
    if key == BULK:
        return "grant the applying account the Make bulk changes global permission"
    where = f"the permission scheme {scheme!r}" if scheme else "the project's permission scheme"
    return (
        f"grant {key} to the applying account (or a group or role it is in) in {where} "
        "(permission-schemes/), or apply with an account that has it"
    )

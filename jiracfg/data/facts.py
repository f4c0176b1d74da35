"""Facts the data checks need, gathered before they run (the checks stay pure).

``DesiredFacts`` is collected while the plan streams the issue files (a few small values per
issue, never the files themselves); ``LiveFacts`` is read from the target afterwards: create
metadata per project and issue type (what may be created, and the option and priority values
offered), the users, the attachment settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.issue import Spec
from jiracfg.data.layout import split_key
from jiracfg.data.permissions import Granted, Needs
from jiracfg.errors import JiraApiError

USER_FIELDS = ("reporter", "assignee")


@dataclass
class CreateFacts:
    label: str
    key: str
    present: frozenset[str]  # createmeta field ids the file gives a value for


@dataclass(frozen=True)
class WriteFacts:
    """The fields a create or an update writes (``present_fields`` names), and the values Jira
    gives a create on its own when its screens lack the field (so they are no loss)."""

    label: str
    key: str
    fields: frozenset[str]
    create: bool
    reporter: str | None = None
    priority: str | None = None


@dataclass
class DesiredFacts:
    creates: dict[tuple[str, str], list[CreateFacts]] = field(default_factory=dict)
    writes: dict[tuple[str, str], list[WriteFacts]] = field(default_factory=dict)
    options: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    priorities: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # user -> first file naming it
    attachments: list[tuple[str, str, int]] = field(default_factory=list)  # label, name, size
    no_path: list[tuple[str, str, str | None, str, bool]] = field(default_factory=list)
    numbers: dict[str, list[int]] = field(default_factory=dict)  # numbers to create, by project
    max_live: dict[str, int] = field(default_factory=dict)
    unmanaged: dict[str, int] = field(default_factory=dict)
    extras: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # not in the repo
    prune: bool = False
    extra_links: int = 0  # live issue links no file lists (left alone without --prune)
    # creates whose parent (in their project) is created after them, by (project, type)
    waiting: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # issues named (parent, links) outside the repo's projects: key -> [(file, path in file)]
    refs: dict[str, list[tuple[str, list[Any]]]] = field(default_factory=dict)
    needs: Needs = field(default_factory=Needs)  # permissions the changes need (``permissions``)
    _sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, repr=False)

    def add(self, label: str, spec: Spec, create: bool, changed: set[str] | None = None) -> None:
        """Facts of one issue file; option and priority values only where they are written (a
        create: all; an update: the ``changed`` keys, ``fields.<name>`` for custom fields)."""
        project, number = split_key(str(spec["key"]))
        kind = (project, str(spec.get("type")))
        if create:
            self.numbers.setdefault(project, []).append(number)
            present = self._shared(present_fields(spec))
            self.creates.setdefault(kind, []).append(CreateFacts(label, str(spec["key"]), present))
            if self._parent_later(spec):
                self.waiting.setdefault(kind, []).append(str(spec["key"]))
        self._written(kind, label, spec, create, changed)
        for name, value in (spec.get("fields") or {}).items():
            if changed is None or f"fields.{name}" in changed:
                for text in _option_texts(value):
                    self.options.setdefault((*kind, name), {}).setdefault(text, label)
        if spec.get("priority") and (changed is None or "priority" in changed):
            self.priorities.setdefault(kind, {}).setdefault(str(spec["priority"]), label)
        for user in _users(spec):
            self.users.setdefault(user, label)
        self.attachments += [(label, str(a["filename"]), int(a["size"])) for a in _big(spec)]

    def _parent_later(self, spec: Spec) -> bool:
        """Whether the create's parent is in its project and created after it (a higher
        number, not on the site yet): apply creates a sub-task so as a stand-in."""
        project, number = split_key(str(spec["key"]))
        parent = str(spec.get("parent") or "")
        if not parent or split_key(parent)[0] != project:
            return False
        return split_key(parent)[1] > max(number, self.max_live.get(project, 0))

    def _shared(self, names: set[str]) -> frozenset[str]:
        """One frozenset per distinct set of field names (most issues share a few)."""
        found = frozenset(names)
        return self._sets.setdefault(found, found)

    def _written(
        self, kind: tuple[str, str], label: str, spec: Spec, create: bool, changed: set[str] | None
    ) -> None:
        written = present_fields(spec) if changed is None else changed_fields(changed)
        written -= ALWAYS_SETTABLE | ({"summary"} if create else set())
        if written:
            found = WriteFacts(
                label,
                str(spec["key"]),
                self._shared(written),
                create,
                spec.get("reporter"),
                spec.get("priority"),
            )
            self.writes.setdefault(kind, []).append(found)


SYSTEM_IDS = {
    "summary": "summary",
    "description": "description",
    "environment": "environment",
    "priority": "priority",
    "reporter": "reporter",
    "assignee": "assignee",
    "labels": "labels",
    "components": "components",
    "affects_versions": "versions",
    "fix_versions": "fixVersions",
    "due": "duedate",
    "estimate": "timetracking",
    "parent": "parent",
}


def present_fields(spec: Spec) -> set[str]:
    """Field names (system ids, custom field keys) the issue file gives a value for."""
    found = {SYSTEM_IDS[k] for k in spec if k in SYSTEM_IDS}
    return found | {f"name:{k}" for k in spec.get("fields") or {}}


ALWAYS_SETTABLE = frozenset({"parent"})  # set without a screen (a create's summary: too)


def changed_fields(changed: set[str]) -> set[str]:
    """``present_fields`` names of the spec keys an update changes (``fields.<name>`` too)."""
    found = {SYSTEM_IDS[k] for k in changed if k in SYSTEM_IDS}
    return found | {f"name:{k[7:]}" for k in changed if k.startswith("fields.")}


CHILD = " → "  # a cascading value's parent and child, as options_exist names them


def _option_texts(value: Any) -> list[str]:
    if isinstance(value, dict) and "value" in value:
        parent = str(value["value"])
        return [parent] + ([f"{parent}{CHILD}{value['child']}"] if value.get("child") else [])
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def _users(spec: Spec) -> list[str]:
    found = [str(spec[k]) for k in USER_FIELDS if spec.get(k)]
    return found + [str(w) for w in spec.get("watchers") or []]


def _big(spec: Spec) -> list[dict[str, Any]]:
    """The issue's largest attachment (enough to check a size limit)."""
    found = sorted(spec.get("attachments") or [], key=lambda a: int(a.get("size") or 0))
    return found[-1:]


@dataclass
class LiveFacts:
    createmeta: dict[tuple[str, str], dict[str, dict[str, Any]] | None]  # None: not readable
    users: set[str]  # emails (casefolded) and account ids on the target
    attachments_enabled: bool
    upload_limit: int
    # field ids an edit (a create) can set, by (project, issue type), from the configuration
    # (``data.screens``); None: the configuration does not say
    edit_screens: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)
    create_screens: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)
    me: frozenset[str] = frozenset()  # the applying user: email (casefolded), account id
    stand_ins: dict[str, str] = field(default_factory=dict)  # issue key -> type created as
    # what a create gets when its screen has no priority, by project (its priority scheme's
    # default, from the configuration: see ``data.creates``)
    default_priorities: dict[str, str] = field(default_factory=dict)
    offered_priorities: dict[str, list[str]] = field(default_factory=dict)  # likewise
    # fields a create must give (``present_fields`` name -> field name) where the target has no
    # create metadata yet, from the configuration
    required: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # option values by (project, issue type, field key), from the configuration (``offered``)
    offered_options: dict[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)
    permissions: Granted = field(default_factory=dict)  # ``/mypermissions`` per project
    schemes: dict[str, str] = field(default_factory=dict)  # permission scheme of one lacking


def gather_live_facts(
    client: JiraClient, desired: DesiredFacts, stand_ins: dict[str, str] | None = None
) -> LiveFacts:
    """The target's facts; ``stand_ins`` (issue key -> the type its create is made as, see
    ``data.creates``) adds those types' create metadata."""
    found = {*desired.creates, *desired.priorities, *(k[:2] for k in desired.options)}
    kinds = sorted(found | {(split_key(k)[0], t) for k, t in (stand_ins or {}).items()})
    metas = client.map(lambda k: createmeta(client, *k), kinds)
    meta = client.get("/attachment/meta") if desired.attachments else {}
    facts = LiveFacts(
        dict(zip(kinds, metas, strict=True)),
        _known_users(client) if desired.users else set(),
        bool(meta.get("enabled", True)),
        int(meta.get("uploadLimit") or 0),
    )
    if desired.creates:
        facts.me = _caller(client)
    return facts


def _caller(client: JiraClient) -> frozenset[str]:
    """Who a create's reporter is when the screen has none (the caller)."""
    me = client.get("/myself")
    found = [str(me.get("accountId")), str(me.get("emailAddress") or "").casefold()]
    return frozenset(f for f in found if f)


def createmeta(
    client: JiraClient, project: str, issue_type: str
) -> dict[str, dict[str, Any]] | None:
    """The create screen's fields of ``issue_type`` in ``project``, by field id (None when the
    project or type does not exist on the target yet)."""
    try:
        types = client.paged(f"/issue/createmeta/{project}/issuetypes", key="issueTypes")
        found = [t for t in types if t.get("name") == issue_type]
        if not found:
            return None
        path = f"/issue/createmeta/{project}/issuetypes/{found[0]['id']}"
        return {str(f["fieldId"]): f for f in client.paged(path, key="fields")}
    except JiraApiError:
        return None


def _known_users(client: JiraClient) -> set[str]:
    from jiracfg.kinds._people import Directory

    emails = Directory(client).emails()
    return {a for a in emails} | {e.casefold() for e in emails.values() if e}

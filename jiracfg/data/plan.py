"""Plan data: each managed project's issue files against its live issues, as Changes.

Addresses are ``issue/<KEY>`` (the key in the repo). A create or update carries, in ``after``, the
issue file's path and fingerprint (apply reads the file again and refuses one that changed since
the plan) plus what the plan decided: the status path to walk. Field-level detail is in
``fields``. Issue links on the site that no file lists are compared (and deleted) only with
``--prune``; otherwise they are counted in a warning. Deletes need ``--prune``; placeholders an
interrupted apply left behind are always deleted (they are jiracfg's own). Projects are read one
at a time, so memory follows the largest project, not the site. Issues a file names outside the
repo's projects (parents, links) must exist on the site (``links``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.agile import AgileFacts, rank_change, sprint_changes
from jiracfg.data.align import aligned_live
from jiracfg.data.catalog import Catalog
from jiracfg.data.checks import DataInputs, not_settable, priority_by_default, run_data_checks
from jiracfg.data.creates import (
    BY_DEFAULT,
    CREATED_AS,
    default_priorities,
    priorities_of,
    stand_ins,
)
from jiracfg.data.export import managed_projects
from jiracfg.data.facts import DesiredFacts, gather_live_facts
from jiracfg.data.fill import touched_keys
from jiracfg.data.issue import Spec
from jiracfg.data.known_ids import KnownIds
from jiracfg.data.layout import project_files, projects_on_disk, relative, split_key
from jiracfg.data.links import in_repo_projects, references, site_errors
from jiracfg.data.live import LiveIssue, LiveProject, comparable, live_project
from jiracfg.data.offered import given_anyway, options_of
from jiracfg.data.permissions import gather as gather_permissions
from jiracfg.data.permissions import subtask_types
from jiracfg.data.screens import required_fields, screen_fields
from jiracfg.data.settings import DataSettings, data_settings
from jiracfg.data.validate import issue_errors
from jiracfg.data.workflows import initial_status, status_path, workflow_of
from jiracfg.errors import ConfigError, ValidationFailed
from jiracfg.fetch import fetch_live
from jiracfg.model import Address, Snapshot, fingerprint
from jiracfg.plan.diff import field_changes
from jiracfg.plan.model import Action, Change, FieldChange, Problem

KIND = "issue"


@dataclass
class DataPlan:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    desired: DesiredFacts = field(default_factory=DesiredFacts)
    ids: KnownIds = field(default_factory=KnownIds)  # the live issues' ids, for the id map


def plan_data(
    client: JiraClient,
    root: Path,
    settings: DataSettings,
    config: Snapshot,
    *,
    prune: bool = False,
    live_config: Snapshot | None = None,
    allowed: frozenset[str] = frozenset(),
) -> DataPlan:
    catalog = Catalog(client, settings.users)
    out = DataPlan()
    out.desired.prune = prune
    out.desired.needs.subtasks = subtask_types(config)
    agile = AgileFacts()
    out.changes = _issue_changes(
        client, root, settings, config, catalog, out.desired, agile, out.ids
    )
    sprint_changes(agile, config, live_config or config)
    out.changes += [_with_live_keys(c, agile) for c in agile.changes]
    missing = site_errors(client, root, out.desired.refs)
    if missing:
        raise ValidationFailed(missing)
    out.desired.needs.deletes(out.changes, out.desired.max_live)
    inputs = _inputs(client, config, catalog, out.desired, settings, allowed)
    needs, config_now = out.desired.needs, live_config or config
    found = gather_permissions(client, needs, config, config_now)
    inputs.live.permissions, inputs.live.schemes = found
    out.problems = run_data_checks(inputs) + agile.problems
    out.changes = _marked(out.changes, "not_settable", not_settable(inputs))
    out.changes = _marked(out.changes, BY_DEFAULT, dict.fromkeys(priority_by_default(inputs), True))
    out.changes = _marked(out.changes, CREATED_AS, inputs.live.stand_ins)
    return out


def _issue_changes(
    client: JiraClient,
    root: Path,
    settings: DataSettings,
    config: Snapshot,
    catalog: Catalog,
    desired: DesiredFacts,
    agile: AgileFacts,
    known: KnownIds,
) -> list[Change]:
    """Each managed project's issue changes (one project in memory at a time), then the rank;
    ``known`` takes each project's live ids (the id map after the apply reads none again)."""
    changes: list[Change] = []
    on_site = managed_projects(client, settings)
    ranked = Ranked()
    for project in _projects(root, settings, on_site):
        live = live_project(client, catalog, project) if project in on_site else LiveProject()
        desired.max_live[project] = live.max_number
        known.read(project, {k: (i.key, i.ids) for k, i in live.issues.items()})
        found = _project_changes(root, project, live, config, desired, desired.prune, agile)
        changes += found
        if project in on_site:
            ranked.note(project, live, found)
    return changes + _rank(client, root, ranked, agile)


def _inputs(
    client: JiraClient,
    config: Snapshot,
    catalog: Catalog,
    desired: DesiredFacts,
    settings: DataSettings,
    allowed: frozenset[str],
) -> DataInputs:
    """What the data checks judge: the target's facts, and the configuration's where the apply
    makes them (screens, default priorities)."""
    waiting = stand_ins(config, desired.waiting)
    facts = gather_live_facts(client, desired, waiting)
    facts.stand_ins = waiting
    facts.edit_screens = _config_screens(config, catalog, desired.writes, "edit")
    made_as = {(split_key(k)[0], t) for k, t in waiting.items()}
    facts.create_screens = _config_screens(config, catalog, {*desired.writes, *made_as}, "create")
    facts.default_priorities = default_priorities(config, sorted(desired.numbers))
    facts.offered_priorities = priorities_of(config, sorted({k[0] for k in desired.priorities}))
    facts.offered_options = options_of(config, sorted(desired.options))
    unread = [k for k in sorted({*desired.creates, *made_as}) if facts.createmeta.get(k) is None]
    facts.required = _config_required(config, catalog, unread)
    field_ids = {k: f.id for k, f in catalog.by_key.items()}
    names = {v: k for k, v in catalog.ids.items()}
    return DataInputs(desired, facts, field_ids, settings.users, allowed, names)


def _config_required(
    config: Snapshot, catalog: Catalog, kinds: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, str]]:
    """``present_fields`` name -> field key of the fields creates of each (project, issue type)
    must give, from the configuration's create screen and field configuration: not those Jira
    fills itself (summary and type are always given, priority has its default, a custom field
    its context's default) or that do not apply (no context of the field applies)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for project, issue_type in kinds:
        keys = required_fields(config, project, issue_type) or frozenset()
        named = {_present_name(config, catalog, k): k for k in sorted(keys)}
        out[(project, issue_type)] = {
            n: k
            for n, k in named.items()
            if n not in GIVEN and not given_anyway(config, k, project, issue_type)
        }
    return out


GIVEN = frozenset({"summary", "issuetype", "project", "priority"})


def _present_name(config: Snapshot, catalog: Catalog, key: str) -> str:
    """A configuration's field key as ``present_fields`` names it (custom fields by key)."""
    if key in catalog.by_key or Address("custom_field", key) in config:
        return f"name:{key}"
    return catalog.ids.get(key, key)


def _config_screens(
    config: Snapshot, catalog: Catalog, kinds: Iterable[tuple[str, str]], operation: str
) -> dict[tuple[str, str], frozenset[str] | None]:
    """The field ids a create or an edit can set, by (project, issue type) the plan writes; a
    field the target lacks (the same apply creates it) as ``name:<key>``, as ``present_fields``
    names it."""
    out: dict[tuple[str, str], frozenset[str] | None] = {}
    for kind in kinds:
        keys = screen_fields(config, *kind, operation)
        out[kind] = None if keys is None else frozenset(_field_id(catalog, k) for k in keys)
    return out


def _field_id(catalog: Catalog, key: str) -> str:
    return catalog.ids.get(key) or f"name:{key}"


def _marked(changes: list[Change], name: str, values: Mapping[str, Any]) -> list[Change]:
    """Issue creates and updates with ``values[key]`` as ``after[name]``: what apply takes from
    the checks (``not_settable``: field ids it leaves out, as ``allow_data_loss`` allows;
    ``BY_DEFAULT``: the priority is the project's default; ``CREATED_AS``: a stand-in's type)."""
    if not values:
        return changes
    return [
        replace(c, after={**(c.after or {}), name: values[c.address.key]})
        if c.address.kind == KIND and c.action is not Action.DELETE and c.address.key in values
        else c
        for c in changes
    ]


@dataclass
class Ranked:
    """What the one rank change (across the managed projects) needs from each project's plan."""

    projects: list[str] = field(default_factory=list)
    identity: dict[str, str] = field(default_factory=dict)  # live key -> repo key
    new: list[str] = field(default_factory=list)  # created issues, in the order they are made

    def note(self, project: str, live: LiveProject, changes: list[Change]) -> None:
        self.projects.append(project)
        self.identity |= {issue.key: name for name, issue in live.issues.items()}
        self.new += [c.address.key for c in changes if c.action is Action.CREATE]


def _rank(client: JiraClient, root: Path, ranked: Ranked, agile: AgileFacts) -> list[Change]:
    found = rank_change(client, root, ranked.projects, ranked.identity, ranked.new)
    return [] if found is None else [_with_live_keys(found, agile)]


def _with_live_keys(change: Change, agile: AgileFacts) -> Change:
    """The change with the live keys of the issues it names, where they differ from the repo's
    (a site whose counter was past a key gave the issue another)."""
    after = change.after or {}
    named = [*after.get("add", []), *after.get("backlog", []), *after.get("order", [])]
    differ = {k: agile.live_keys[k] for k in named if k in agile.live_keys}
    return replace(change, after={**after, "live_keys": differ}) if differ else change


# what status paths and edit screens are read from
CONFIG_KINDS = [
    "project",
    "workflow_scheme",
    "workflow",
    "issue_type_screen_scheme",
    "screen_scheme",
    "screen",
    "field_configuration_scheme",
    "field_configuration",
]


def data_part(
    client: JiraClient,
    root: Path,
    settings: dict[str, Any],
    desired: Snapshot,
    live: Snapshot,
    *,
    prune: bool = False,
) -> DataPlan | None:
    """The data plan of a repo whose jiracfg.yaml manages data (None otherwise). Status paths
    follow the desired configuration where the repo has it, else the live one."""
    managed = data_settings(settings, root)
    if managed is None:
        return None
    if not live.of_kind("workflow") or not live.of_kind("screen"):  # a partial read: complete it
        missing = [k for k in CONFIG_KINDS if not live.of_kind(k)]
        live = live.merged({r.address: r for r in fetch_live(client, missing)})
    config = live.merged({r.address: r for r in desired})
    allowed = frozenset(str(a) for a in settings.get("allow_data_loss") or [])
    return plan_data(client, root, managed, config, prune=prune, live_config=live, allowed=allowed)


def _projects(root: Path, settings: DataSettings, on_site: list[str]) -> list[str]:
    on_disk = [p for p in projects_on_disk(root) if settings.manages(p)]
    return sorted(set(on_disk) | set(on_site))


def desired_issues(
    root: Path, project: str, errors: list[ConfigError] | None = None
) -> Iterator[tuple[str, Spec]]:
    """The project's issue files, valid ones only (what is wrong goes to ``errors``)."""
    for path in project_files(root, project):
        spec, found = issue_errors(root, path, path.read_text(encoding="utf-8"))
        if errors is not None:
            errors += found
        if spec is not None:
            yield relative(root, path), spec


def _project_changes(
    root: Path,
    project: str,
    live: LiveProject,
    config: Snapshot,
    facts: DesiredFacts,
    prune: bool,
    agile: AgileFacts,
) -> list[Change]:
    creates: list[Change] = []
    updates: list[Change] = []
    seen: set[str] = set()
    errors: list[ConfigError] = []
    for label, spec in desired_issues(root, project, errors):
        key = str(spec.get("key"))
        seen.add(key)
        found = live.issues.get(key)
        agile.note(key, spec, None if found is None else found.spec)
        if found is not None and found.key != key:
            agile.live_keys[key] = found.key
        for where, other in references(spec):
            if not in_repo_projects(root, other):
                facts.refs.setdefault(other, []).append((label, where))
        change = _change(label, spec, found, config, facts, prune)
        if found is None or change is not None:
            changed = None if change is None or found is None else touched_keys(change)
            facts.add(label, spec, found is None, changed)
        if change is not None:
            facts.needs.note(spec, change, facts.max_live.get(project, 0))
            (creates if found is None else updates).append(change)
    if errors:
        raise ValidationFailed(errors)
    deletes = [_placeholder(k) for k in live.placeholders]
    gone = [i for k, i in sorted(live.issues.items(), key=_by_number) if k not in seen]
    facts.unmanaged[project] = 0 if prune else len(gone)
    deletes += [_delete(i) for i in gone] if prune else []
    return creates + updates + deletes


def _by_number(item: tuple[str, LiveIssue]) -> int:
    return item[1].number


def _change(
    label: str,
    spec: Spec,
    live: LiveIssue | None,
    config: Snapshot,
    facts: DesiredFacts,
    prune: bool = False,
) -> Change | None:
    address = Address(KIND, str(spec["key"]))
    start = _start_status(spec, live, config)
    path = _path(spec, start, config, label, facts)
    after: dict[str, Any] = {
        "file": label,
        "fingerprint": fingerprint(spec),
        "status_from": start,
        "status_path": path,
    }
    if live is None:
        shown = {k: spec.get(k) for k in ("type", "summary", "status")}
        top = facts.max_live.get(split_key(address.key)[0], 0)
        return Change(address, Action.CREATE, after={**shown, **after, "live_top": top})
    shown, extras = aligned_live(live.spec, spec, prune)
    if extras:
        facts.extras.append((label, extras))
    kept = _links_kept(shown, spec, prune, facts)
    changed = field_changes(comparable(kept), comparable(spec))
    if not changed:
        return None
    after |= {"live_key": live.key, "prune": prune}
    reason = _deletes(extras) if prune else ""
    before = {"summary": live.spec.get("summary")}
    return Change(address, Action.UPDATE, before, after, changed, reason=reason)


def _deletes(extras: dict[str, int]) -> str:
    """What --prune deletes from an issue (comments, worklogs, attachments not in the repo)."""
    counts = ", ".join(f"{n} {name[:-1]}(s)" for name, n in sorted(extras.items()))
    return f"--prune deletes {counts} not in the repo" if counts else ""


def _links_kept(live: Spec, spec: Spec, prune: bool, facts: DesiredFacts) -> Spec:
    """The live issue as the plan compares it: without --prune, links the file does not list
    are left alone (counted for a warning), so they are neither shown nor deleted."""
    if prune or not live.get("links"):
        return live
    wanted = spec.get("links") or []
    kept = [link for link in live["links"] if link in wanted]
    facts.extra_links += len(live["links"]) - len(kept)
    out = {k: v for k, v in live.items() if k != "links"}
    return {**out, "links": kept} if kept else out


def _start_status(spec: Spec, live: LiveIssue | None, config: Snapshot) -> str | None:
    if live is not None:
        return str(live.spec.get("status"))
    project = split_key(str(spec["key"]))[0]
    workflow = workflow_of(config, project, str(spec.get("type")))
    return None if workflow is None else initial_status(workflow)


def _path(
    spec: Spec, start: str | None, config: Snapshot, label: str, facts: DesiredFacts
) -> list[list[str]]:
    project = split_key(str(spec["key"]))[0]
    workflow = workflow_of(config, project, str(spec.get("type")))
    goal = str(spec.get("status"))
    found = None if workflow is None or start is None else status_path(workflow, start, goal)
    if found is None:
        facts.no_path.append((label, str(spec["key"]), start, goal, workflow is not None))
        return []
    return [list(step) for step in found]


def _placeholder(key: str) -> Change:
    return Change(
        Address(KIND, key),
        Action.DELETE,
        before={"summary": "jiracfg placeholder"},
        reason="a placeholder left by an interrupted apply",
    )


def _delete(issue: LiveIssue) -> Change:
    before = {k: issue.spec.get(k) for k in ("type", "summary", "status")}
    return Change(Address(KIND, issue.key), Action.DELETE, before=before)


def per_project(changes: list[Change]) -> dict[str, dict[str, int]]:
    """Counts of issue changes by project and action (the summary of a large plan)."""
    out: dict[str, dict[str, int]] = {}
    for change in changes:
        if change.address.kind == KIND:
            project = split_key(change.address.key)[0]
            counts = out.setdefault(project, {})
            counts[change.action.value] = counts.get(change.action.value, 0) + 1
    return out


__all__ = ["KIND", "DataPlan", "FieldChange", "per_project", "plan_data"]

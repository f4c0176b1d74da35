"""Data checks: small named functions ``(DesiredFacts, LiveFacts, Catalog keys) -> [Problem]``.

Each is something Jira would refuse (or silently lose) at apply, known before any write: required
fields of the target's create screen, option values the target's context does not offer (cascading
children too), priorities the project's priority scheme does not offer, values the target's screens
cannot take, users the target does not have, statuses no transition path reaches, attachments over
the size limit, and keys that cannot be preserved. Problems name the issue file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from jiracfg.data.facts import CHILD, CreateFacts, DesiredFacts, LiveFacts, WriteFacts
from jiracfg.data.layout import split_key
from jiracfg.data.permissions import permissions_granted
from jiracfg.plan.model import Problem

MAX_LISTED = 5  # files named per problem; the rest are counted
NEW = "name:"  # a custom field the target lacks (the same apply may create it), by its key


@dataclass(frozen=True)
class DataInputs:
    desired: DesiredFacts
    live: LiveFacts
    field_ids: dict[str, str]  # custom field key in the repo -> field id on the target
    users_map: dict[str, str]
    allowed: frozenset[str] = frozenset()  # jiracfg.yaml allow_data_loss
    names: dict[str, str] = field(default_factory=dict)  # field id -> its key in the repo


def _listed(labels: list[str]) -> str:
    more = len(labels) - MAX_LISTED
    return ", ".join(labels[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def required_fields_given(inputs: DataInputs) -> list[Problem]:
    """Fields the create screen requires (the target's create metadata; a project or type the
    same apply makes: the configuration's create screen and field configuration)."""
    problems = []
    for (project, kind), creates in sorted(_judged_creates(inputs).items()):
        for wanted, label in sorted((_required(inputs, project, kind) or {}).items()):
            missing = [c.label for c in creates if wanted not in c.present]
            if missing:
                problems.append(
                    Problem(
                        "error",
                        "required_fields_given",
                        f"{len(missing)} {kind} issue(s) of {project} have no value for "
                        f"{label!r}, required on the target's create screen: {_listed(missing)}",
                        "give the field a value in those files, or make it optional on the target",
                    )
                )
    return problems


def _required(inputs: DataInputs, project: str, kind: str) -> dict[str, str] | None:
    """``present_fields`` name -> field name of the fields a create must give."""
    meta = inputs.live.createmeta.get((project, kind))
    if meta is None:
        return inputs.live.required.get((project, kind))
    names = {v: f"name:{k}" for k, v in inputs.field_ids.items()}
    return {
        names.get(i, i): str(f.get("name", i))
        for i, f in meta.items()
        if f.get("required") and not f.get("hasDefaultValue") and i not in ("project", "issuetype")
    }


def _judged_creates(inputs: DataInputs) -> dict[tuple[str, str], list[CreateFacts]]:
    """Creates by the (project, type)s whose required fields they need: their own, and a
    stand-in sub-task's stand-in type too (Jira judges the create by that type's screen)."""
    stand_ins = inputs.live.stand_ins
    if not stand_ins:
        return inputs.desired.creates
    out = {k: list(v) for k, v in inputs.desired.creates.items()}
    for creates in inputs.desired.creates.values():
        for create in creates:
            if create.key in stand_ins:
                kind = (split_key(create.key)[0], stand_ins[create.key])
                out.setdefault(kind, []).append(create)
    return out


def create_screens_readable(inputs: DataInputs) -> list[Problem]:
    creates = inputs.desired.creates
    unknown = [
        k for k, meta in sorted(inputs.live.createmeta.items()) if meta is None and k in creates
    ]
    return [
        Problem(
            "warning",
            "create_screens_readable",
            f"{len(inputs.desired.creates[k])} {k[1]} issue(s) to create in {k[0]}: the target "
            "has no such project or issue type yet, so its create screen is judged from the "
            "configuration being applied, and checked again once that is applied (the data part "
            "of apply plans again first)",
        )
        for k in unknown
    ]


def options_exist(inputs: DataInputs) -> list[Problem]:
    """Option values the field's context offers issues of the project and type, as the
    configuration being applied has it, else as the target's create metadata says."""
    problems = []
    for (project, kind, name), values in sorted(inputs.desired.options.items()):
        offered = _options(inputs, project, kind, name)
        if offered is None:
            continue
        problems += _not_offered(
            "options_exist",
            values,
            offered,
            (
                f"{name!r} = ",
                f" is not an option of the field in {project} {kind} issues on the target",
            ),
            "add the option to the field's context (custom-fields/) or change the value",
        )
    return problems


def _not_offered(
    check: str,
    values: dict[str, str],
    offered: Collection[str],
    around: tuple[str, str],
    hint: str,
) -> list[Problem]:
    """An error for each value (-> the first file giving it) that is not ``offered``: the
    file, then the value between ``around``."""
    before, after = around
    return [
        Problem("error", check, f"{label}: {before}{value!r}{after}", hint)
        for value, label in sorted(values.items())
        if value not in offered
    ]


def _options(inputs: DataInputs, project: str, kind: str, name: str) -> frozenset[str] | None:
    if (project, kind, name) in inputs.live.offered_options:
        return inputs.live.offered_options[(project, kind, name)]
    meta = inputs.live.createmeta.get((project, kind))
    found = (meta or {}).get(inputs.field_ids.get(name) or "")
    allowed = found.get("allowedValues") if found else None
    if not isinstance(allowed, list) or not allowed or "value" not in allowed[0]:
        return None
    return frozenset({str(a.get("value")) for a in allowed}) | {
        f"{a.get('value')}{CHILD}{c.get('value')}" for a in allowed for c in a.get("children") or []
    }


def priorities_offered(inputs: DataInputs) -> list[Problem]:
    """Priorities the project's priority scheme offers, as the configuration being applied has
    it, else as the target's create metadata says. Jira refuses any other (400), on a create
    and on an edit alike, whatever the screens."""
    problems = []
    for (project, kind), names in sorted(inputs.desired.priorities.items()):
        offered = _offered(inputs, project, kind)
        if not offered:
            continue  # not known: nothing to check against
        scheme = f"its priority scheme has {', '.join(offered)}"
        problems += _not_offered(
            "priorities_offered",
            names,
            offered,
            ("priority ", f" is not offered to {project} {kind} issues on the target ({scheme})"),
            "add the priority to the project's priority scheme, or change the value",
        )
    return problems


def _offered(inputs: DataInputs, project: str, kind: str) -> list[str] | None:
    if project in inputs.live.offered_priorities:
        return inputs.live.offered_priorities[project]
    meta = inputs.live.createmeta.get((project, kind)) or {}
    allowed = (meta.get("priority") or {}).get("allowedValues")
    return [str(a.get("name")) for a in allowed] if isinstance(allowed, list) else None


Unsettable = dict[tuple[str, str, str], list[WriteFacts]]  # (project, type, field id) -> writes


def unsettable(inputs: DataInputs) -> Unsettable:
    """Values issue files write that the target's screens cannot take: on neither the create
    screen (creates only: create metadata, else the configuration's) nor the edit screen (the
    configuration's), or hidden by the field configuration. Jira refuses them (400, ``Field 'x'
    cannot be set``). A create's reporter or priority that Jira gives it anyway (the caller, the
    default) is no loss. Unknown screens are not judged."""
    out: Unsettable = {}
    creates = {k: _create_screen(inputs, k) for k in _made_as(inputs)}
    for kind, writes in sorted(inputs.desired.writes.items()):
        for write in writes:
            for field_id in _refused(inputs, kind, write, creates):
                out.setdefault((*kind, field_id), []).append(write)
    return out


def _made_as(inputs: DataInputs) -> set[tuple[str, str]]:
    """The (project, type)s creates are made as: their own, or a sub-task's stand-in's."""
    stand_ins = {(split_key(k)[0], t) for k, t in inputs.live.stand_ins.items()}
    return set(inputs.desired.writes) | stand_ins


def _refused(
    inputs: DataInputs,
    kind: tuple[str, str],
    write: WriteFacts,
    creates: dict[tuple[str, str], frozenset[str] | None],
) -> list[str]:
    """The field ids ``write`` gives that no screen of its create or edit takes. A sub-task
    created as a stand-in (its parent comes later) is created as the stand-in type (Jira
    judges the create by that type's create screen); the rest is set by an edit after its
    move to the sub-task type (that type's edit screen)."""
    edit = inputs.live.edit_screens.get(kind)
    stand_in = inputs.live.stand_ins.get(write.key) if write.create else None
    create = creates.get(kind if stand_in is None else (kind[0], stand_in))
    if edit is None or (write.create and create is None):
        return []  # not known: not judged
    settable = edit | ((create or frozenset()) if write.create else frozenset())
    found = _ids(inputs, write.fields)
    return [f for f in found if f not in settable and not _given(inputs, write, f)]


def _create_screen(inputs: DataInputs, kind: tuple[str, str]) -> frozenset[str] | None:
    """The target's create metadata (with the custom fields the same apply creates that the
    config's create screen has), else (a project or type not made yet) the config's."""
    meta = inputs.live.createmeta.get(kind)
    config = inputs.live.create_screens.get(kind)
    if meta is None:
        return config
    return frozenset(meta) | {f for f in config or () if f.startswith(NEW)}


def _ids(inputs: DataInputs, names: frozenset[str]) -> list[str]:
    """Field ids of ``present_fields`` names; a custom field the target lacks keeps its
    ``name:<key>`` (the configuration's screens name it so: see ``data.plan``)."""
    return [inputs.field_ids.get(n[5:], n) if n.startswith(NEW) else n for n in sorted(names)]


def _given(inputs: DataInputs, write: WriteFacts, field_id: str) -> bool:
    if not write.create:
        return False
    if field_id == "reporter":
        who = inputs.users_map.get(write.reporter or "", write.reporter or "")
        return not who or who in inputs.live.me or who.casefold() in inputs.live.me
    default = inputs.live.default_priorities.get(split_key(write.key)[0])
    return field_id == "priority" and default is not None and write.priority == default


def lost_address(inputs: DataInputs, field_id: str) -> str:
    """The address ``allow_data_loss`` names to accept losing a field's values where the target
    cannot set them (not ``custom_field/<field>``, which accepts a change destroying them)."""
    return f"unsettable/{inputs.names.get(field_id, field_id.removeprefix(NEW))}"


def values_settable(inputs: DataInputs) -> list[Problem]:
    """A value the target cannot take is an error (a clean plan never fails at apply) until
    jiracfg.yaml accepts losing that field's values (``allow_data_loss``): then a warning with
    the count, and apply leaves those values out and counts them as not restored."""
    problems = []
    for (project, kind, field_id), writes in sorted(unsettable(inputs).items()):
        address = lost_address(inputs, field_id)
        name = address.split("/", 1)[1]
        labels = [f"{w.label} ({_operation(inputs, w)})" for w in writes]
        lost = (
            f"{len(writes)} {kind} issue(s) of {project} give {name!r}, which the target cannot "
            f"set: it is on neither the create nor the edit screen of {project} {kind} issues, "
            f"or their field configuration hides it: {_listed(labels)}"
        )
        if address in inputs.allowed:
            message = f"{lost}; not restored (allowed in jiracfg.yaml allow_data_loss)"
            problems.append(Problem("warning", "values_settable", message, "", address))
            continue
        hint = (
            f"put the field on the edit screen of {project} {kind} issues (screens/), or take "
            f"the value out of those files; or, if those values may go, say so in jiracfg.yaml: "
            f"allow_data_loss: [{address}]"
        )
        problems.append(Problem("error", "values_settable", lost, hint, address))
    return problems


def _operation(inputs: DataInputs, write: WriteFacts) -> str:
    if not write.create:
        return "update"
    stand_in = inputs.live.stand_ins.get(write.key)
    return "create" if stand_in is None else f"create as {stand_in}, then moved"


def priority_by_default(inputs: DataInputs) -> set[str]:
    """Keys of creates whose file gives the priority their project gives a create anyway (its
    priority scheme's default): apply need not set it where the create screen lacks it."""
    return {
        write.key
        for writes in inputs.desired.writes.values()
        for write in writes
        if write.create and _given(inputs, write, "priority")
    }


def not_settable(inputs: DataInputs) -> dict[str, list[str]]:
    """Issue key -> field ids apply leaves out, as allowed by ``allow_data_loss``."""
    out: dict[str, list[str]] = {}
    for (_, _, field_id), writes in sorted(unsettable(inputs).items()):
        if lost_address(inputs, field_id) in inputs.allowed:
            for write in writes:
                out.setdefault(write.key, []).append(field_id)
    return out


def users_exist(inputs: DataInputs) -> list[Problem]:
    if not inputs.live.users:
        return []
    missing = [
        (u, label)
        for u, label in sorted(inputs.desired.users.items())
        if inputs.users_map.get(u, u) not in inputs.live.users
        and inputs.users_map.get(u, u).casefold() not in inputs.live.users
    ]
    return [
        Problem(
            "error",
            "users_exist",
            f"{label}: user {user!r} does not exist on the target",
            "invite the user, or map it in the users file named by data.users in jiracfg.yaml",
        )
        for user, label in missing
    ]


def statuses_reachable(inputs: DataInputs) -> list[Problem]:
    return [
        Problem(
            "error" if known else "warning",
            "statuses_reachable",
            f"{label}: no transition path leads {key} from {start or 'its initial status'} to "
            f"{goal!r}" + ("" if known else " (its workflow is not in the configuration)"),
            "add a transition to the workflow, or change the issue's status",
        )
        for label, key, start, goal, known in inputs.desired.no_path
    ]


def attachments_fit(inputs: DataInputs) -> list[Problem]:
    live = inputs.live
    if inputs.desired.attachments and not live.attachments_enabled:
        return [
            Problem(
                "error",
                "attachments_fit",
                f"attachments are disabled on the target ({len(inputs.desired.attachments)} "
                "issue(s) have some)",
                "enable attachments in the target's settings",
            )
        ]
    too_big = [
        a for a in inputs.desired.attachments if live.upload_limit and a[2] > live.upload_limit
    ]
    return [
        Problem(
            "error",
            "attachments_fit",
            f"{label}: attachment {name!r} ({size} bytes) is over the target's limit of "
            f"{live.upload_limit} bytes",
            "raise the attachment size limit on the target",
        )
        for label, name, size in too_big
    ]


def keys_preserved(inputs: DataInputs) -> list[Problem]:
    problems = []
    for project, numbers in sorted(inputs.desired.numbers.items()):
        top = inputs.desired.max_live.get(project, 0)
        lost = [n for n in numbers if n <= top]
        if lost:
            problems.append(
                Problem(
                    "warning",
                    "keys_preserved",
                    f"{len(lost)} issue(s) of {project} cannot keep their key: the target's "
                    f"project already counts to {project}-{top} (e.g. {project}-{lost[0]})",
                    "restore into a new project to keep every key; the apply summary lists the "
                    "new keys (and the jiracfg.origin property keeps the old one)",
                )
            )
    return problems


def unmanaged_issues(inputs: DataInputs) -> list[Problem]:
    return [
        Problem(
            "warning",
            "unmanaged_issues",
            f"{count} live issue(s) of {project} are not in the repo and are left alone",
            "export to add them, or plan with --prune to delete them (counted in the plan)",
        )
        for project, count in sorted(inputs.desired.unmanaged.items())
        if count
    ]


def items_not_in_repo(inputs: DataInputs) -> list[Problem]:
    """Live comments, worklogs and attachments the repo does not have: counted, and deleted
    only with --prune."""
    totals: dict[str, int] = {}
    for _, counts in inputs.desired.extras:
        for name, n in counts.items():
            totals[name] = totals.get(name, 0) + n
    if not totals:
        return []
    what = ", ".join(f"{n} {name[:-1]}(s)" for name, n in sorted(totals.items()))
    labels = [label for label, _ in inputs.desired.extras]
    where = f"{len(labels)} issue(s): {_listed(labels)}"
    if inputs.desired.prune:
        message, hint = f"--prune deletes {what} not in the repo, on {where}", "export to keep them"
    else:
        message = f"{what} on {where} are live but not in the repo: left alone"
        hint = "export to add them to the repo, or plan with --prune to delete them"
    return [Problem("warning", "items_not_in_repo", message, hint)]


def unmanaged_links(inputs: DataInputs) -> list[Problem]:
    count = inputs.desired.extra_links
    if not count:
        return []
    return [
        Problem(
            "warning",
            "unmanaged_links",
            f"{count} issue link(s) on the site are in no issue file and are left alone",
            "export to add them, or plan with --prune to delete them",
        )
    ]


CHECKS: dict[str, Callable[[DataInputs], list[Problem]]] = {
    "unmanaged_issues": unmanaged_issues,
    "items_not_in_repo": items_not_in_repo,
    "unmanaged_links": unmanaged_links,
    "required_fields_given": required_fields_given,
    "create_screens_readable": create_screens_readable,
    "options_exist": options_exist,
    "priorities_offered": priorities_offered,
    "values_settable": values_settable,
    "users_exist": users_exist,
    "statuses_reachable": statuses_reachable,
    "attachments_fit": attachments_fit,
    "keys_preserved": keys_preserved,
    "permissions_granted": permissions_granted,
}


def run_data_checks(inputs: DataInputs) -> list[Problem]:
    problems: list[Problem] = []
    for name, check in CHECKS.items():
        try:
            problems += check(inputs)
        except Exception as exc:  # a check must never take the plan down silently
            problems.append(Problem("error", name, f"check failed: {exc!r}", "a bug in jiracfg"))
    return problems

"""What keeps an object the same object on every site the repo applies to.

Renames are declared once and kept for good (``renamed_from``), so one repo renames safely on every
site, whatever each site has applied so far (see ``jiracfg.plan.diff``). Transition ids are kept
(see ``jiracfg.kinds.workflow``), so Jira's refusal of an id given twice in a workflow is known
from the repo.
"""

from __future__ import annotations

from jiracfg.model import Address, Resource
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.diff import renamed_from
from jiracfg.plan.model import Problem


def renames_are_safe(inputs: Inputs) -> list[Problem]:
    """An old name the repo declares again, on a site that has not applied the rename: the new
    object would take the old one (and its data) while the renamed one is created empty."""
    return [
        Problem(
            "error",
            "renames_are_safe",
            f"{r.address} is renamed from {old.key!r}, and the repo declares {old} again; this "
            f"site still has {old} and no {r.address}, so the rename was never applied here",
            f"apply the rename here first from a commit before {old} was added again, or remove "
            f"`renamed_from` from {r.address} if it is meant to be a new object",
            str(r.address),
        )
        for r, old in _renames(inputs)
        if old in inputs.desired and old in inputs.live and r.address not in inputs.live
    ]


def renamed_objects_not_both_live(inputs: Inputs) -> list[Problem]:
    """Both the old and the new name exist on the site (the old one left over): say so."""
    return [
        Problem(
            "warning",
            "renamed_objects_not_both_live",
            f"{r.address} is renamed from {old.key!r}, but this site has both; {old} is left "
            "alone as unmanaged",
            f"move what {old} holds to {r.address} in Jira, then delete {old} (`--prune`)",
            str(r.address),
        )
        for r, old in _renames(inputs)
        if old not in inputs.desired and old in inputs.live and r.address in inputs.live
    ]


def _renames(inputs: Inputs) -> list[tuple[Resource, Address]]:
    return [(r, old) for r in inputs.desired for old in renamed_from(r)]


def transition_ids_unique(inputs: Inputs) -> list[Problem]:
    """Jira refuses a workflow that gives two transitions the same id."""
    return [
        Problem(
            "error",
            "transition_ids_unique",
            f"{_last_line(r, tid)}{r.address}: the transition id {tid!r} is given to more than "
            f"one transition ({', '.join(names)})",
            "each transition keeps its own id; remove the copied `id:` line (Jira gives a new "
            "transition an id) or restore the id export wrote",
            str(r.address),
        )
        for r in inputs.desired.of_kind("workflow")
        for tid, names in _repeated_ids(r.spec.get("transitions") or []).items()
    ]


def _last_line(resource: Resource, value: str) -> str:
    """``file:line: `` of the last place ``value`` is written in the object's file (the copy)."""
    origin = resource.origin
    lines = [n for text, n in origin.values if text == value] if origin else []
    return f"{origin.file}:{lines[-1]}: " if origin and lines else ""


def _repeated_ids(transitions: list[dict[str, object]]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for t in transitions:
        if t.get("id"):
            names.setdefault(str(t["id"]), []).append(str(t.get("name")))
    return {tid: found for tid, found in names.items() if len(found) > 1}

"""What a delete or replace does to the objects that hang on it, made explicit in the plan (pure).

- Nested objects (a custom field's contexts) go with their parent: a deleted parent takes them
  along (no delete of their own, which Jira may refuse, e.g. for a field's global context), and a
  replaced parent gets the desired ones created again, in the same apply.
- Objects whose desired spec names a replaced object (a screen listing a replaced field) lose that
  reference when it is deleted: each gets an update that puts it back, after the re-create.
"""

from __future__ import annotations

from jiracfg.kinds import REGISTRY
from jiracfg.model import Address, Resource, Snapshot, Spec
from jiracfg.plan.model import Action, Change, FieldChange


def follow_parents(changes: list[Change], desired: Snapshot, live: Snapshot) -> list[Change]:
    gone = {c.address for c in changes if c.action in (Action.DELETE, Action.REPLACE)}
    replaced = {c.address for c in changes if c.action is Action.REPLACE}
    if not gone:
        return changes
    kept = [c for c in changes if _parent(c.address, c.before or c.after) not in gone]
    by_address = {c.address: c for c in kept}
    for resource in desired:
        parent = _parent(resource.address, resource.spec)
        if parent in replaced:
            by_address[resource.address] = _recreate(resource)
        elif replaced and resource.address not in by_address and not resource.readonly:
            named = replaced & set(REGISTRY[resource.address.kind].refs(resource.spec))
            restore = _restore(resource, live.get(resource.address), sorted(named))
            if restore is not None:
                by_address[resource.address] = restore
    return list(by_address.values())


def strip(spec: Spec) -> Spec:
    """The spec as Jira sees it (planner-only keys removed)."""
    return {k: v for k, v in spec.items() if k != "renamed_from"}


def _parent(address: Address, spec: dict[str, object] | None) -> Address | None:
    kind = REGISTRY.get(address.kind)
    if kind is None or kind.parent is None or not spec:
        return None
    return Address(kind.parent, str(spec.get(kind.parent_key_field, "")))


def _recreate(resource: Resource) -> Change:
    return Change(
        resource.address, Action.CREATE, after=strip(resource.spec), reason="its parent is replaced"
    )


def _restore(resource: Resource, live: Resource | None, named: list[Address]) -> Change | None:
    if not named or live is None:
        return None
    after = strip(resource.spec)
    fields = tuple(
        FieldChange(f"{a} (replaced)", "dropped by the delete", "put back") for a in named
    )
    return Change(resource.address, Action.UPDATE, live.spec, after, fields, reason="restore")

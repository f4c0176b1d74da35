"""dropdown_options: each select, multi-select, radio, checkbox and cascading field's contexts on
the site offer exactly the commit's enabled options (children too), default included, in the
expected projects and issue types (read from the live field contexts); and what an admin sees
when creating an issue does too: for each project of the commit and issue type, the create
metadata of each such field on the create screen offers the options and default of the commit's
context that applies there (the project's own context for the issue type, else the global one)."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Address, Resource, Snapshot
from jiracfg.verify.model import Inputs, Menus, Result, fail, passed

NAME = "dropdown_options"
OPTION_TYPES = {"select", "multiselect", "radiobuttons", "multicheckboxes", "cascadingselect"}


def check(inputs: Inputs) -> list[Result]:
    results = [
        _context(want, inputs.live.get(want.address))
        for want in inputs.desired.of_kind("field_context")
        if _field_type(inputs.desired, want) in OPTION_TYPES
    ]
    return results + _menus(inputs.desired, inputs.menus)


def _menus(desired: Snapshot, menus: Menus | None) -> list[Result]:
    if menus is None:
        return []
    names: dict[str, list[str]] = {}  # Jira lets fields share a name: any of them may match
    for r in desired.of_kind("custom_field"):
        names.setdefault(str(r.spec.get("name")), []).append(r.address.key)
    contexts: dict[str, list[Resource]] = {}
    for c in desired.of_kind("field_context"):
        contexts.setdefault(str(c.spec["field"]), []).append(c)
    found: list[Result] = []
    for key, menu in sorted(menus.items()):
        tried = [_menu(key, menu, contexts.get(f, [])) for f in names.get(key[2], [])]
        if tried and tried[0] is not None and all(r is not None for r in tried):
            found.append(tried[0])
    pairs = len({k[:2] for k in menus})
    return found or [
        passed(NAME, "create metadata", f"{len(menus)} menus in {pairs} project/issue types")
    ]


def _menu(
    key: tuple[str, str, str], menu: dict[str, Any], contexts: list[Resource]
) -> Result | None:
    project, issue_type, field = key
    subject = f"custom_field/{field} in {project} / {issue_type}"
    applying = [c for c in contexts if issue_type in (c.spec.get("issue_types") or [issue_type])]
    own = [c for c in applying if project in (c.spec.get("projects") or [])]
    chosen = next(iter(own or [c for c in applying if not c.spec.get("projects")]), None)
    if chosen is None:
        return fail(
            NAME, subject, "offered when creating an issue, but no context of the commit applies"
        )
    want = {
        "options": _enabled(chosen.spec.get("options") or []),
        "default": chosen.spec.get("default"),
    }
    wrong = [_differs(k, menu[k], want[k]) for k in want if menu[k] != want[k]]
    where = f" (context {chosen.spec.get('name')!r})"
    return fail(NAME, subject, "; ".join(wrong) + where) if wrong else None


def _field_type(desired: Snapshot, context: Resource) -> str:
    field = desired.get(Address("custom_field", str(context.spec["field"])))
    return str(field.spec.get("type")) if field else ""


def _context(want: Resource, live: Resource | None) -> Result:
    subject = str(want.address)
    if live is None:
        return fail(NAME, subject, "the field context is not on the site")
    site, commit = _offered(live.spec), _offered(want.spec)
    wrong = [_differs(k, site[k], commit[k]) for k in commit if site[k] != commit[k]]
    if wrong:
        return fail(NAME, subject, "; ".join(wrong))
    return passed(NAME, subject, f"{len(commit['options'])} options")


def _offered(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "options": _enabled(spec.get("options") or []),
        "projects": sorted(spec.get("projects") or []) or "all",
        "issue_types": sorted(spec.get("issue_types") or []) or "all",
        "default": spec.get("default"),
    }


def _enabled(options: list[dict[str, Any]]) -> list[Any]:
    return [
        [o["value"], _enabled(o["children"])] if o.get("children") else o["value"]
        for o in options
        if not o.get("disabled")
    ]


def _differs(key: str, site: Any, commit: Any) -> str:
    if key != "options":
        return f"{key}: site {site!r}, commit {commit!r}"
    missing = [o for o in commit if o not in site]
    extra = [o for o in site if o not in commit]
    parts = [f"missing on the site {missing!r}" if missing else ""]
    parts.append(f"not in the commit {extra!r}" if extra else "")
    return "options: " + (", ".join(p for p in parts if p) or f"order differs {site!r}")

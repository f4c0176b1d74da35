"""dropdown_options: each select, multi-select, radio, checkbox and cascading field's contexts on
the site offer exactly the commit's enabled options (children too), default included, in the
expected projects and issue types. Read from the live field contexts (the sandbox's create
metadata does not yet show the options of the context that applies)."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Address, Resource, Snapshot
from jiracfg.verify.model import Inputs, Result, fail, passed

NAME = "dropdown_options"
OPTION_TYPES = {"select", "multiselect", "radiobuttons", "multicheckboxes", "cascadingselect"}


def check(inputs: Inputs) -> list[Result]:
    return [
        _context(want, inputs.live.get(want.address))
        for want in inputs.desired.of_kind("field_context")
        if _field_type(inputs.desired, want) in OPTION_TYPES
    ]


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

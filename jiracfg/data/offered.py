"""The options a custom field offers issues of a project and type, from the configuration the
apply makes (so also where the same apply creates the field or the project, and the target has
no create metadata for it yet).

Jira takes an option value from the context that applies to the issue: the one naming the
issue's project (and its type, or no types), else the global one (no projects); a field with no
such context does not apply and takes no value. Disabled options are not offered for new values.
Pure: reads config specs only.
"""

from __future__ import annotations

from typing import Any

from jiracfg.data.facts import CHILD
from jiracfg.model import Address, Snapshot

OPTION_TYPES = frozenset(
    {"select", "radiobuttons", "multiselect", "multicheckboxes", "cascadingselect"}
)


def offered_options(
    config: Snapshot, field: str, project: str, issue_type: str
) -> frozenset[str] | None:
    """Option values (``parent → child`` for cascading children) ``field`` offers issues of
    ``project`` and ``issue_type``; None when the configuration does not hold the field or it
    takes no options, or its contexts are not in the configuration."""
    found = config.get(Address("custom_field", field))
    if found is None or found.spec.get("type") not in OPTION_TYPES:
        return None
    contexts = [r.spec for r in config.of_kind("field_context") if r.spec.get("field") == field]
    if not contexts:
        return None  # not read (a field has a context at least): the target's metadata decides
    chosen = _applying(contexts, project, issue_type)
    return frozenset() if chosen is None else frozenset(_values(chosen.get("options") or []))


def _applying(contexts: list[Any], project: str, issue_type: str) -> dict[str, Any] | None:
    typed = [c for c in contexts if issue_type in (c.get("issue_types") or [issue_type])]
    own = [c for c in typed if project in (c.get("projects") or [])]
    return next(iter(own or [c for c in typed if not c.get("projects")]), None)


def _values(options: list[Any]) -> list[str]:
    out = []
    for option in options:
        if option.get("disabled"):
            continue
        out.append(str(option["value"]))
        out += [
            f"{option['value']}{CHILD}{child['value']}"
            for child in option.get("children") or []
            if not child.get("disabled")
        ]
    return out


def options_of(
    config: Snapshot, wanted: list[tuple[str, str, str]]
) -> dict[tuple[str, str, str], frozenset[str]]:
    """``offered_options`` of each (project, issue type, field) where known."""
    found = {k: offered_options(config, k[2], k[0], k[1]) for k in wanted}
    return {k: v for k, v in found.items() if v is not None}


def given_anyway(config: Snapshot, field: str, project: str, issue_type: str) -> bool:
    """Whether a create needs no value for the custom field ``field``: Jira gives it the
    default of the context that applies, or no context applies (the field is not on the
    issue). False for a field the configuration does not hold, or holds no context of (Jira
    gives a new field a global context)."""
    if config.get(Address("custom_field", field)) is None:
        return False
    contexts = [r.spec for r in config.of_kind("field_context") if r.spec.get("field") == field]
    if not contexts:
        return False
    chosen = _applying(contexts, project, issue_type)
    return chosen is None or chosen.get("default") not in (None, "", [])

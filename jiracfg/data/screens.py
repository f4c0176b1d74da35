"""Which fields a create or an edit can set on issues of a project and type, from the config.

Jira takes a field value only when the field is on the operation's screen (the project's issue
type screen scheme gives each issue type a screen scheme, whose ``edit`` screen, else ``default``,
is the edit screen; ``create`` likewise) and the field configuration that applies does not hide
it; anything else is refused with ``Field 'x' cannot be set. It is not on the appropriate screen,
or unknown.``. The create screen is read from the target where it can be (create metadata,
``facts``); an issue that does not exist yet has no edit metadata, and a project the same apply
creates has no create metadata yet, so those come from the configuration the plan applies. Pure:
reads config specs only. Custom field contexts are not followed here (create metadata does).
"""

from __future__ import annotations

from typing import Any

from jiracfg.model import Address, Snapshot

DEFAULT = "default"
DEFAULT_FIELD_CONFIGURATION = "Default Field Configuration"  # a project without a scheme's


def screen_fields(
    config: Snapshot, project: str, issue_type: str, operation: str
) -> frozenset[str] | None:
    """Field keys (custom field keys, system fields by name) the ``operation`` (``create`` or
    ``edit``) of ``issue_type`` issues in ``project`` can set; None when the configuration does
    not say."""
    schemes = _spec(config, "project", project).get("schemes") or {}
    mappings = _spec(config, "issue_type_screen_scheme", schemes.get("issue_type_screen"))
    by_type = mappings.get("mappings") or {}
    screens = _spec(config, "screen_scheme", by_type.get(issue_type, by_type.get(DEFAULT)))
    chosen = screens.get("screens") or {}
    screen = _spec(config, "screen", chosen.get(operation) or chosen.get(DEFAULT))
    if not screen:
        return None
    shown = {str(f) for tab in screen.get("tabs") or [] for f in tab.get("fields") or []}
    return frozenset(shown - _hidden(config, schemes.get("field_configuration"), issue_type))


def required_fields(config: Snapshot, project: str, issue_type: str) -> frozenset[str] | None:
    """Field keys a create of ``issue_type`` issues in ``project`` must give: on the create
    screen and required by the field configuration that applies (None: not known)."""
    shown = screen_fields(config, project, issue_type, "create")
    if shown is None:
        return None
    schemes = _spec(config, "project", project).get("schemes") or {}
    items = _items(config, schemes.get("field_configuration"), issue_type)
    return frozenset(k for k in shown if (items.get(k) or {}).get("required"))


def _hidden(config: Snapshot, scheme_name: Any, issue_type: str) -> set[str]:
    items = _items(config, scheme_name, issue_type)
    return {str(k) for k, item in items.items() if (item or {}).get("hidden")}


def _items(config: Snapshot, scheme_name: Any, issue_type: str) -> dict[str, Any]:
    """The settings by field key of the field configuration that applies."""
    scheme = _spec(config, "field_configuration_scheme", scheme_name)
    name = (scheme.get("issue_types") or {}).get(issue_type, scheme.get(DEFAULT))
    found = _spec(config, "field_configuration", name or DEFAULT_FIELD_CONFIGURATION)
    return dict(found.get("fields") or {})


def _spec(config: Snapshot, kind: str, name: Any) -> dict[str, Any]:
    if not name:
        return {}
    found = config.get(Address(kind, str(name)))
    return {} if found is None else dict(found.spec)

"""The explicit registry of resource kinds, in no particular order (order comes from
declared dependencies)."""

from __future__ import annotations

from jiracfg.kinds import (
    app_property,
    board,
    custom_field,
    dashboard,
    field_configuration,
    field_configuration_scheme,
    field_context,
    filter,
    group,
    issue_link_type,
    issue_security_scheme,
    issue_type,
    issue_type_scheme,
    issue_type_screen_scheme,
    notification_scheme,
    permission_scheme,
    priority,
    priority_scheme,
    project,
    project_category,
    project_role,
    resolution,
    screen,
    screen_scheme,
    sprint,
    status,
    time_tracking,
    webhook,
    workflow,
    workflow_scheme,
)
from jiracfg.kinds._base import ApplyContext, FetchContext, Kind

__all__ = ["REGISTRY", "ApplyContext", "FetchContext", "Kind", "kind_order"]

REGISTRY: dict[str, Kind] = {
    "status": status.KIND,
    "workflow": workflow.KIND,
    "workflow_scheme": workflow_scheme.KIND,
    "issue_type": issue_type.KIND,
    "issue_type_scheme": issue_type_scheme.KIND,
    "screen": screen.KIND,
    "screen_scheme": screen_scheme.KIND,
    "issue_type_screen_scheme": issue_type_screen_scheme.KIND,
    "custom_field": custom_field.KIND,
    "field_context": field_context.KIND,
    "field_configuration": field_configuration.KIND,
    "field_configuration_scheme": field_configuration_scheme.KIND,
    "permission_scheme": permission_scheme.KIND,
    "notification_scheme": notification_scheme.KIND,
    "priority": priority.KIND,
    "priority_scheme": priority_scheme.KIND,
    "group": group.KIND,
    "issue_security_scheme": issue_security_scheme.KIND,
    "resolution": resolution.KIND,
    "issue_link_type": issue_link_type.KIND,
    "project_role": project_role.KIND,
    "project_category": project_category.KIND,
    "project": project.KIND,
    "webhook": webhook.KIND,
    "app_property": app_property.KIND,
    "time_tracking": time_tracking.KIND,
    "board": board.KIND,
    "sprint": sprint.KIND,
    "filter": filter.KIND,
    "dashboard": dashboard.KIND,
}


def kind_order(names: list[str] | None = None) -> list[str]:
    """Kinds in dependency order (dependencies first), including what ``names`` depend on."""
    wanted = set(REGISTRY if names is None else names)
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise ValueError(f"kind dependency cycle: {' -> '.join((*path, name))}")
        for dep in REGISTRY[name].depends_on:
            visit(dep, (*path, name))
        order.append(name)

    for name in sorted(wanted):
        visit(name, ())
    return order

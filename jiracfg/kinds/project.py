"""Placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class ProjectKind(Kind):
    name = "project"
    folder = "projects"
    depends_on = (
        "project_category",
        "project_role",
        "workflow_scheme",
        "issue_type_scheme",
        "issue_type_screen_scheme",
        "field_configuration_scheme",
        "permission_scheme",
        "notification_scheme",
        "issue_type",
    )

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = ProjectKind()

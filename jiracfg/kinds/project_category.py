"""Placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class ProjectCategoryKind(Kind):
    name = "project_category"
    folder = "project-categories"
    depends_on = ()

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = ProjectCategoryKind()

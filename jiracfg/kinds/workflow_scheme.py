"""workflow_scheme: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class WorkflowSchemeKind(Kind):
    name = "workflow_scheme"
    folder = "workflow-schemes"
    depends_on = ('workflow', 'issue_type')

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = WorkflowSchemeKind()

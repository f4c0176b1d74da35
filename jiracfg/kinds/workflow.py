"""workflow: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class WorkflowKind(Kind):
    name = "workflow"
    folder = "workflows"
    depends_on = ('status',)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = WorkflowKind()

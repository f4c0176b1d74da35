"""issue_type_scheme: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class IssueTypeSchemeKind(Kind):
    name = "issue_type_scheme"
    folder = "issue-type-schemes"
    depends_on = ('issue_type',)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = IssueTypeSchemeKind()

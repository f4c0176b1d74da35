"""issue_type_screen_scheme: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class IssueTypeScreenSchemeKind(Kind):
    name = "issue_type_screen_scheme"
    folder = "issue-type-screen-schemes"
    depends_on = ('screen_scheme', 'issue_type')

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = IssueTypeScreenSchemeKind()

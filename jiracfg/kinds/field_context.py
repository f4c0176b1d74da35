"""field_context: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class FieldContextKind(Kind):
    name = "field_context"
    folder = "custom-fields"
    depends_on = ('custom_field', 'project', 'issue_type')
    parent = "custom_field"
    parent_field = "contexts"
    parent_key_field = "field"

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = FieldContextKind()

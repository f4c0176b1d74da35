"""Placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class PermissionSchemeKind(Kind):
    name = "permission_scheme"
    folder = "permission-schemes"
    depends_on = ('project_role', 'custom_field')

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = PermissionSchemeKind()

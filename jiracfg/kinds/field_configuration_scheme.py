"""Placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class FieldConfigurationSchemeKind(Kind):
    name = "field_configuration_scheme"
    folder = "field-configuration-schemes"
    depends_on = ('field_configuration', 'issue_type')

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = FieldConfigurationSchemeKind()

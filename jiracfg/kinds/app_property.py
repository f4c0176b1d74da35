"""app_property: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class AppPropertyKind(Kind):
    name = "app_property"
    folder = "app-properties"
    depends_on = ()

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = AppPropertyKind()

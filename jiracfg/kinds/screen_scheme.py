"""screen_scheme: placeholder until this kind is implemented (fetches nothing, writes nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from jiracfg.kinds._base import FetchContext, Kind
from jiracfg.model import Resource


class ScreenSchemeKind(Kind):
    name = "screen_scheme"
    folder = "screen-schemes"
    depends_on = ('screen',)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return ()


KIND = ScreenSchemeKind()

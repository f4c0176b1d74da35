"""time_tracking: the site's time tracking (``/configuration/timetracking``), one file.

Spec: ``{provider?: <provider key>, options: {workingHoursPerDay, workingDaysPerWeek, timeFormat,
defaultUnit}}`` in ``time-tracking/time-tracking.yaml`` (key: ``time-tracking``). ``provider`` is
Jira's own (``JIRA``) or an installed app's (``<app key>__<module key>``, e.g. Timekeeper's), so the
kind comes after the apps (``app_property``): an app's provider exists only once the app is
installed, and the ``time_tracking_provider_listed`` check stops a plan naming a provider the site
does not list (the live object's ``meta["providers"]``). Jira's REST API cannot turn time tracking
off: a site with it off exports without ``provider``, and a file without ``provider`` leaves the
site's choice alone. Jira does not record these writes in its audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind
from jiracfg.model import Resource, Spec

PATH = "/configuration/timetracking"
KEY = "time-tracking"
OPTIONS = ("workingHoursPerDay", "workingDaysPerWeek", "timeFormat", "defaultUnit")


def number(value: Any) -> Any:
    """Hours and days as one type whatever Jira or the YAML wrote (8, not 8.0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return int(value) if float(value).is_integer() else float(value)


def options_of(spec: Spec) -> dict[str, Any]:
    options = spec.get("options") or {}
    return {k: number(options[k]) for k in OPTIONS if k in options}


def body(options: dict[str, Any]) -> dict[str, Any]:
    """The options as Jira's PUT takes them (hours and days as numbers with a fraction)."""
    return {k: float(v) if k.startswith("working") else v for k, v in options.items()}


class TimeTrackingKind(Kind):
    name = "time_tracking"
    folder = "time-tracking"
    depends_on = ("app_property",)  # an app's provider exists once the app is installed

    def key(self, spec: Spec) -> str:
        return KEY

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        chosen = ctx.client.get(PATH) or None  # 204: time tracking is off
        providers = tuple(str(p["key"]) for p in ctx.client.get(f"{PATH}/list"))
        spec: Spec = {"options": options_of({"options": ctx.client.get(f"{PATH}/options")})}
        if chosen:
            spec = {"provider": str(chosen["key"]), **spec}
        return [self.resource(spec, id=KEY, protected=True, providers=providers)]

    def comparable(self, live: Spec, spec: Spec) -> Spec:
        """Without ``provider`` the site's stays; hours and days compare as numbers."""
        chosen = {"provider": live["provider"]} if "provider" in live else {}
        return {**chosen, **spec, "options": options_of(spec)}

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        self.update(ctx, self.resource({"options": {}}), spec)
        return KEY

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        provider = spec.get("provider")
        if provider and provider != live.spec.get("provider"):
            ctx.client.put(PATH, {"key": provider})
        if options_of(spec) != options_of(live.spec):
            ctx.client.put(f"{PATH}/options", body(options_of(spec)))


KIND = TimeTrackingKind()

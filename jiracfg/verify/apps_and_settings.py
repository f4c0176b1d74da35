"""apps_and_settings: each app of ``apps/`` is installed, enabled and holds the commit's
properties. Reading properties needs the app's shared secret (``JIRACFG_APP_SECRET_<SLUG>``):
without it the properties are a cannot. An app's scheduled jobs are not observable over REST."""

from __future__ import annotations

from jiracfg.model import Resource
from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "apps_and_settings"


def check(inputs: Inputs) -> list[Result]:
    results: list[Result] = []
    for want in inputs.desired.of_kind("app_property"):
        app = str(want.spec["app"])
        results += _app(want, inputs.live.get(want.address), inputs.apps_enabled.get(app))
    return results


def _app(want: Resource, live: Resource | None, enabled: bool | None) -> list[Result]:
    subject = str(want.address)
    if live is None or enabled is None:
        return [fail(NAME, subject, "the app is not installed on the site")]
    if not enabled:
        return [fail(NAME, subject, "the app is installed but disabled")]
    if live.meta.get("unreadable"):
        variable = live.meta["unreadable"]
        return [cannot(NAME, subject, f"{variable} is unset: the app's properties are unreadable")]
    site, commit = live.spec.get("properties") or {}, want.spec.get("properties") or {}
    wrong = sorted(k for k in set(site) | set(commit) if site.get(k) != commit.get(k))
    if wrong:
        return [fail(NAME, subject, f"properties differ from the commit: {', '.join(wrong)}")]
    return [passed(NAME, subject, f"installed, enabled, {len(commit)} properties match")]

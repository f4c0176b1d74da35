"""Time tracking (``/rest/api/3/configuration/timetracking``): the selected provider (Jira's own,
key ``JIRA``, or an installed app's ``jiraTimeTrackingProviders`` module, keyed
``<app key>__<module key>``; GET answers 204 when time tracking is disabled), the providers to
choose from (``/list``) and the shared settings (``/options``: working hours per day, working days
per week, time format, default unit). Administrators only (403 for others).

Collection: ``timetracking``, one document ``{id: "settings", provider: key|None, options}``; a
new site selects Jira's provider, 8 hours a day, 5 days a week, ``pretty``, ``minute``. These
writes are not in the audit log (whether Jira audits them is not documented).

Expected from apps (optional): ``time_tracking_providers(db) -> list[{key, name}]`` (the enabled
apps' modules). Installing an app only lists its provider: as in Jira, it is selected when an
administrator chooses it (``PUT``), never by the install.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    body_object,
    no_content,
    ok,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes._sharing import is_admin
from jiracfg.sandbox.shapes import Required
from jiracfg.sandbox.store import Doc, Store

SETTINGS, DOC_ID = "timetracking", "settings"
PATH = "/rest/api/3/configuration/timetracking"
JIRA = {"key": "JIRA", "name": "JIRA provided time tracking"}
DEFAULTS = {
    "workingHoursPerDay": 8.0,
    "workingDaysPerWeek": 5.0,
    "timeFormat": "pretty",
    "defaultUnit": "minute",
}
FORMATS, UNITS = ("pretty", "days", "hours"), ("minute", "hour", "day", "week")
OPTIONS_SHAPE = {
    "workingHoursPerDay": Required(float),
    "workingDaysPerWeek": Required(float),
    "timeFormat": Required(str),
    "defaultUnit": Required(str),
}


def seed_empty(db: Store) -> None:
    db.insert(SETTINGS, {"id": DOC_ID, "provider": JIRA["key"], "options": dict(DEFAULTS)})


def select_provider(db: Store, key: str | None) -> None:
    settings = _settings(db)
    db.put(SETTINGS, {**settings, "provider": key})


def _settings(db: Store) -> Doc:
    return db.get(SETTINGS, DOC_ID) or {"id": DOC_ID, "provider": JIRA["key"], "options": DEFAULTS}


def _providers(db: Store) -> list[dict[str, str]]:
    from_apps = peer("apps", "time_tracking_providers")
    return [JIRA, *(from_apps(db) if from_apps else [])]


def _admin(request: Request) -> Store:
    db = store(request)
    allowed = is_admin(db, str(request.state.account_id))
    require(allowed, 403, "You are not authorized to perform this action. Administrator needed.")
    return db


@route(PATH)
async def get_provider(request: Request) -> Response:
    db = _admin(request)
    key = _settings(db).get("provider")
    chosen = next((p for p in _providers(db) if p["key"] == key), None)
    return ok(chosen) if chosen else no_content()


@route(PATH, "PUT")
async def put_provider(request: Request) -> Response:
    db = _admin(request)
    data = await body_object(request, {"key": Required(str)})
    if not any(p["key"] == data["key"] for p in _providers(db)):
        raise ApiError(400, f"Time tracking provider with key '{data['key'][:100]}' not found.")
    with db.tx():
        select_provider(db, data["key"])
    return no_content()


@route(PATH + "/list")
async def list_providers(request: Request) -> Response:
    return ok(_providers(_admin(request)))


@route(PATH + "/options")
async def get_options(request: Request) -> Response:
    return ok(_settings(_admin(request))["options"])


@route(PATH + "/options", "PUT")
async def put_options(request: Request) -> Response:
    db = _admin(request)
    data = await body_object(request, OPTIONS_SHAPE)
    options = _checked(data)
    with db.tx():
        db.put(SETTINGS, {**_settings(db), "options": options})
    return ok(options)


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name, top in (("workingHoursPerDay", 24), ("workingDaysPerWeek", 7)):
        if not 0 < float(data[name]) <= top:
            errors[name] = f"The value must be greater than 0 and at most {top}."
    if data["timeFormat"] not in FORMATS:
        errors["timeFormat"] = f"The time format must be one of: {', '.join(FORMATS)}."
    if data["defaultUnit"] not in UNITS:
        errors["defaultUnit"] = f"The default unit must be one of: {', '.join(UNITS)}."
    if errors:
        raise ApiError(400, errors=errors)
    numbers = {name: float(data[name]) for name in ("workingHoursPerDay", "workingDaysPerWeek")}
    return {**numbers, "timeFormat": data["timeFormat"], "defaultUnit": data["defaultUnit"]}


ROUTES = [get_provider, put_provider, list_providers, get_options, put_options]

"""Issue field values by type: ``parse`` turns a request's value into what the issue doc keeps (a
``ValueError`` carries Jira's message), ``text`` gives the changelog's display string.

Stored forms (in the issue doc's ``fields``, keyed by field id): users as account ids, options
as option ids (``{"id", "child"}`` for cascading selects), versions and components as ids, groups
by name, projects by id, dates ``YYYY-MM-DD``, date-times ``YYYY-MM-DDTHH:MM:SS.sss+0000`` (UTC),
numbers as floats, rich text as ADF, plain text as strings, time tracking as seconds.
Beans for responses are built by ``_issue_beans``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jiracfg.sandbox import jql
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.store import Doc, Store

PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:"
GREENHOPPER = "com.pyxis.greenhopper.jira:"
MULTI_OPTIONS = ("multiselect", "multicheckboxes")
SINGLE_OPTIONS = ("select", "radiobuttons")
# system field id -> value kind
SYSTEM_KINDS = {
    "assignee": "user",
    "reporter": "user",
    "duedate": "date",
    "components": "components",
    "versions": "versions",
    "fixVersions": "versions",
    "environment": "adf",
    "timetracking": "timetracking",
    "labels": "labels",
}
# short custom type -> value kind
CUSTOM_KINDS = {
    "textfield": "string",
    "readonlyfield": "string",
    "url": "url",
    "textarea": "adf",
    "float": "number",
    "importid": "number",
    "jsw-story-points": "number",
    "datepicker": "date",
    "datetime": "datetime",
    "userpicker": "user",
    "multiuserpicker": "users",
    "grouppicker": "group",
    "multigrouppicker": "groups",
    "labels": "labels",
    "version": "version",
    "multiversion": "versions",
    "project": "project",
    **dict.fromkeys(SINGLE_OPTIONS, "option"),
    **dict.fromkeys(MULTI_OPTIONS, "options"),
    "cascadingselect": "cascade",
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})$"
)
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")
DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
UNIT_SECONDS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


class Context:
    """What parsing a value needs besides the value: the store, the issue's project and type."""

    def __init__(self, db: Store, project_id: str, type_id: str) -> None:
        self.db, self.project_id, self.type_id = db, project_id, type_id


def kind_of(field: Doc) -> str | None:
    """The value kind of a field doc (None: a field REST cannot set, e.g. Rank or Team)."""
    if not field.get("custom"):
        return SYSTEM_KINDS.get(str(field["id"]))
    custom = str((field.get("schema") or {}).get("custom") or "")
    return CUSTOM_KINDS.get(custom.rsplit(":", 1)[-1])


def parse(ctx: Context, field: Doc, raw: Any) -> Any:
    """The stored form of ``raw`` for ``field``; ValueError with Jira's message when invalid."""
    kind = kind_of(field)
    if kind is None:
        raise ValueError(
            f"Field '{field['id']}' cannot be set. It is not on the appropriate screen, or unknown."
        )
    if raw is None:
        return [] if kind in LIST_KINDS else None
    return PARSERS[kind](ctx, field, raw)


LIST_KINDS = ("users", "groups", "versions", "components", "options", "labels")


# -- scalars -----------------------------------------------------------------------------------
def parse_string(ctx: Context, field: Doc, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("Operation value must be a string")
    if len(raw) > 255:
        raise ValueError(
            "The entered text is too long. It exceeds the allowed limit of 255 characters."
        )
    return raw


def parse_url(ctx: Context, field: Doc, raw: Any) -> str:
    text = parse_string(ctx, field, raw)
    if not URL.match(text):
        raise ValueError(f"Not a valid URL: {text}")
    return text


def parse_adf(ctx: Context, field: Doc, raw: Any) -> Doc:
    if not (isinstance(raw, dict) and raw.get("type") == "doc" and raw.get("version") == 1):
        raise ValueError(
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        )
    if not isinstance(raw.get("content"), list):
        raise ValueError("Invalid ADF: a document needs a content array.")
    return raw


def parse_number(ctx: Context, field: Doc, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError("Operation value must be a number")
    return float(raw)


def parse_date(ctx: Context, field: Doc, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("Operation value must be a string")
    try:
        if not DATE.match(raw):
            raise ValueError(raw)
        datetime.strptime(raw, "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"Error parsing date string: {raw}") from None
    return raw


def parse_datetime(ctx: Context, field: Doc, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("Operation value must be a string")
    found = DATETIME.match(raw)
    if not found:
        raise ValueError(f"Error parsing time: {raw}")
    day, hour, minute, second, millis, zone = found.groups()
    zone = "+0000" if zone == "Z" else zone.replace(":", "")
    text = f"{day}T{hour}:{minute}:{second or '00'}.{(millis or '0').ljust(3, '0')}{zone}"
    try:
        stamp = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        raise ValueError(f"Error parsing time: {raw}") from None
    return format_stamp(stamp)


def format_stamp(stamp: datetime) -> str:
    """Jira's date-time format, in UTC: ``2026-11-29T13:05:00.000+0000``."""
    utc = stamp.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def parse_labels(ctx: Context, field: Doc, raw: Any) -> list[str]:
    if not isinstance(raw, list) or any(not isinstance(v, str) for v in raw):
        raise ValueError("Operation value must be an array of strings")
    if any(" " in v or not v for v in raw):
        raise ValueError("The label must not contain spaces.")
    if any(len(v) > 255 for v in raw):
        raise ValueError("The label must not be longer than 255 characters.")
    return list(dict.fromkeys(raw))


# -- references --------------------------------------------------------------------------------
def ref_of(raw: Any, *keys: str) -> str | None:
    """The first of ``keys`` present in a ``{id|key|name|value|accountId}`` reference, as text."""
    if not isinstance(raw, dict):
        return None
    found = next((raw[k] for k in keys if raw.get(k) not in (None, "")), None)
    return None if found is None else str(found)


def parse_user(ctx: Context, field: Doc, raw: Any) -> str:
    account = ref_of(raw, "accountId")
    if account is None:
        raise ValueError(f"Specify a valid value for {field['name']}: an object with accountId.")
    user = call("core", "find_user", None, ctx.db, account)
    if user is None or not user.get("active", True):
        raise ValueError(f"The user with accountId '{account}' does not exist or is inactive.")
    return account


def parse_users(ctx: Context, field: Doc, raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise ValueError("Operation value must be an array of users")
    return list(dict.fromkeys(parse_user(ctx, field, r) for r in raw))


def parse_group(ctx: Context, field: Doc, raw: Any) -> str:
    wanted_id, wanted_name = ref_of(raw, "groupId"), ref_of(raw, "name")
    group = call("core", "find_group", None, ctx.db, wanted_id, wanted_name)
    if group is None:
        raise ValueError(f"Group '{wanted_name or wanted_id}' does not exist.")
    return str(group["name"])


def parse_groups(ctx: Context, field: Doc, raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise ValueError("Operation value must be an array of groups")
    return list(dict.fromkeys(parse_group(ctx, field, r) for r in raw))


def project_children(ctx: Context, coll: str) -> list[Doc]:
    return ctx.db.all(coll, ctx.project_id)


def parse_version(ctx: Context, field: Doc, raw: Any) -> str:
    return child_ref(project_children(ctx, "version"), raw, "Version")


def parse_versions(ctx: Context, field: Doc, raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise ValueError("Operation value must be an array of versions")
    return list(dict.fromkeys(parse_version(ctx, field, r) for r in raw))


def parse_components(ctx: Context, field: Doc, raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise ValueError("Operation value must be an array of components")
    docs = project_children(ctx, "component")
    return list(dict.fromkeys(child_ref(docs, r, "Component") for r in raw))


def child_ref(docs: list[Doc], raw: Any, label: str) -> str:
    """A version or component of the project by ``{id}`` or ``{name}``."""
    by_id, by_name = ref_of(raw, "id"), ref_of(raw, "name")
    hits = [d for d in docs if (by_id and str(d["id"]) == by_id) or d["name"] == by_name]
    if not hits:
        wanted = f"id '{by_id}'" if by_id else f"name '{by_name}'"
        raise ValueError(f"{label} {wanted} is not valid")
    return str(hits[0]["id"])


def parse_project(ctx: Context, field: Doc, raw: Any) -> str:
    wanted = ref_of(raw, "id", "key")
    project = jql.project_ref(ctx.db, wanted or "")
    if project is None:
        raise ValueError(f"Project '{wanted}' does not exist.")
    return str(project["id"])


# -- options -----------------------------------------------------------------------------------
def allowed_options(ctx: Context, field_id: str) -> list[Doc]:
    """The enabled options of the field's context for this project and issue type."""
    context = call("fields", "context_for", None, ctx.db, field_id, ctx.project_id, ctx.type_id)
    if context is None:
        raise ValueError(
            f"Field '{field_id}' cannot be set. It is not on the appropriate screen, or unknown."
        )
    return [
        o
        for o in jql.field_options(ctx.db, field_id)
        if str(o.get("contextId")) == str(context["id"]) and not o.get("disabled")
    ]


def roots(options: list[Doc]) -> list[Doc]:
    return [o for o in options if not o.get("optionId")]


def option_id(raw: Any, options: list[Doc]) -> str:
    by_id, by_value = ref_of(raw, "id"), ref_of(raw, "value")
    if by_id is not None:
        if not any(str(o["id"]) == by_id for o in options):
            raise ValueError(f"Option id '{by_id}' is not valid")
        return by_id
    if by_value is None:
        raise ValueError("Could not find valid 'id' or 'value' in the Parent Option object.")
    found = [str(o["id"]) for o in options if str(o["value"]) == by_value]
    if not found:
        raise ValueError(f"Option value '{by_value}' is not valid")
    return found[0]


def parse_option(ctx: Context, field: Doc, raw: Any) -> str:
    return option_id(raw, roots(allowed_options(ctx, str(field["id"]))))


def parse_options(ctx: Context, field: Doc, raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise ValueError("Operation value must be an array of options")
    options = roots(allowed_options(ctx, str(field["id"])))
    return list(dict.fromkeys(option_id(o, options) for o in raw))


def parse_cascade(ctx: Context, field: Doc, raw: Any) -> dict[str, Any]:
    options = allowed_options(ctx, str(field["id"]))
    parent = option_id(raw, roots(options))
    child = raw.get("child") if isinstance(raw, dict) else None
    children = [o for o in options if str(o.get("optionId") or "") == parent]
    return {"id": parent, "child": None if child is None else option_id(child, children)}


# -- time tracking -----------------------------------------------------------------------------
def duration_seconds(raw: Any) -> int:
    """Seconds of a Jira duration (``1w 2d 3h 30m``; a bare number means minutes)."""
    text = str(raw).strip().lower()
    if re.fullmatch(r"\d+", text):
        return int(text) * 60
    parts = DURATION.findall(text)
    if not parts or DURATION.sub("", text).strip():
        raise ValueError("The format of the time estimate is invalid.")
    return int(sum(float(n) * UNIT_SECONDS[u] for n, u in parts))


def duration_text(seconds: int) -> str:
    """Jira's short form: ``1w 2d 3h 30m`` (8-hour days, 5-day weeks)."""
    parts, rest = [], int(seconds)
    for unit in "wdhm":
        count, rest = divmod(rest, UNIT_SECONDS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"


def parse_timetracking(ctx: Context, field: Doc, raw: Any) -> dict[str, int]:
    if not isinstance(raw, dict):
        raise ValueError(
            "Operation value must be an object with originalEstimate/remainingEstimate"
        )
    out: dict[str, int] = {}
    for name in ("originalEstimate", "remainingEstimate"):
        if raw.get(name) not in (None, ""):
            out[name] = duration_seconds(raw[name])
        elif raw.get(name + "Seconds") is not None:
            out[name] = int(raw[name + "Seconds"])
    if "originalEstimate" in out and "remainingEstimate" not in out:
        out["remainingEstimate"] = out["originalEstimate"]
    return out


PARSERS: dict[str, Callable[[Context, Doc, Any], Any]] = {
    "string": parse_string,
    "url": parse_url,
    "adf": parse_adf,
    "number": parse_number,
    "date": parse_date,
    "datetime": parse_datetime,
    "labels": parse_labels,
    "user": parse_user,
    "users": parse_users,
    "group": parse_group,
    "groups": parse_groups,
    "version": parse_version,
    "versions": parse_versions,
    "components": parse_components,
    "project": parse_project,
    "option": parse_option,
    "options": parse_options,
    "cascade": parse_cascade,
    "timetracking": parse_timetracking,
}

"""Fields by name, and values both ways: Jira's JSON to the issue file and back.

Custom fields are named by their key in the config repo (name, or the derived ``alias`` of a
namesake), options by value, cascading options as ``{value, child}``, users by email (account id
where Jira hides the email), versions, components and groups by name, projects by key. Rich text
stays the exact ADF Jira gives. A value's shape follows the field's ``schema`` from ``/field``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.agile import SprintNames
from jiracfg.kinds._people import Directory
from jiracfg.kinds.custom_field import KIND as CUSTOM_FIELD
from jiracfg.kinds.custom_field import custom_number

NAMED = frozenset({"version", "component", "group", "priority", "resolution", "issuetype"})
SPRINT_TYPE = "com.pyxis.greenhopper.jira:gh-sprint"
# custom fields that are not values of the issue itself (the Agile API and Jira own them)
SKIPPED_TYPES = frozenset(
    {
        "com.pyxis.greenhopper.jira:gh-sprint",
        "com.pyxis.greenhopper.jira:gh-lexo-rank",
        "com.pyxis.greenhopper.jira:gh-epic-link",
        "com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf",
    }
)


@dataclass(frozen=True)
class Field:
    id: str
    key: str  # the name (or alias) in the config repo
    type: str  # schema.type: string, number, option, array, user...
    items: str = ""  # schema.items for arrays
    custom: str = ""  # schema.custom, the custom field type's full key


class Catalog:
    """The fields of one site, and its users (read once)."""

    def __init__(self, client: JiraClient, users: dict[str, str] | None = None) -> None:
        self.client = client
        self.people = Directory(client)
        self.users_map = dict(users or {})
        self._lock = threading.Lock()
        self.by_id: dict[str, Field] = {}
        self.by_key: dict[str, Field] = {}
        self.ids: dict[str, str] = {}  # every field's key in the repo (system: name) -> its id
        self.sprint_field: str | None = None  # the Sprint field's id (see ``data.agile``)
        self.sprints = SprintNames(client)  # read when an issue first names a sprint
        self._load()

    def _load(self) -> None:
        everything = list(self.client.get("/field"))
        system = [f for f in everything if not f.get("custom")]
        custom = sorted((f for f in everything if f.get("custom")), key=custom_number)
        keys = {r.id: r.address.key for r in CUSTOM_FIELD._keyed([*system, *custom])}
        self.ids = {key: str(field_id) for field_id, key in keys.items() if field_id}
        for raw in everything:
            schema = raw.get("schema") or {}
            if schema.get("custom") == SPRINT_TYPE:
                self.sprint_field = str(raw["id"])
            if not raw.get("custom") or schema.get("custom") in SKIPPED_TYPES:
                continue
            field = Field(
                str(raw["id"]),
                keys.get(str(raw["id"]), str(raw["name"])),
                str(schema.get("type", "any")),
                str(schema.get("items", "")),
                str(schema.get("custom", "")),
            )
            self.by_id[field.id] = field
            self.by_key[field.key] = field

    # -- users ---------------------------------------------------------------------------------
    def user_name(self, user: Any) -> str | None:
        """An email (the account id where the email is hidden) for a user bean."""
        if not isinstance(user, dict) or not user.get("accountId"):
            return None
        email = user.get("emailAddress")
        if email:
            return str(email)
        with self._lock:
            return self.people.email(str(user["accountId"]))

    def account_id(self, name: str) -> str:
        with self._lock:
            return self.people.account_id(self.users_map.get(name, name))

    def user_exists(self, name: str) -> bool:
        mapped = self.users_map.get(name, name)
        with self._lock:
            emails = self.people.emails()
        return mapped in emails or mapped.casefold() in {e.casefold() for e in emails.values()}

    # -- values --------------------------------------------------------------------------------
    def to_file(self, field: Field, value: Any) -> Any:
        if field.type == "array":
            items = [self.scalar_to_file(field.items, v) for v in value or []]
            items = [i for i in items if i is not None]
            if field.items == "option":
                return items  # the options' own order
            return sorted(items, key=lambda v: str(v))
        return self.scalar_to_file(field.type, value)

    def scalar_to_file(self, kind: str, value: Any) -> Any:
        if value is None:
            return None
        if kind == "option":
            return value.get("value")
        if kind == "option-with-child":
            child = (value.get("child") or {}).get("value")
            return {"value": value.get("value"), **({"child": child} if child else {})}
        if kind == "user":
            return self.user_name(value)
        if kind in NAMED:
            return value.get("name")
        if kind == "project":
            return value.get("key")
        return value

    def to_jira(self, field: Field, value: Any) -> Any:
        if field.type == "array":
            return [self.scalar_to_jira(field.items, v) for v in value or []]
        return self.scalar_to_jira(field.type, value)

    def scalar_to_jira(self, kind: str, value: Any) -> Any:
        if value is None:
            return None
        if kind == "option":
            return {"value": value}
        if kind == "option-with-child":
            child = value.get("child")
            return {"value": value["value"], **({"child": {"value": child}} if child else {})}
        if kind == "user":
            return {"accountId": self.account_id(str(value))}
        if kind in NAMED:
            return {"name": value}
        if kind == "project":
            return {"key": value}
        return value

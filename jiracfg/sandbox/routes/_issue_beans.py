"""Issue beans as Jira renders them (the fields asked for, statuses with their category) for the
issue areas' responses and webhook payloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from jiracfg.sandbox.http import base, list_param, store
from jiracfg.sandbox.jql import call, catalog, is_option_field
from jiracfg.sandbox.store import Doc, Store

SYSTEM_FIELDS = (
    "summary",
    "description",
    "project",
    "issuetype",
    "status",
    "priority",
    "resolution",
    "labels",
    "created",
    "updated",
)
CATEGORIES = {
    "TODO": (2, "new", "blue-gray", "To Do"),
    "IN_PROGRESS": (4, "indeterminate", "yellow", "In Progress"),
    "DONE": (3, "done", "green", "Done"),
}


class Renderer:
    """Issue beans for one response (caches the projects, statuses and types it looks up)."""

    def __init__(self, request: Request, wanted: list[str], default: str) -> None:
        self.db, self.url = store(request), base(request)
        self.wanted = wanted or [default]
        self.cache: dict[tuple[str, str], Any] = {}

    def cached(self, kind: str, key: str, make: Callable[[], Any]) -> Any:
        if (kind, key) not in self.cache:
            self.cache[(kind, key)] = make()
        return self.cache[(kind, key)]

    def selected(self, doc: Doc) -> list[str]:
        """The fields asked for: names, ``*all`` / ``*navigable``, ``-name`` to leave one out."""
        names = [*SYSTEM_FIELDS, *doc["fields"]]
        every = any(w in ("*all", "*navigable") for w in self.wanted) or all(
            w.startswith("-") for w in self.wanted
        )
        chosen = names if every else [w for w in self.wanted if w in names]
        drop = {w[1:] for w in self.wanted if w.startswith("-")}
        return [n for n in chosen if n not in drop]

    def bean(self, doc: Doc) -> dict[str, Any]:
        chosen = self.selected(doc)
        if not chosen and set(self.wanted) <= {"id"}:
            return {"id": doc["id"]}
        return {
            "expand": "renderedFields,names,schema,operations,editmeta,changelog,"
            "versionedRepresentations",
            "id": doc["id"],
            "self": f"{self.url}/rest/api/3/issue/{doc['id']}",
            "key": self.key(doc),
            "fields": {name: self.value(doc, name) for name in chosen},
        }

    def key(self, doc: Doc) -> str:
        project = self.project(doc["projectId"])
        return f"{project['key']}-{doc['num']}" if project else str(doc["key"])

    def project(self, project_id: str) -> Doc | None:
        found: Doc | None = self.cached(
            "project",
            project_id,
            lambda: call("projects", "get_project", None, self.db, project_id),
        )
        return found

    def value(self, doc: Doc, name: str) -> Any:
        simple = {
            "summary": doc.get("summary"),
            "description": doc.get("description"),
            "labels": doc["labels"],
            "created": doc["created"],
            "updated": doc["updated"],
        }
        if name in simple:
            return simple[name]
        makers = {
            "project": self.project_bean,
            "issuetype": self.type_bean,
            "status": self.status_bean,
            "priority": self.priority_bean,
            "resolution": self.resolution_bean,
        }
        if name in makers:
            return makers[name](doc)
        return self.cached(
            "value",
            f"{name}:{doc['fields'].get(name)!r}",
            lambda: self.custom(name, doc["fields"].get(name)),
        )

    def project_bean(self, doc: Doc) -> dict[str, Any]:
        project = self.project(doc["projectId"]) or {
            "key": doc["key"].rsplit("-", 1)[0],
            "name": "",
            "projectTypeKey": "software",
        }
        return {
            "self": f"{self.url}/rest/api/3/project/{doc['projectId']}",
            "id": doc["projectId"],
            "key": project["key"],
            "name": project["name"],
            "projectTypeKey": project.get("projectTypeKey", "software"),
            "simplified": False,
            "avatarUrls": {},
        }

    def type_bean(self, doc: Doc) -> dict[str, Any]:
        found = call("issuetypes", "get_issue_type", None, self.db, doc["issueTypeId"]) or {
            "name": "",
            "description": "",
            "hierarchyLevel": 0,
        }
        return {
            "self": f"{self.url}/rest/api/3/issuetype/{doc['issueTypeId']}",
            "id": doc["issueTypeId"],
            "name": found["name"],
            "description": found.get("description", ""),
            "subtask": found.get("hierarchyLevel") == -1,
            "hierarchyLevel": found.get("hierarchyLevel", 0),
        }

    def status_bean(self, doc: Doc) -> dict[str, Any]:
        return dict(
            self.cached(
                "status",
                doc["statusId"],
                lambda: status_details(self.db, self.url, doc["statusId"]),
            )
        )

    def priority_bean(self, doc: Doc) -> dict[str, Any] | None:
        return self.named_bean("priority", doc.get("priorityId"))

    def resolution_bean(self, doc: Doc) -> dict[str, Any] | None:
        return self.named_bean("resolution", doc.get("resolutionId"))

    def named_bean(self, kind: str, ref: str | None) -> dict[str, Any] | None:
        if ref is None:
            return None
        docs = self.cached("catalog", kind, lambda: catalog(self.db, kind))
        name = next((d["name"] for d in docs if d["id"] == ref), "")
        return {"self": f"{self.url}/rest/api/3/{kind}/{ref}", "id": ref, "name": name}

    def custom(self, field_id: str, value: Any) -> Any:
        if isinstance(value, list):
            return [self.option(v) for v in value]
        if isinstance(value, dict):
            child = value.get("child")
            bean = self.option(value["id"])
            return bean if child is None else {**bean, "child": self.option(child)}
        field = call("fields", "get_field", None, self.db, field_id)
        return self.option(value) if field and is_option_field(field) and value else value

    def option(self, option_id: str) -> dict[str, Any]:
        found = call("fields", "get_option", None, self.db, option_id) or {}
        return {
            "self": f"{self.url}/rest/api/3/customFieldOption/{option_id}",
            "value": found.get("value", ""),
            "id": option_id,
        }


def status_details(db: Store, url: str, status_id: str) -> dict[str, Any]:
    found = call("statuses", "get_status", None, db, status_id) or {"name": ""}
    category = call("statuses", "status_category_of", None, db, status_id) or "TODO"
    number, key, color, label = CATEGORIES[category]
    return {
        "self": f"{url}/rest/api/3/status/{status_id}",
        "id": status_id,
        "name": found["name"],
        "description": found.get("description", ""),
        "iconUrl": f"{url}/",
        "statusCategory": {
            "self": f"{url}/rest/api/3/statuscategory/{number}",
            "id": number,
            "key": key,
            "colorName": color,
            "name": label,
        },
    }


def wanted_fields(request: Request) -> list[str]:
    return list_param(request, "fields")

"""Issue beans as Jira renders them (the fields asked for, statuses with their category) for the
issue areas' responses and webhook payloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from jiracfg.sandbox.http import base, list_param, peer, store
from jiracfg.sandbox.jql import call, catalog
from jiracfg.sandbox.routes import _issue_values as values
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
    "resolutiondate",
    "statuscategorychangedate",
    "creator",
    "assignee",
    "reporter",
    "duedate",
    "components",
    "versions",
    "fixVersions",
    "environment",
    "timetracking",
    "timespent",
    "timeoriginalestimate",
    "timeestimate",
    "parent",
    "subtasks",
    "attachment",
    "watches",
    "comment",
    "worklog",
    "issuelinks",
)
# fields other areas render (``issue_comments`` etc.): name -> peer (module, function(request,
# doc))
EXTRA_FIELDS = {
    "subtasks": ("issues", "subtask_beans"),
    "attachment": ("issue_attachments", "attachment_field"),
    "watches": ("issue_extras", "watches_field"),
    "comment": ("issue_comments", "comment_field"),
    "worklog": ("issue_worklogs", "worklog_field"),
    "customfield_10020": ("agile", "sprint_field"),  # Sprint: the issue's sprints as beans
    "issuelinks": ("issue_links", "links_field"),
}
TIME_FIELDS = {
    "timespent": "timeSpent",
    "timeoriginalestimate": "originalEstimate",
    "timeestimate": "remainingEstimate",
}
BEAN_OF_LIST = {
    "users": "user",
    "options": "option",
    "versions": "version",
    "components": "component",
    "groups": "group",
}
CATEGORIES = {
    "TODO": (2, "new", "blue-gray", "To Do"),
    "IN_PROGRESS": (4, "indeterminate", "yellow", "In Progress"),
    "DONE": (3, "done", "green", "Done"),
}


class Renderer:
    """Issue beans for one response (caches the projects, statuses and types it looks up)."""

    def __init__(self, request: Request, wanted: list[str], default: str) -> None:
        self.db, self.url, self.request = store(request), base(request), request
        self.wanted = wanted or [default]
        self.cache: dict[tuple[str, str], Any] = {}

    def cached(self, kind: str, key: str, make: Callable[[], Any]) -> Any:
        if (kind, key) not in self.cache:
            self.cache[(kind, key)] = make()
        return self.cache[(kind, key)]

    def selected(self, doc: Doc) -> list[str]:
        """The fields asked for: names, ``*all`` / ``*navigable``, ``-name`` to leave one out."""
        names = list(dict.fromkeys([*SYSTEM_FIELDS, *doc["fields"]]))
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
            "resolutiondate": doc.get("resolved"),
            "statuscategorychangedate": doc.get("statusChanged", doc["created"]),
        }
        if name in simple:
            return simple[name]
        makers = {
            "project": self.project_bean,
            "issuetype": self.type_bean,
            "status": self.status_bean,
            "priority": self.priority_bean,
            "resolution": self.resolution_bean,
            "creator": lambda d: self.user(d.get("creator")),
            "parent": self.parent_bean,
            **{k: self.time_value(k) for k in TIME_FIELDS},
        }
        if name in makers:
            return makers[name](doc)
        if name in EXTRA_FIELDS:
            fn = peer(*EXTRA_FIELDS[name])
            return None if fn is None else fn(self.request, doc)
        return self.cached(
            "value",
            f"{name}:{doc['fields'].get(name)!r}",
            lambda: self.field_value(name, doc["fields"].get(name)),
        )

    def field_value(self, field_id: str, value: Any) -> Any:
        field = self.cached(
            "field", field_id, lambda: call("fields", "get_field", None, self.db, field_id)
        )
        kind = values.kind_of(field) if field else None
        if kind is None:
            return value
        return self.by_kind(kind, value)

    def by_kind(self, kind: str, value: Any) -> Any:
        if isinstance(value, list):
            single = BEAN_OF_LIST.get(kind)
            return value if single is None else [self.by_kind(single, v) for v in value]
        if value is None:
            return [] if kind in values.LIST_KINDS else None
        renderers: dict[str, Callable[[Any], Any]] = {
            "user": self.user,
            "option": self.option,
            "cascade": self.cascade,
            "version": self.version,
            "component": self.component,
            "group": self.group,
            "project": lambda v: self.project_bean({"projectId": v, "key": "-"}),
            "timetracking": self.timetracking,
        }
        render = renderers.get(kind)
        return value if render is None else render(value)

    def user(self, account_id: str | None) -> dict[str, Any] | None:
        if account_id is None:
            return None
        bean: dict[str, Any] = self.cached(
            "user", account_id, lambda: user_details(self.db, self.url, account_id)
        )
        return bean

    def cascade(self, value: dict[str, Any]) -> dict[str, Any]:
        bean = self.option(value["id"])
        child = value.get("child")
        return bean if child is None else {**bean, "child": self.option(child)}

    def version(self, version_id: str) -> dict[str, Any]:
        found = self.cached("version", version_id, lambda: self.db.get("version", version_id))
        found = found or {}
        return {
            "self": f"{self.url}/rest/api/3/version/{version_id}",
            "id": version_id,
            "name": found.get("name", ""),
            "archived": bool(found.get("archived")),
            "released": bool(found.get("released")),
        }

    def component(self, component_id: str) -> dict[str, Any]:
        found = self.cached(
            "component", component_id, lambda: self.db.get("component", component_id)
        )
        return {
            "self": f"{self.url}/rest/api/3/component/{component_id}",
            "id": component_id,
            "name": (found or {}).get("name", ""),
        }

    def group(self, name: str) -> dict[str, Any]:
        found = call("core", "find_group", None, self.db, None, name) or {}
        return {
            "name": name,
            "groupId": found.get("groupId"),
            "self": f"{self.url}/rest/api/3/group?groupId={found.get('groupId')}",
        }

    def timetracking(self, value: dict[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("originalEstimate", "remainingEstimate", "timeSpent"):
            if value.get(name) is not None:
                out[name] = values.duration_text(value[name])
                out[name + "Seconds"] = value[name]
        return out

    def time_value(self, name: str) -> Callable[[Doc], Any]:
        def get(doc: Doc) -> Any:
            tracking = dict(doc["fields"].get("timetracking") or {})
            return tracking.get(TIME_FIELDS[name])

        return get

    def parent_bean(self, doc: Doc) -> dict[str, Any] | None:
        parent_id = doc["fields"].get("parent")
        parent = self.db.get("issue", parent_id) if parent_id else None
        if parent is None:
            return None
        return {
            "id": parent["id"],
            "key": self.key(parent),
            "self": f"{self.url}/rest/api/3/issue/{parent['id']}",
            "fields": {
                "summary": parent.get("summary"),
                "status": self.status_bean(parent),
                "priority": self.priority_bean(parent),
                "issuetype": self.type_bean(parent),
            },
        }

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

    def option(self, option_id: str) -> dict[str, Any]:
        found = call("fields", "get_option", None, self.db, option_id) or {}
        return {
            "self": f"{self.url}/rest/api/3/customFieldOption/{option_id}",
            "value": found.get("value", ""),
            "id": option_id,
        }


def user_details(db: Store, url: str, account_id: str) -> dict[str, Any]:
    """Jira's UserDetails bean of an account (inactive when the site does not know it)."""
    found = call("core", "find_user", None, db, account_id)
    bean: dict[str, Any] = {
        "self": f"{url}/rest/api/3/user?accountId={account_id}",
        "accountId": account_id,
        "accountType": "atlassian",
        "active": bool(found and found.get("active", True)),
        "timeZone": "Etc/UTC",
        "avatarUrls": {},
    }
    if found:
        bean.update(displayName=found["displayName"], emailAddress=found["emailAddress"])
    return bean


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

"""The demo's shared searches: filters owned by Acme's people, shared with groups, projects, a
project role and every logged-in user (one private, two namesakes of different owners), their JQL
naming custom fields by the site's ``cf[N]`` as Jira stores it.

Built through the sandbox's REST routes as the admin, then handed to each owner
(``PUT /filter/{id}/owner``), as an administrator would.
"""

from __future__ import annotations

from typing import Any

from jiracfg.sandbox.seed.local import Local

# name, owner handle, description, JQL ({Field Name} becomes cf[N]), share, edit
FILTERS: list[tuple[str, str, str, str, list[str], list[str]]] = [
    (
        "Open ENG bugs",
        "alice",
        "Unresolved bugs of Engineering, most urgent first",
        "project = ENG AND issuetype = Bug AND resolution = Unresolved ORDER BY priority DESC",
        ["group:engineering", "project:ENG"],
        ["group:engineering"],
    ),
    (
        "Big stories",
        "bob",
        "Stories worth more than five points",
        "project in (ENG, OPS) AND {Story Points} > 5 ORDER BY {Story Points} DESC",
        ["loggedin"],
        [],
    ),
    (
        "Severe incidents",
        "carol",
        "",
        'project = SUP AND {Severity} in ("Sev 1", "Sev 2")',
        ["group:support", "project:SUP/role:Administrators"],
        ["user:erin"],
    ),
    ("Open ENG bugs", "dan", "Dan's own copy", "project = ENG AND issuetype = Bug", [], []),
]


def build(api: Local) -> dict[str, str]:
    """Create the filters; ``{"<name> (<owner handle>)": id}``."""
    fields = {f["name"]: f["schema"]["customId"] for f in api.get("/field") if f.get("custom")}
    made = {}
    for name, owner, description, jql, share, edit in FILTERS:
        for field, number in fields.items():
            jql = jql.replace("{" + field + "}", f"cf[{number}]")
        body = {
            "name": name,
            "description": description,
            "jql": jql,
            "sharePermissions": [permission(api, p) for p in share],
            "editPermissions": [permission(api, p) for p in edit],
        }
        filter_id = str(api.post("/filter", body)["id"])
        api.put(f"/filter/{filter_id}/owner", {"accountId": f"557058:{owner}"})
        made[f"{name} ({owner})"] = filter_id
    return made


def permission(api: Local, text: str) -> dict[str, Any]:
    prefix, _, name = text.partition(":")
    if prefix == "group":
        return {"type": "group", "group": {"name": name}}
    if prefix == "user":
        return {"type": "user", "user": {"accountId": f"557058:{name}"}}
    if prefix == "project":
        key, _, role = name.partition("/role:")
        project = {"id": str(api.get(f"/project/{key}")["id"])}
        if not role:
            return {"type": "project", "project": project}
        return {"type": "projectRole", "project": project, "role": {"id": api.ids("/role")[role]}}
    return {"type": "authenticated" if text == "loggedin" else text}

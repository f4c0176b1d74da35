"""The demo's shared searches and dashboards: filters owned by Acme's people, shared with groups,
projects, a project role and every logged-in user (one private, two namesakes of different owners),
their JQL naming custom fields by the site's ``cf[N]`` as Jira stores it; two dashboards, one with
gadgets on those filters (their settings hold the filter ids in Jira's three spellings).

Built through the sandbox's REST routes as the admin, then handed to each owner
(``PUT /filter/{id}/owner``, ``PUT /dashboard/bulk/edit``), as an administrator would.
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


GADGETS = "com.atlassian.jira.gadgets:"
# dashboard -> (owner, description, share, [(module, title, column, row, color, config)]); a
# config's filterId "<filter> (<owner>)" becomes "filter-N", and "#<filter> (<owner>)" the number
DASHBOARDS: dict[str, tuple[str, str, list[str], list[tuple[str, str, int, int, str, Any]]]] = {
    "Engineering overview": (
        "alice",
        "Bugs, big stories and incidents at a glance",
        ["group:engineering", "project:ENG"],
        [
            (
                "filter-results-dashboard-item",
                "Open bugs",
                0,
                0,
                "red",
                {"filterId": "Open ENG bugs (alice)", "num": 10},
            ),
            (
                "two-dimensional-stats-dashboard-item",
                "Incidents by status",
                0,
                1,
                "purple",
                {"filterId": "#Severe incidents (carol)", "xstattype": "statuses"},
            ),
            (
                "pie-chart-dashboard-item",
                "Big stories by assignee",
                1,
                0,
                "green",
                {"filterId": "Big stories (bob)", "statType": "assignees"},
            ),
        ],
    ),
    "Support desk": (
        "carol",
        "",
        ["loggedin"],
        [("assigned-to-me-dashboard-item", "My requests", 0, 0, "blue", None)],
    ),
}


def build(api: Local) -> dict[str, str]:
    """Create the filters, then the dashboards; ``{"<name> (<owner handle>)": id}`` of the
    filters."""
    made = filters(api)
    for name, spec in DASHBOARDS.items():
        dashboard(api, name, spec, made)
    return made


def dashboard(
    api: Local, name: str, spec: tuple[str, str, list[str], list[Any]], made: dict[str, str]
) -> None:
    owner, description, share, gadgets = spec
    body = {
        "name": name,
        "description": description,
        "sharePermissions": [permission(api, p) for p in share],
        "editPermissions": [],
    }
    path = f"/dashboard/{api.post('/dashboard', body)['id']}"
    for module, title, column, row, color, config in gadgets:
        position = {"column": column, "row": row}
        gadget = {"moduleKey": GADGETS + module, "title": title, "color": color}
        added = api.post(f"{path}/gadget", {**gadget, "position": position})
        if config is not None:
            value = {**config, "filterId": filter_id(config["filterId"], made)}
            api.put(f"{path}/items/{added['id']}/properties/config", value)
    account = f"557058:{owner}"
    change = {"newOwner": account, "autofixName": False}
    ids = [int(path.rsplit("/", 1)[1])]
    api.put(
        "/dashboard/bulk/edit",
        {"action": "changeOwner", "entityIds": ids, "changeOwnerDetails": change},
    )


def filter_id(text: str, made: dict[str, str]) -> Any:
    return int(made[text[1:]]) if text.startswith("#") else f"filter-{made[text]}"


def filters(api: Local) -> dict[str, str]:
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

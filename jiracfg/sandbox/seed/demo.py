"""The ``demo`` seed: Acme, a small company's Jira on top of a new site.

Four projects of different types (ENG and OPS software, SUP and MKT business) with their own
workflows, workflow schemes, issue type schemes, screens, field configurations, permission and
notification schemes; a dozen custom fields of different types with project-limited contexts and
options (one cascading; two fields share the name "Team", as Jira allows); installed apps with
properties; webhooks (one with a secret); shared filters (``demo_sharing``); a few hundred issues
spread over the workflows' statuses, with rich data (``demo_data``).
Everything goes through the sandbox's REST routes (``Local``), in a fixed order, so the seed is the
same every time.
"""

from __future__ import annotations

import random
from typing import Any

from jiracfg.sandbox.http import peer
from jiracfg.sandbox.seed import demo_sharing
from jiracfg.sandbox.seed.demo_agile import seed_agile
from jiracfg.sandbox.seed.demo_data import DemoData
from jiracfg.sandbox.seed.local import Local
from jiracfg.sandbox.store import Store

USERS = [
    ("alice", "Alice Nguyen"),
    ("bob", "Bob Martin"),
    ("carol", "Carol Diaz"),
    ("dan", "Dan Okafor"),
    ("erin", "Erin Walsh"),
]
STATUSES = [
    ("In Review", "IN_PROGRESS"),
    ("Blocked", "IN_PROGRESS"),
    ("Triage", "TODO"),
    ("Waiting for Customer", "IN_PROGRESS"),
    ("Backlog", "TODO"),
    ("Published", "DONE"),
]
# workflow -> (description, statuses in order, [(transition, from statuses | None=global, to)])
WORKFLOWS: dict[str, tuple[str, list[str], list[tuple[str, list[str] | None, str]]]] = {
    "Software Development": (
        "Default flow for engineering projects",
        ["To Do", "In Progress", "In Review", "Blocked", "Done"],
        [
            ("Start work", ["To Do"], "In Progress"),
            ("Request review", ["In Progress"], "In Review"),
            ("Ship", ["In Review"], "Done"),
            ("Rework", ["In Review"], "In Progress"),
            ("Block", ["In Progress"], "Blocked"),
            ("Unblock", ["Blocked"], "In Progress"),
            ("Reopen", ["Done"], "To Do"),
        ],
    ),
    "Support Flow": (
        "Customer requests from triage to resolution",
        ["Triage", "In Progress", "Waiting for Customer", "Resolved"],
        [
            ("Take", ["Triage"], "In Progress"),
            ("Ask customer", ["In Progress"], "Waiting for Customer"),
            ("Customer replied", ["Waiting for Customer"], "In Progress"),
            ("Resolve", None, "Resolved"),
        ],
    ),
    "Content Flow": (
        "Marketing content from idea to publication",
        ["Backlog", "In Progress", "In Review", "Published"],
        [
            ("Write", ["Backlog"], "In Progress"),
            ("Review", ["In Progress"], "In Review"),
            ("Publish", ["In Review"], "Published"),
        ],
    ),
}
ISSUE_TYPES = [
    ("Incident", "An unplanned interruption of a service."),
    ("Change Request", "A planned change to production."),
]
TYPE_SCHEMES = {
    "Engineering Issue Types": ["Story", "Task", "Bug", "Sub-task", "Epic"],
    "Support Issue Types": ["Incident", "Change Request", "Task"],
    "Content Issue Types": ["Task", "Sub-task"],
}
# name, type, searcher, description
FIELDS = [
    ("Story Points", "float", "exactnumber", "Estimate in points"),
    ("Team", "select", "multiselectsearcher", "Engineering team that owns the work"),
    ("Severity", "select", "multiselectsearcher", "Impact of an incident or bug"),
    ("Customer Tier", "radiobuttons", "multiselectsearcher", "Support contract level"),
    ("Region", "cascadingselect", "cascadingselectsearcher", "Customer region and country"),
    ("Affected Services", "multiselect", "multiselectsearcher", "Services an issue touches"),
    ("Release Notes", "textarea", "textsearcher", "Text for the release notes"),
    ("Review Date", "datepicker", "daterange", "When the change is reviewed"),
    ("Reviewer", "userpicker", "userpickergroupsearcher", "Who reviews the change"),
    ("Root Cause", "textarea", "textsearcher", "Why an incident happened"),
    ("Campaign", "textfield", "textsearcher", "Marketing campaign name"),
    ("Team", "select", "multiselectsearcher", "Marketing team (a second field named Team)"),
    ("Platforms", "multicheckboxes", "multiselectsearcher", "Platforms an issue affects"),
    ("Outage Start", "datetime", "datetimerange", "When an incident began"),
    ("Stakeholders", "multiuserpicker", "userpickergroupsearcher", "People to keep informed"),
    ("Design Link", "url", "exacttextsearcher", "Link to the design"),
    ("Tags", "labels", "labelsearcher", "Free-form tags"),
    ("Target Release", "version", "versionsearcher", "Release the work targets"),
    ("Owning Group", "grouppicker", "grouppickersearcher", "Group that owns the work"),
]
# field index -> [(context name, projects, issue types, options)]; options: str or (parent, kids)
CONTEXTS: dict[int, list[tuple[str, list[str], list[str], list[Any]]]] = {
    0: [("Engineering estimates", ["ENG", "OPS"], ["Story", "Bug"], [])],
    1: [("Engineering teams", ["ENG", "OPS"], [], ["Platform", "Payments", "Mobile", "Data"])],
    2: [
        ("Incident severity", ["SUP", "OPS"], [], ["Sev 1", "Sev 2", "Sev 3", "Sev 4"]),
        ("Bug severity", ["ENG"], [], ["Critical", "Major", "Minor"]),
    ],
    3: [("Support tiers", ["SUP"], [], ["Gold", "Silver", "Bronze"])],
    4: [
        (
            "Support regions",
            ["SUP"],
            [],
            [
                ("Europe", ["Germany", "France", "Ireland"]),
                ("Americas", ["USA", "Canada", "Brazil"]),
                ("APAC", ["Japan", "Australia"]),
            ],
        )
    ],
    5: [("All services", [], [], ["API", "Web", "Mobile app", "Billing"])],
    6: [("Release notes everywhere", [], [], [])],
    7: [("Change reviews", ["OPS"], [], [])],
    8: [("Change reviews", ["OPS", "ENG"], [], [])],
    9: [("Incident analysis", ["SUP", "OPS"], ["Incident", "Bug"], [])],
    10: [("Marketing campaigns", ["MKT"], [], [])],
    11: [("Marketing teams", ["MKT"], [], ["Brand", "Growth", "Events"])],
    12: [("All platforms", [], [], ["iOS", "Android", "Web"])],
    13: [("Incident timing", ["SUP", "OPS"], [], [])],
}
BASE_SCREEN = ["summary", "description", "priority", "labels", "assignee", "reporter", "duedate"]
# family -> (system fields, custom field indexes) of its screen
SCREEN_LAYOUTS: dict[str, tuple[list[str], list[int]]] = {
    "Engineering": (
        [*BASE_SCREEN, "components", "versions", "fixVersions", "timetracking", "attachment"],
        [0, 1, 2, 5, 6, 7, 8, 12, 14, 15, 16, 17, 18],
    ),
    "Support": ([*BASE_SCREEN, "timetracking", "attachment"], [2, 3, 4, 5, 9, 13, 14, 16, 18]),
    "Content": ([*BASE_SCREEN, "attachment"], [10, 11, 15, 16]),
}
# transitions that show the Resolve Issue Screen (resolution, fix versions, assignee)
SCREENED = {"Ship": "2", "Resolve": "2"}
PROJECTS = [  # key, name, type, lead, category, scheme family, description
    (
        "ENG",
        "Engineering",
        "software",
        "alice",
        "Engineering",
        "Engineering",
        "Product engineering",
    ),
    ("OPS", "Operations", "software", "dan", "Engineering", "Engineering", "Infrastructure"),
    ("SUP", "Customer Support", "business", "carol", "Support", "Support", "Customer requests"),
    ("MKT", "Marketing", "business", "erin", "Business", "Content", "Campaigns and content"),
]
GROUPS = {  # group -> member handles (jira-software-users is a group every site has)
    "jira-software-users": ["alice", "bob", "carol", "dan", "erin"],
    "engineering": ["alice", "bob", "dan"],
    "security-team": ["carol"],
    "support": ["carol", "erin"],
}
# security level -> (description, [(member type, parameter)]), of the "Engineering Security" scheme
SECURITY_LEVELS = {
    "Staff": (
        "Engineering staff and the reporter",
        [("group", "engineering"), ("projectRole", "Administrators"), ("reporter", "")],
    ),
    "Security team": (
        "Security-sensitive issues",
        [("group", "security-team"), ("projectLead", "")],
    ),
}


TIMEKEEPER_TRACKING = "com.example.timekeeper__timekeeper-time-tracking"  # its provider's key


def seed_demo(store: Store) -> None:
    add_users(store)
    local = Local(store)
    try:
        Demo(local).build()
    finally:
        local.close()


def seed_fresh(store: Store) -> None:
    """A new, empty site in Acme's organisation: what a rebuild starts from. Users come from the
    organisation's directory and apps from the Marketplace, neither of which Jira's REST API
    creates, so they are there before jiracfg applies anything; the apps have no settings yet."""
    add_users(store)
    install = peer("apps", "seed_demo_apps")
    if install is not None:
        install(store, with_properties=False)


def add_users(store: Store) -> None:
    for handle, name in USERS:
        store.insert(
            "user",
            {
                "accountId": f"557058:{handle}",
                "displayName": name,
                "emailAddress": f"{handle}@acme.example",
            },
        )


ADMIN = "557058:admin"  # the site admin, whose token the examples and tests apply with
# what an apply of issue data needs in a project (the Engineering scheme grants it to the
# Administrators role, which the admin joins in every demo project)
APPLY_PERMISSIONS = (
    "CREATE_ISSUES",
    "EDIT_ISSUES",
    "TRANSITION_ISSUES",
    "RESOLVE_ISSUES",
    "CLOSE_ISSUES",
    "MOVE_ISSUES",
    "DELETE_ISSUES",
    "LINK_ISSUES",
    "SCHEDULE_ISSUES",
    "ASSIGN_ISSUES",
    "MODIFY_REPORTER",
    "MANAGE_WATCHERS",
    "ADD_COMMENTS",
    "EDIT_ALL_COMMENTS",
    "DELETE_ALL_COMMENTS",
    "WORK_ON_ISSUES",
    "EDIT_ALL_WORKLOGS",
    "DELETE_ALL_WORKLOGS",
    "CREATE_ATTACHMENTS",
    "DELETE_ALL_ATTACHMENTS",
)


def account(handle: str) -> str:
    return f"557058:{handle}"


class Demo:
    def __init__(self, local: Local) -> None:
        self.api = local
        self.rng = random.Random(20261125)
        self.ids: dict[str, dict[str, str]] = {}
        self.categories: dict[str, str] = {}  # status name -> category

    def build(self) -> None:
        for step in (
            self.statuses,
            self.workflows,
            self.issue_types,
            self.fields,
            self.screens,
            self.workflow_schemes,
            self.basics,
            self.field_configurations,
            self.groups_and_security,
            self.access_schemes,
            self.projects,
            self.contexts,
            self.issues,
            self.agile,  # boards and sprints, once there are issues to put in sprints
            self.integrations,  # webhooks after the data: no deliveries for seeded issues
            self.sharing,
        ):
            step()

    # -- configuration ---------------------------------------------------------------------
    def statuses(self) -> None:
        body = [{"name": n, "statusCategory": c} for n, c in STATUSES]
        self.api.post("/statuses", {"scope": {"type": "GLOBAL"}, "statuses": body})
        self.ids["status"] = self.api.ids("/statuses/search", maxResults=200)
        found = self.api.get("/statuses/search", maxResults=200)["values"]
        self.categories = {s["name"]: s["statusCategory"] for s in found}

    def workflows(self) -> None:
        status_ids = self.ids["status"]
        for name, (description, statuses, moves) in WORKFLOWS.items():
            refs = [
                {
                    "id": status_ids[s],
                    "name": s,
                    "statusReference": f"ref-{s}",
                    "statusCategory": self.categories[s],  # Jira updates the status to this
                }
                for s in statuses
            ]
            body = {
                "scope": {"type": "GLOBAL"},
                "statuses": refs,
                "workflows": [workflow_body(name, description, statuses, moves, SCREENED)],
            }
            self.api.post("/workflows/create", body)

    def issue_types(self) -> None:
        for name, description in ISSUE_TYPES:
            self.api.post(
                "/issuetype", {"name": name, "description": description, "hierarchyLevel": 0}
            )
        types = self.ids["issue_type"] = self.api.ids("/issuetype")
        for name, members in TYPE_SCHEMES.items():
            self.api.post(
                "/issuetypescheme",
                {
                    "name": name,
                    "issueTypeIds": [types[t] for t in members],
                    "defaultIssueTypeId": types[members[0]],
                },
            )
        self.ids["issue_type_scheme"] = self.api.ids("/issuetypescheme", maxResults=50)

    def fields(self) -> None:
        self.field_ids = [
            self.api.post(
                "/field",
                {"name": n, "type": plugin_key(t), "searcherKey": plugin_key(s), "description": d},
            )["id"]
            for n, t, s, d in FIELDS
        ]

    def screens(self) -> None:
        for family, (system, fields) in SCREEN_LAYOUTS.items():
            screen = self.api.post("/screens", {"name": f"{family} Screen"})
            tab = self.api.get(f"/screens/{screen['id']}/tabs")[0]
            for field_id in [*system, *(self.field_ids[i] for i in fields)]:
                self.api.post(
                    f"/screens/{screen['id']}/tabs/{tab['id']}/fields", {"fieldId": field_id}
                )
            scheme = self.api.post(
                "/screenscheme",
                {"name": f"{family} Screen Scheme", "screens": {"default": screen["id"]}},
            )
            self.api.post(
                "/issuetypescreenscheme",
                {
                    "name": f"{family} Screens",
                    "issueTypeMappings": [
                        {"issueTypeId": "default", "screenSchemeId": str(scheme["id"])}
                    ],
                },
            )
        self.ids["itss"] = self.api.ids("/issuetypescreenscheme", maxResults=50)

    def workflow_schemes(self) -> None:
        family = {
            "Engineering": "Software Development",
            "Support": "Support Flow",
            "Content": "Content Flow",
        }
        for name, workflow in family.items():
            self.api.post(
                "/workflowscheme",
                {
                    "name": f"{name} Workflow Scheme",
                    "description": f"Workflows of {name.lower()}",
                    "defaultWorkflow": workflow,
                },
            )
        self.ids["workflow_scheme"] = self.api.ids("/workflowscheme")

    def basics(self) -> None:
        self.api.post(
            "/priority",
            {"name": "Blocker", "statusColor": "#b30000", "description": "Stops a release"},
        )
        self.api.post("/resolution", {"name": "Fixed", "description": "A fix was shipped"})
        self.api.post(
            "/issueLinkType", {"name": "Causes", "inward": "is caused by", "outward": "causes"}
        )
        self.api.post("/role", {"name": "Support Agents", "description": "First-line support"})
        for name in ("Engineering", "Support", "Business"):
            self.api.post("/projectCategory", {"name": name, "description": f"{name} projects"})
        self.ids["category"] = {c["name"]: c["id"] for c in self.api.get("/projectCategory")}

    def field_configurations(self) -> None:
        config = self.api.post(
            "/fieldconfiguration",
            {
                "name": "Engineering Field Configuration",
                "description": "Engineering hides the Environment field",
            },
        )
        self.api.put(
            f"/fieldconfiguration/{config['id']}/fields",
            {
                "fieldConfigurationItems": [
                    {"id": "environment", "isHidden": True},
                    {
                        "id": self.field_ids[6],
                        "description": "Shown in the customer release notes",
                        "renderer": "wiki-renderer",
                    },
                ]
            },
        )
        scheme = self.api.post(
            "/fieldconfigurationscheme", {"name": "Engineering Field Configuration Scheme"}
        )
        self.api.put(
            f"/fieldconfigurationscheme/{scheme['id']}/mapping",
            {"mappings": [{"issueTypeId": "default", "fieldConfigurationId": str(config["id"])}]},
        )
        self.fcs_id = str(scheme["id"])

    def groups_and_security(self) -> None:
        """Groups with members, an issue security scheme (ENG) and a priority scheme (MKT)."""
        for name, handles in GROUPS.items():
            found = self.api.get("/group/bulk", groupName=name)["values"]
            group_id = (
                found[0]["groupId"] if found else self.api.post("/group", {"name": name})["groupId"]
            )
            members = {
                u["accountId"] for u in self.api.get("/group/member", groupId=group_id)["values"]
            }
            for handle in handles:
                if account(handle) not in members:
                    self.api.post("/group/user", {"accountId": account(handle)}, groupId=group_id)
        roles = {r["name"]: str(r["id"]) for r in self.api.get("/role")}
        levels: list[dict[str, Any]] = [
            {
                "name": name,
                "description": description,
                "members": [
                    {"type": kind, **({"parameter": roles.get(value, value)} if value else {})}
                    for kind, value in members
                ],
            }
            for name, (description, members) in SECURITY_LEVELS.items()
        ]
        levels[0]["isDefault"] = True
        scheme = self.api.post(
            "/issuesecurityschemes",
            {
                "name": "Engineering Security",
                "description": "Who sees sensitive engineering issues",
                "levels": levels,
            },
        )
        self.security_scheme_id = str(scheme["id"])
        priorities = {p["name"]: int(p["id"]) for p in self.api.get("/priority")}
        marketing = self.api.post(
            "/priorityscheme",
            {
                "name": "Marketing Priorities",
                "description": "Three priorities are enough for content work",
                "defaultPriorityId": priorities["Medium"],
                "priorityIds": [priorities[n] for n in ("High", "Medium", "Low")],
            },
        )
        self.priority_scheme_id = str(marketing["id"])

    def access_schemes(self) -> None:
        roles = {r["name"]: r["id"] for r in self.api.get("/role")}
        groups = {g["name"]: g["groupId"] for g in self.api.get("/group/bulk")["values"]}
        grants = [
            ("BROWSE_PROJECTS", "group", groups["jira-software-users"]),
            ("SET_ISSUE_SECURITY", "group", groups["security-team"]),
            ("CREATE_ISSUES", "projectRole", str(roles.get("Member", ""))),
            ("ADMINISTER_PROJECTS", "projectRole", str(roles.get("Administrators", ""))),
            ("EDIT_ISSUES", "projectRole", str(roles.get("Member", ""))),
            ("TRANSITION_ISSUES", "projectRole", str(roles.get("Member", ""))),
            ("ASSIGN_ISSUES", "projectLead", ""),
        ]
        admins = str(roles.get("Administrators", ""))
        grants += [(key, "projectRole", admins) for key in APPLY_PERMISSIONS]
        scheme = self.api.post(
            "/permissionscheme",
            {
                "name": "Engineering Permissions",
                "description": "Engineering projects",
                "permissions": [
                    permission(key, kind, value)
                    for key, kind, value in grants
                    if kind != "projectRole" or value
                ],
            },
        )
        self.permission_scheme_id = str(scheme["id"])
        notifications = self.api.post(
            "/notificationscheme",
            {
                "name": "Engineering Notifications",
                "description": "Quieter than the default",
                "notificationSchemeEvents": [
                    {
                        "event": {"id": "1"},
                        "notifications": [
                            {"notificationType": "Reporter"},
                            {"notificationType": "CurrentAssignee"},
                        ],
                    },
                    {"event": {"id": "13"}, "notifications": [{"notificationType": "AllWatchers"}]},
                ],
            },
        )
        self.notification_scheme_id = str(notifications["id"])

    def projects(self) -> None:
        self.project_ids: dict[str, str] = {}
        for key, name, kind, lead, category, family, description in PROJECTS:
            body = project_body(key, name, kind, lead, description)
            ids = self.ids
            body |= {
                "categoryId": int(ids["category"][category]),
                "workflowScheme": int(ids["workflow_scheme"][f"{family} Workflow Scheme"]),
                "issueTypeScheme": int(ids["issue_type_scheme"][f"{family} Issue Types"]),
                "issueTypeScreenScheme": int(ids["itss"][f"{family} Screens"]),
            }
            if family == "Engineering":
                body |= {
                    "fieldConfigurationScheme": int(self.fcs_id),
                    "permissionScheme": int(self.permission_scheme_id),
                    "notificationScheme": int(self.notification_scheme_id),
                }
            if key == "ENG":
                body["issueSecurityScheme"] = int(self.security_scheme_id)
            self.project_ids[key] = str(self.api.post("/project", body)["id"])
        self.api.put(
            f"/priorityscheme/{self.priority_scheme_id}",
            {"projects": {"add": {"ids": [int(self.project_ids["MKT"])]}}},
        )
        self.components_and_versions()

    def components_and_versions(self) -> None:
        for name, lead in (("Backend", "bob"), ("Frontend", "alice"), ("API", "")):
            body = {"project": "ENG", "name": name, "description": f"{name} code"}
            self.api.post("/component", body | ({"leadAccountId": account(lead)} if lead else {}))
        for name, released in (("1.0", True), ("1.1", False), ("2.0", False)):
            self.api.post(
                "/version",
                {
                    "projectId": int(self.project_ids["ENG"]),
                    "name": name,
                    "released": released,
                    "description": f"Release {name}",
                },
            )
        roles = {r["name"]: r["id"] for r in self.api.get("/role")}
        for key in self.project_ids:  # the account jiracfg applies with administers each
            self.api.post(f"/project/{key}/role/{roles['Administrators']}", {"user": [ADMIN]})
        if "Support Agents" in roles:
            self.api.post(
                f"/project/SUP/role/{roles['Support Agents']}",
                {"user": [account("carol"), account("bob")]},
            )

    def contexts(self) -> None:
        """Project contexts beside each field's global one (Jira keeps that one, whole); a
        context listed without projects is the global one, renamed."""
        types = self.ids["issue_type"]
        for index, contexts in CONTEXTS.items():
            field_id = self.field_ids[index]
            default = self.api.get(f"/field/{field_id}/context")["values"][0]["id"]
            for name, projects, issue_types, options in contexts:
                if not projects:
                    self.api.put(f"/field/{field_id}/context/{default}", {"name": name})
                    self.options(field_id, str(default), options)
                    continue
                made = self.api.post(
                    f"/field/{field_id}/context",
                    {
                        "name": name,
                        "projectIds": [self.project_ids[p] for p in projects],
                        "issueTypeIds": [types[t] for t in issue_types],
                    },
                )
                self.options(field_id, str(made["id"]), options)

    def options(self, field_id: str, context_id: str, options: list[Any]) -> None:
        if not options:
            return
        path = f"/field/{field_id}/context/{context_id}/option"
        made = self.api.post(
            path, {"options": [{"value": o if isinstance(o, str) else o[0]} for o in options]}
        )["options"]
        for option, created in zip(options, made, strict=True):
            if not isinstance(option, str):
                self.api.post(
                    path,
                    {"options": [{"value": kid, "optionId": created["id"]} for kid in option[1]]},
                )

    # -- apps and integrations -------------------------------------------------------------
    def sharing(self) -> None:
        """Filters and dashboards (``demo_sharing``)."""
        self.ids["filter"] = demo_sharing.build(self.api)

    def integrations(self) -> None:
        seed_apps = peer("apps", "seed_demo_apps")
        if seed_apps is not None:
            seed_apps(self.api.store)  # Timekeeper, chosen below as an admin does after install
            self.api.put("/configuration/timetracking", {"key": TIMEKEEPER_TRACKING})
        hooks = [
            {
                "name": "Deploy bot",
                "url": "https://hooks.acme.example/jira/deploy",
                "events": ["jira:issue_created", "jira:issue_updated"],
                "filters": {"issue-related-events-section": "project = ENG"},
                "excludeBody": False,
                "enabled": True,
                "secret": "demo-webhook-secret",
            },
            {
                "name": "Support escalations",
                "url": "https://hooks.acme.example/support",
                "events": ["jira:issue_created"],
                "filters": {"issue-related-events-section": "project = SUP"},
                "excludeBody": False,
                "enabled": True,
            },
        ]
        for hook in hooks:
            self.api.post("/rest/webhooks/1.0/webhook", hook)

    # -- data --------------------------------------------------------------------------------
    def issues(self) -> None:
        DemoData(self.api, self.rng, self.field_ids).build()

    def agile(self) -> None:
        seed_agile(self.api)


def workflow_body(
    name: str,
    description: str,
    statuses: list[str],
    moves: list[tuple[str, list[str] | None, str]],
    screens: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A workflow create body; ``screens``: transition name -> the screen it shows."""
    transitions: list[dict[str, Any]] = [
        {
            "id": "1",
            "name": "Create",
            "type": "INITIAL",
            "toStatusReference": f"ref-{statuses[0]}",
            "links": [],
        }
    ]
    for number, (move, sources, target) in enumerate(moves, start=1):
        transitions.append(
            {
                "id": str(number * 10 + 1),
                "name": move,
                "type": "GLOBAL" if sources is None else "DIRECTED",
                "toStatusReference": f"ref-{target}",
                "links": [{"fromStatusReference": f"ref-{s}"} for s in sources or []],
            }
        )
        screen = (screens or {}).get(move)
        if screen:
            transitions[-1]["transitionScreen"] = {
                "ruleKey": "system:transition-screen",
                "parameters": {"screenId": screen},
            }
    return {
        "name": name,
        "description": description,
        "transitions": transitions,
        "statuses": [{"statusReference": f"ref-{s}", "properties": {}} for s in statuses],
    }


def plugin_key(short: str) -> str:
    """The full key of a custom field type or searcher."""
    return f"com.atlassian.jira.plugin.system.customfieldtypes:{short}"


def permission(key: str, holder: str, value: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": holder}
    if value:
        spec["value"] = value
    return {"permission": key, "holder": spec}


def project_body(key: str, name: str, kind: str, lead: str, description: str) -> dict[str, Any]:
    """A project created with explicit schemes (Jira refuses a template key with them)."""
    return {
        "key": key,
        "name": name,
        "projectTypeKey": kind,
        "leadAccountId": account(lead),
        "description": description,
        "assigneeType": "UNASSIGNED",
    }

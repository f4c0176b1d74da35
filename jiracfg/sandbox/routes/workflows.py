"""Workflows through the current API (search, bulk read, create, update, validation, delete).

Collection ``workflow`` ``{id (uuid), name, description, scope, system, statuses:
[{statusReference: status id, layout?, properties}], transitions: [WorkflowTransitions with status
ids as references], startPointLayout?, version: {id, versionNumber}, created, updated}``. Index
collections keep the lookups other areas make cheap: ``workflow_name`` (id: case-folded name),
``workflow_status`` (parent: status id) and ``workflow_screen`` (parent: transition screen id).

Jira's rules: names unique (case-insensitive, no rename over REST), one INITIAL transition, every
status reachable by a transition, transition names unique among a status's outgoing transitions,
rule parameters are strings, transition screens exist; transition ids given on create and update
are kept (a positive whole number, once per workflow; the rest are numbered 1, 11, 21...); updates
carry the version they read (409
when stale); statuses removed from a workflow that projects use need ``statusMappings`` for the
issues in them; the system workflow ``jira`` is read-only; active workflows, and workflows of any
scheme, can't be deleted.

Exported for other areas: see the contract in ``routes/__init__.py`` (``get_workflow``,
``workflow_by_name``, ``workflow_status_ids``, ``initial_status_id``, ``transitions_from``,
``status_in_use``, ``screen_in_use_by_workflow``, ``DEFAULT_WORKFLOW``).

Expected from other areas (optional): ``workflowschemes.workflow_in_use``,
``workflowschemes.workflow_name_for``, ``projects.all_projects``,
``issuetypes.issue_types_of_project``, ``issues.count_issues``, ``issues.move_statuses``,
``screens.get_screen``.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    ApiError,
    body_object,
    bool_param,
    list_param,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    same_name,
    store,
)
from jiracfg.sandbox.routes import statuses
from jiracfg.sandbox.routes._common import count_issues
from jiracfg.sandbox.shapes import ID, Required
from jiracfg.sandbox.store import Doc, Store

WORKFLOWS, NAMES, USES_STATUS, USES_SCREEN = (
    "workflow",
    "workflow_name",
    "workflow_status",
    "workflow_screen",
)
DEFAULT_WORKFLOW = "jira"

# Request body shapes (the spec's WorkflowCreateRequest, WorkflowUpdateRequest, WorkflowReadRequest
# beans).
RULE = {"id": ID, "ruleKey": Required(str), "parameters": dict}
CONDITIONS: dict[str, Any] = {"operation": str, "conditions": [RULE]}
CONDITIONS["conditionGroups"] = [CONDITIONS]
LINK = {"fromStatusReference": ID, "fromPort": int, "toPort": int}
TRANSITION = {
    **{"id": ID, "name": str, "description": str, "type": str, "toStatusReference": ID},
    **{"links": [LINK], "validators": [RULE], "actions": [RULE], "triggers": [RULE]},
    **{"conditions": CONDITIONS, "transitionScreen": RULE, "properties": dict},
}
STATUS = {"id": ID, "name": str, "description": str, "statusCategory": str, "statusReference": ID}
LAYOUT = {"statusReference": ID, "properties": dict, "layout": dict}
WORKFLOW = {"name": str, "description": str, "statuses": [LAYOUT], "transitions": [TRANSITION]}
MIGRATION = {"oldStatusReference": ID, "newStatusReference": ID}
MAPPING = {"projectId": ID, "issueTypeId": ID, "statusMigrations": [MIGRATION]}
UPDATED = {**WORKFLOW, "id": ID, "version": {"id": str, "versionNumber": int}}
UPDATED.update(defaultStatusMappings=[MIGRATION], statusMappings=[MAPPING])
CREATE = {"scope": {"type": str, "project": {"id": ID}}, "statuses": [STATUS]}
CREATE["workflows"] = [WORKFLOW]
UPDATE = {"statuses": [STATUS], "workflows": [UPDATED]}
LEVELS = {"validationOptions": {"levels": [str]}}
PAIR = {"projectId": Required(ID), "issueTypeId": Required(ID)}
READ = {"workflowIds": [ID], "workflowNames": [str], "projectAndIssueTypes": [PAIR]}
TYPES = ("INITIAL", "GLOBAL", "DIRECTED")
SCREEN_RULE = "system:transition-screen"
MAX_WORKFLOWS = 20
Problem = dict[str, Any]


# -- exported API ------------------------------------------------------------------------------
def get_workflow(db: Store, workflow_id: Any) -> Doc | None:
    return db.get(WORKFLOWS, str(workflow_id))


def workflow_by_name(db: Store, name: str) -> Doc | None:
    row = db.get(NAMES, name.strip().casefold())
    return None if row is None else get_workflow(db, row["workflowId"])


def workflow_status_ids(db: Store, name: str) -> list[str]:
    doc = workflow_by_name(db, name)
    return [] if doc is None else [s["statusReference"] for s in doc["statuses"]]


def initial_status_id(db: Store, name: str) -> str:
    doc = workflow_by_name(db, name) or workflow_by_name(db, DEFAULT_WORKFLOW)
    assert doc is not None
    return str(next(t["toStatusReference"] for t in doc["transitions"] if t["type"] == "INITIAL"))


def transitions_from(db: Store, name: str, status_id: str) -> list[dict[str, str]]:
    """Transitions an issue in ``status_id`` can take: directed ones from it, and global ones."""
    doc = workflow_by_name(db, name)
    return [
        {"id": t["id"], "name": t["name"], "to": t["toStatusReference"]}
        for t in (doc or {}).get("transitions", [])
        if t["type"] == "GLOBAL"
        or (
            t["type"] == "DIRECTED"
            and any(link["fromStatusReference"] == str(status_id) for link in t["links"])
        )
    ]


def status_in_use(db: Store, status_id: Any) -> bool:
    return db.count(USES_STATUS, str(status_id)) > 0


def screen_in_use_by_workflow(db: Store, screen_id: Any) -> bool:
    return db.count(USES_SCREEN, str(screen_id)) > 0


# -- other areas -------------------------------------------------------------------------------
def in_any_scheme(db: Store, name: str) -> bool:
    fn = peer("workflowschemes", "workflow_in_use")
    return bool(fn and fn(db, name))


def usage_pairs(db: Store) -> list[tuple[str, str, str]]:
    """(project id, issue type id, workflow name) for every project and its issue types."""
    projects = peer("projects", "all_projects")
    types = peer("issuetypes", "issue_types_of_project")
    name_for = peer("workflowschemes", "workflow_name_for")
    if projects is None or types is None or name_for is None:
        return []
    return [
        (p["id"], t["id"], str(name_for(db, p["id"], t["id"])))
        for p in projects(db)
        for t in types(db, p["id"])
    ]


def active_names(db: Store) -> set[str]:
    return {name.casefold() for _, _, name in usage_pairs(db)}


def screen_exists(db: Store, screen_id: str) -> bool:
    fn = peer("screens", "get_screen")
    return fn is None or fn(db, screen_id) is not None


# -- beans -------------------------------------------------------------------------------------
def workflow_bean(doc: Doc, transitions: bool = True) -> dict[str, Any]:
    keys = ("id", "name", "description", "scope", "version", "created", "updated")
    bean: dict[str, Any] = {k: doc[k] for k in keys}
    bean["isEditable"] = not doc.get("system")
    bean["statuses"] = [{**s, "deprecated": False} for s in doc["statuses"]]
    if "startPointLayout" in doc:
        bean["startPointLayout"] = doc["startPointLayout"]
    if transitions:
        bean["transitions"] = doc["transitions"]
    return bean


def statuses_of(db: Store, docs: list[Doc]) -> list[dict[str, Any]]:
    """JiraWorkflowStatus of every status the workflows use, once each."""
    ids = list(dict.fromkeys(s["statusReference"] for d in docs for s in d["statuses"]))
    found = [statuses.get_status(db, i) for i in ids]
    return [{**statuses.jira_status(s), "statusReference": s["id"]} for s in found if s]


def read_response(db: Store, docs: list[Doc]) -> dict[str, Any]:
    return {"workflows": [workflow_bean(d) for d in docs], "statuses": statuses_of(db, docs)}


# -- reads -------------------------------------------------------------------------------------
def ordered(request: Request, docs: list[Doc]) -> list[Doc]:
    order = request.query_params.get("orderBy") or "name"
    field = order.lstrip("+-")
    require(field in ("name", "created", "updated"), 400, f"Invalid orderBy value: {order}")
    return sorted(docs, key=lambda d: str(d[field]).casefold(), reverse=order.startswith("-"))


def searched(request: Request, db: Store) -> list[Doc]:
    text = (request.query_params.get("queryString") or "").casefold()
    docs = [d for d in db.all(WORKFLOWS) if text in d["name"].casefold()]
    if request.query_params.get("isActive") is not None:
        active, wanted = active_names(db), bool_param(request, "isActive")
        docs = [d for d in docs if (d["name"].casefold() in active) == wanted]
    scope = request.query_params.get("scope")
    return ordered(request, [d for d in docs if scope in (None, d["scope"]["type"])])


@route("/rest/api/3/workflows/search")
async def search(request: Request) -> Response:
    db = store(request)
    expand = "values.transitions" in (request.query_params.get("expand") or "").split(",")
    docs = searched(request, db)
    bean = page(request, docs)
    shown: list[Doc] = bean["values"]
    bean["values"] = [workflow_bean(d, transitions=expand) for d in shown]
    bean["statuses"] = statuses_of(db, shown)
    return ok(bean)


@route("/rest/api/3/workflows", "POST")
async def bulk_read(request: Request) -> Response:
    data, db = await body_object(request, READ), store(request)
    docs = [get_workflow(db, i) for i in data.get("workflowIds") or []]
    docs += [workflow_by_name(db, str(n)) for n in data.get("workflowNames") or []]
    name_for = peer("workflowschemes", "workflow_name_for")
    for pair in data.get("projectAndIssueTypes") or []:
        if name_for is not None:
            docs.append(workflow_by_name(db, name_for(db, pair["projectId"], pair["issueTypeId"])))
    unique = list({d["id"]: d for d in docs if d is not None}.values())
    return ok(read_response(db, unique))


@route("/rest/api/3/workflow/search")
async def classic_search(request: Request) -> Response:
    """The deprecated classic search: ``id: {name, entityId}`` per workflow."""
    db, names = store(request), list_param(request, "workflowName")
    docs = [d for d in searched(request, db) if not names or d["name"] in names]
    beans = [
        {
            "id": {"name": d["name"], "entityId": d["id"]},
            "description": d["description"],
            "isDefault": d["name"] == DEFAULT_WORKFLOW,
            "created": d["created"],
            "updated": d["updated"],
        }
        for d in docs
    ]
    return ok(page(request, beans))


# -- validation --------------------------------------------------------------------------------
def problem(code: str, message: str, kind: str, **ref: Any) -> Problem:
    found: Problem = {"code": code, "level": "ERROR", "message": message, "type": kind}
    if ref:
        found["elementReference"] = ref
    return found


def status_problems(db: Store, items: list[Any]) -> tuple[dict[str, str], list[Problem]]:
    """Status references of the payload -> existing status id (or "" for a new status)."""
    refs: dict[str, str] = {}
    found: list[Problem] = []
    for item in items:
        ref = str(item.get("statusReference") or "")
        if item.get("id") is not None and statuses.get_status(db, item["id"]) is None:
            found.append(
                problem(
                    "INVALID_STATUS",
                    f"The status with ID {item['id']} was not found.",
                    "STATUS",
                    statusReference=ref,
                )
            )
        name = str(item.get("name") or "")
        if not name.strip() or clash_of(db, name, str(item.get("id"))):
            found.append(
                problem(
                    "NON_UNIQUE_STATUS_NAME",
                    "You must use a unique status name.",
                    "STATUS",
                    statusReference=ref,
                )
            )
        if item.get("statusCategory") not in statuses.CATEGORIES or not ref:
            found.append(
                problem(
                    "INVALID_STATUS",
                    "A status needs a statusReference and a "
                    "statusCategory of TODO, IN_PROGRESS or DONE.",
                    "STATUS",
                )
            )
        refs[ref] = str(item.get("id") or "")
    return refs, found


def clash_of(db: Store, name: str, own_id: str) -> bool:
    return (
        db.first(statuses.STATUSES, lambda s: same_name(s["name"], name) and s["id"] != own_id)
        is not None
    )


def workflow_problems(db: Store, wf: dict[str, Any], refs: dict[str, str]) -> list[Problem]:
    used = [str(s.get("statusReference")) for s in wf.get("statuses") or []]
    found = [
        problem(
            "INVALID_STATUS_REFERENCE",
            f"The status reference '{r}' isn't in the statuses of the request.",
            "STATUS",
            statusReference=r,
        )
        for r in used
        if r not in refs
    ]
    if len(set(used)) != len(used):
        found.append(
            problem("DUPLICATE_STATUS", "A status can be in a workflow only once.", "WORKFLOW")
        )
    transitions = wf.get("transitions") or []
    found += [p for t in transitions for p in transition_problems(db, t, set(used))]
    return found + graph_problems(transitions, used)


def transition_problems(db: Store, t: dict[str, Any], used: set[str]) -> list[Problem]:
    tid = str(t.get("id") or "")
    found: list[Problem] = []
    links = [str(link.get("fromStatusReference")) for link in t.get("links") or []]
    if t.get("type") not in TYPES or not str(t.get("name") or "").strip():
        found.append(
            problem(
                "INVALID_TRANSITION",
                "A transition needs a name and a type of INITIAL, GLOBAL or DIRECTED.",
                "TRANSITION",
                transitionId=tid,
            )
        )
    if str(t.get("toStatusReference")) not in used or any(f not in used for f in links):
        found.append(
            problem(
                "INVALID_TRANSITION_STATUS",
                f"Transition '{t.get('name')}' links a status that isn't in the workflow.",
                "TRANSITION",
                transitionId=tid,
            )
        )
    if (t.get("type") == "DIRECTED") != bool(links):
        found.append(
            problem(
                "INVALID_TRANSITION_LINKS",
                f"Transition '{t.get('name')}': only "
                "DIRECTED transitions start from statuses, and they need at least "
                "one.",
                "TRANSITION",
                transitionId=tid,
            )
        )
    return found + rule_problems(db, t)


def rules_of(t: dict[str, Any]) -> list[Any]:
    groups, rules = [t.get("conditions") or {}], list(t.get("validators") or [])
    rules += list(t.get("actions") or []) + (
        [t["transitionScreen"]] if t.get("transitionScreen") else []
    )
    while groups:
        group = groups.pop()
        rules += group.get("conditions") or []
        groups += group.get("conditionGroups") or []
    return rules


def rule_problems(db: Store, t: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    for rule in rules_of(t):
        params = rule.get("parameters") or {}
        if not rule.get("ruleKey") or not all(isinstance(v, str) for v in params.values()):
            found.append(
                problem(
                    "INVALID_RULE",
                    "A rule needs a ruleKey, and its parameters must be strings.",
                    "RULE",
                    transitionId=str(t.get("id")),
                )
            )
        elif rule["ruleKey"] == SCREEN_RULE and not screen_exists(db, params.get("screenId", "")):
            found.append(
                problem(
                    "INVALID_TRANSITION_SCREEN",
                    f"The screen with ID {params.get('screenId')} was not found.",
                    "RULE",
                    transitionId=str(t.get("id")),
                )
            )
    return found


def graph_problems(transitions: list[dict[str, Any]], used: list[str]) -> list[Problem]:
    found: list[Problem] = []
    if [t.get("type") for t in transitions].count("INITIAL") != 1:
        found.append(
            problem(
                "INITIAL_TRANSITION", "A workflow needs exactly one INITIAL transition.", "WORKFLOW"
            )
        )
    found += id_problems(transitions)
    reached = {str(t.get("toStatusReference")) for t in transitions}
    found += [
        problem(
            "NO_INBOUND_TRANSITION",
            f"The status '{s}' has no inbound transition.",
            "STATUS",
            statusReference=s,
        )
        for s in used
        if s not in reached
    ]
    for source in used:
        names = [
            str(t.get("name")).casefold()
            for t in transitions
            if t.get("type") == "GLOBAL"
            or any(str(lk.get("fromStatusReference")) == source for lk in t.get("links") or [])
        ]
        if len(set(names)) != len(names):
            found.append(
                problem(
                    "NON_UNIQUE_TRANSITION_NAME",
                    "Transitions from the same status need unique names.",
                    "STATUS",
                    statusReference=source,
                )
            )
    return found


def id_problems(transitions: list[dict[str, Any]]) -> list[Problem]:
    """Given transition ids are kept as they are (scripts transition by id), so each must be a
    positive whole number, once per workflow."""
    given = [str(t["id"]) for t in transitions if t.get("id") not in (None, "")]
    bad = sorted({i for i in given if not i.isdigit() or int(i) < 1})
    twice = sorted({i for i in given if given.count(i) > 1} - set(bad))
    return [
        problem(
            "INVALID_TRANSITION_ID",
            f"The transition ID '{i}' isn't valid.",
            "TRANSITION",
            transitionId=i,
        )
        for i in bad
    ] + [
        problem(
            "DUPLICATE_TRANSITION_ID",
            f"The transition ID '{i}' is used by more than one transition.",
            "TRANSITION",
            transitionId=i,
        )
        for i in twice
    ]


def name_problems(db: Store, wf: dict[str, Any]) -> list[Problem]:
    name = wf.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255 or name != name.strip():
        return [
            problem(
                "INVALID_WORKFLOW_NAME",
                "A workflow name is required, at most 255 "
                "characters, without leading or trailing spaces.",
                "WORKFLOW",
            )
        ]
    if workflow_by_name(db, name) is not None:
        return [
            problem(
                "NON_UNIQUE_WORKFLOW_NAME",
                f"A workflow with the name '{name}' already exists.",
                "WORKFLOW",
            )
        ]
    return []


def workflows_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    items = payload.get("workflows")
    require(
        isinstance(items, list) and len(items) > 0 and all(isinstance(i, dict) for i in items),
        400,
        "Unable to parse request. [workflows] is missing.",
    )
    require(
        len(items or []) <= MAX_WORKFLOWS,
        400,
        f"You can't create or update more than {MAX_WORKFLOWS} workflows at a time.",
    )
    return list(items or [])


def status_items(payload: dict[str, Any]) -> list[Any]:
    items = payload.get("statuses") or []
    require(
        isinstance(items, list) and all(isinstance(i, dict) for i in items),
        400,
        "Unable to parse request. [statuses] is missing.",
    )
    return list(items)


def create_problems(db: Store, payload: dict[str, Any]) -> list[Problem]:
    refs, found = status_problems(db, status_items(payload))
    items = workflows_of(payload)
    names = [str(w.get("name")).casefold() for w in items]
    if len(set(names)) != len(names):
        found.append(
            problem(
                "NON_UNIQUE_WORKFLOW_NAME",
                "The workflows of a request need unique names.",
                "WORKFLOW",
            )
        )
    return found + [p for w in items for p in name_problems(db, w) + workflow_problems(db, w, refs)]


def raise_for(found: list[Problem]) -> None:
    if found:
        raise ApiError(400, *dict.fromkeys(p["message"] for p in found))


def levels(data: dict[str, Any], found: list[Problem]) -> dict[str, Any]:
    wanted = (data.get("validationOptions") or {}).get("levels") or ["WARNING", "ERROR"]
    return {"errors": [p for p in found if p["level"] in wanted]}


def payload_of(data: dict[str, Any]) -> dict[str, Any]:
    payload = data.get("payload")
    require(isinstance(payload, dict), 400, "Unable to parse request. [payload] is missing.")
    return dict(payload or {})


@route("/rest/api/3/workflows/create/validation", "POST")
async def validate_create(request: Request) -> Response:
    data, db = await body_object(request, {"payload": CREATE, **LEVELS}), store(request)
    return ok(levels(data, create_problems(db, payload_of(data))))


@route("/rest/api/3/workflows/update/validation", "POST")
async def validate_update(request: Request) -> Response:
    data, db = await body_object(request, {"payload": UPDATE, **LEVELS}), store(request)
    payload = payload_of(data)
    try:
        found = update_problems(db, payload)
    except ApiError as exc:
        found = [problem("INVALID_WORKFLOW", m, "WORKFLOW") for m in exc.messages]
    return ok(levels(data, found))


# -- writes ------------------------------------------------------------------------------------
def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())


def save_statuses(db: Store, items: list[Any]) -> dict[str, str]:
    """Create or update the payload's statuses; status reference -> status id."""
    refs: dict[str, str] = {}
    for item in items:
        doc = statuses.get_status(db, item["id"]) if item.get("id") is not None else None
        if doc is None:
            doc = statuses.create_status(
                db, item["name"], item["statusCategory"], item.get("description")
            )
        else:
            doc.update(
                name=statuses.check_status_name(db, item["name"], doc["id"]),
                statusCategory=item["statusCategory"],
                description=str(item.get("description", doc["description"]) or ""),
            )
            db.put(statuses.STATUSES, doc)
        refs[str(item["statusReference"])] = doc["id"]
    return refs


def stored_rule(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(rule.get("id") or uuid.uuid4()),
        "ruleKey": rule["ruleKey"],
        "parameters": dict(rule.get("parameters") or {}),
    }


def stored_group(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "operation": group.get("operation") or "ALL",
        "conditions": [stored_rule(r) for r in group.get("conditions") or []],
        "conditionGroups": [stored_group(g) for g in group.get("conditionGroups") or []],
    }


def stored_transition(t: dict[str, Any], refs: dict[str, str], tid: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": tid,
        "name": t["name"],
        "description": str(t.get("description") or ""),
        "type": t["type"],
        "toStatusReference": refs[str(t["toStatusReference"])],
        "links": [
            {
                "fromStatusReference": refs[str(lk["fromStatusReference"])],
                "fromPort": lk.get("fromPort"),
                "toPort": lk.get("toPort"),
            }
            for lk in t.get("links") or []
        ],
        "validators": [stored_rule(r) for r in t.get("validators") or []],
        "actions": [stored_rule(r) for r in t.get("actions") or []],
        "triggers": [stored_rule(r) for r in t.get("triggers") or []],
        "properties": dict(t.get("properties") or {}),
    }
    if t.get("conditions"):
        out["conditions"] = stored_group(t["conditions"])
    if t.get("transitionScreen"):
        out["transitionScreen"] = stored_rule(t["transitionScreen"])
    return out


def transition_ids(transitions: list[dict[str, Any]], used: set[str] | None = None) -> list[str]:
    """The given ids, and Jira-style ones (1 for the initial, then 11, 21, ...) for the rest; never
    one the workflow ``used`` before (a removed transition's id is not handed to a new one)."""
    taken = {str(t["id"]) for t in transitions if t.get("id")} | (used or set())
    ids, step = [], 1
    for t in transitions:
        if t.get("id"):
            ids.append(str(t["id"]))
            continue
        while str(step) in taken:
            step += 10
        ids.append(str(step))
        taken.add(str(step))
    return ids


def body_of(
    wf: dict[str, Any], refs: dict[str, str], used: set[str] | None = None
) -> dict[str, Any]:
    """The stored statuses and transitions of a create or update payload."""
    transitions = wf.get("transitions") or []
    body = {
        "statuses": [
            {
                "statusReference": refs[str(s["statusReference"])],
                "properties": dict(s.get("properties") or {}),
                **({"layout": s["layout"]} if s.get("layout") else {}),
            }
            for s in wf.get("statuses") or []
        ],
        "transitions": [
            stored_transition(t, refs, i)
            for t, i in zip(transitions, transition_ids(transitions, used), strict=True)
        ],
    }
    if wf.get("startPointLayout"):
        body["startPointLayout"] = wf["startPointLayout"]
    return body


def index(db: Store, doc: Doc) -> None:
    for s in doc["statuses"]:
        db.insert(
            USES_STATUS, {"id": f"{s['statusReference']}:{doc['id']}"}, parent=s["statusReference"]
        )
    for screen in screens_of(doc):
        db.insert(USES_SCREEN, {"id": f"{screen}:{doc['id']}"}, parent=screen)


def unindex(db: Store, doc: Doc) -> None:
    for s in doc["statuses"]:
        db.delete(USES_STATUS, f"{s['statusReference']}:{doc['id']}")
    for screen in screens_of(doc):
        db.delete(USES_SCREEN, f"{screen}:{doc['id']}")


def screens_of(doc: Doc) -> set[str]:
    return {
        str(t["transitionScreen"]["parameters"].get("screenId"))
        for t in doc["transitions"]
        if t.get("transitionScreen")
    }


def insert_workflow(
    db: Store, wf: dict[str, Any], refs: dict[str, str], system: bool = False
) -> Doc:
    stamp = now()
    doc = db.insert(
        WORKFLOWS,
        {
            "id": str(uuid.uuid4()),
            "name": wf["name"],
            "description": str(wf.get("description") or ""),
            "scope": {"type": "GLOBAL"},
            "system": system,
            **body_of(wf, refs),
            "version": {"id": str(uuid.uuid4()), "versionNumber": 0},
            "created": stamp,
            "updated": stamp,
        },
    )
    db.insert(NAMES, {"id": doc["name"].casefold(), "workflowId": doc["id"]})
    index(db, doc)
    return doc


@route("/rest/api/3/workflows/create", "POST")
async def create(request: Request) -> Response:
    data, db = await body_object(request, CREATE), store(request)
    require(
        ((data.get("scope") or {}).get("type") or "GLOBAL") == "GLOBAL",
        400,
        "The sandbox only creates GLOBAL (company-managed) workflows.",
        "scope",
    )
    raise_for(create_problems(db, data))
    with db.tx():
        refs = save_statuses(db, status_items(data))
        docs = [insert_workflow(db, wf, refs) for wf in workflows_of(data)]
    return ok(read_response(db, docs))


def target(db: Store, wf: dict[str, Any]) -> Doc:
    """The workflow an update names, checked: editable, and the version the caller read."""
    require(
        isinstance(wf.get("version"), dict) and "statuses" in wf and "transitions" in wf,
        400,
        "Unable to parse request. [null] is missing.",
    )
    doc = get_workflow(db, wf.get("id"))
    require(doc is not None, 400, f"The workflow with ID {wf.get('id')} was not found.")
    assert doc is not None
    require(not doc.get("system"), 400, f"The workflow '{doc['name']}' is read-only.")
    version = wf["version"]
    require(
        (version.get("id"), version.get("versionNumber"))
        == (doc["version"]["id"], doc["version"]["versionNumber"]),
        409,
        "Workflow version and version token must match",
    )
    return doc


def update_problems(db: Store, payload: dict[str, Any]) -> list[Problem]:
    refs, found = status_problems(db, status_items(payload))
    for wf in workflows_of(payload):
        doc = target(db, wf)
        found += workflow_problems(db, wf, refs) or migration_problems(db, doc, wf, refs)
    return found


def migrations(
    db: Store, doc: Doc, wf: dict[str, Any], refs: dict[str, str]
) -> list[tuple[str, str, dict[str, str | None]]]:
    """(project, issue type, {old status: new status or None if unmapped}) for issues in statuses
    the update removes."""
    kept = {refs[str(s["statusReference"])] for s in wf["statuses"]}
    gone = [s["statusReference"] for s in doc["statuses"] if s["statusReference"] not in kept]
    default = {
        str(m["oldStatusReference"]): str(m["newStatusReference"])
        for m in wf.get("defaultStatusMappings") or []
    }
    out = []
    for project, issue_type, name in usage_pairs(db) if gone else []:
        moves = {
            s: mapped(wf, project, issue_type, s) or default.get(s)
            for s in gone
            if same_name(name, doc["name"])
            and count_issues(db, project_id=project, issue_type_id=issue_type, status_id=s)
        }
        if moves:
            out.append((project, issue_type, moves))
    return out


def mapped(wf: dict[str, Any], project: str, issue_type: str, status: str) -> str | None:
    for mapping in wf.get("statusMappings") or []:
        if (str(mapping.get("projectId")), str(mapping.get("issueTypeId"))) == (
            project,
            issue_type,
        ):
            for move in mapping.get("statusMigrations") or []:
                if str(move.get("oldStatusReference")) == status:
                    return str(move.get("newStatusReference"))
    return None


def migration_problems(
    db: Store, doc: Doc, wf: dict[str, Any], refs: dict[str, str]
) -> list[Problem]:
    kept = {str(s["statusReference"]) for s in wf["statuses"]}
    return [
        problem(
            "STATUS_MAPPING_MISSING",
            f"Issues of project {p} and issue type {t} are in "
            f"status {old}, which the workflow no longer has: map them to one of its "
            "statuses.",
            "STATUS_MAPPING",
            statusReference=old,
            statusMappingReference={"projectId": p, "issueTypeId": t},
        )
        for p, t, moves in migrations(db, doc, wf, refs)
        for old, new in moves.items()
        if new is None or new not in kept
    ]


def apply_update(db: Store, doc: Doc, wf: dict[str, Any], refs: dict[str, str]) -> bool:
    """Write one workflow's update; move stranded issues; True when issues moved."""
    moves = migrations(db, doc, wf, refs)
    unindex(db, doc)
    doc.update(
        body_of(wf, refs, {str(t["id"]) for t in doc["transitions"]}),
        updated=now(),
        version={"id": str(uuid.uuid4()), "versionNumber": doc["version"]["versionNumber"] + 1},
    )
    if "description" in wf:
        doc["description"] = str(wf["description"] or "")
    db.put(WORKFLOWS, doc)
    index(db, doc)
    move = peer("issues", "move_statuses")
    for project, issue_type, mapping in moves if move else []:
        assert move is not None
        move(
            db,
            project,
            issue_type,
            {old: refs.get(str(new), str(new)) for old, new in mapping.items()},
        )
    return bool(moves)


@route("/rest/api/3/workflows/update", "POST")
async def update(request: Request) -> Response:
    data, db = await body_object(request, UPDATE), store(request)
    raise_for(update_problems(db, data))
    with db.tx():
        refs = save_statuses(db, status_items(data))
        docs = [target(db, wf) for wf in data["workflows"]]
        moved = [
            apply_update(db, d, wf, refs) for d, wf in zip(docs, data["workflows"], strict=True)
        ]
    body = read_response(db, docs)
    if any(moved):
        body["taskId"] = tasks.completed(db, "Workflow update: issue status migration")
    return ok(body)


@route("/rest/api/3/workflow/{entityId}", "DELETE")
async def delete(request: Request) -> Response:
    db = store(request)
    doc = get_workflow(db, request.path_params["entityId"])
    if doc is None:
        raise ApiError(404, "The workflow was not found.")
    require(not doc.get("system"), 400, "Cannot delete a system workflow.")
    require(
        doc["name"].casefold() not in active_names(db), 400, "Cannot delete an active workflow."
    )
    require(
        not in_any_scheme(db, doc["name"]),
        400,
        "Cannot delete a workflow that is used by a workflow scheme.",
    )
    with db.tx():
        unindex(db, doc)
        db.delete(NAMES, doc["name"].casefold())
        db.delete(WORKFLOWS, doc["id"])
    return no_content()


ROUTES = [
    search,
    bulk_read,
    classic_search,
    validate_create,
    validate_update,
    create,
    update,
    delete,
]


# -- the system workflow -----------------------------------------------------------------------
def restrict(**parameters: str) -> dict[str, Any]:
    return {
        "operation": "ALL",
        "conditions": [{"ruleKey": "system:restrict-issue-transition", "parameters": parameters}],
    }


def directed(
    tid: str, name: str, sources: list[str], to: str, screen: str | None = None, **parameters: str
) -> dict[str, Any]:
    t: dict[str, Any] = {
        "id": tid,
        "name": name,
        "type": "DIRECTED",
        "toStatusReference": to,
        "links": [{"fromStatusReference": s, "fromPort": 0, "toPort": 1} for s in sources],
        "conditions": restrict(**parameters),
    }
    if screen:
        t["transitionScreen"] = {"ruleKey": SCREEN_RULE, "parameters": {"screenId": screen}}
    return t


JIRA_TRANSITIONS = [
    {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": "1"},
    directed("4", "Start Progress", ["1", "4"], "3", accountIds="allow-assignee"),
    directed("5", "Resolve Issue", ["1", "3", "4"], "5", "2", permissionKeys="RESOLVE_ISSUES"),
    directed("2", "Close Issue", ["1", "3", "4"], "6", "2", permissionKeys="CLOSE_ISSUES"),
    directed("301", "Stop Progress", ["3"], "1", accountIds="allow-assignee"),
    directed("3", "Reopen Issue", ["5", "6"], "4", "3", permissionKeys="RESOLVE_ISSUES"),
    directed("701", "Close Issue", ["5"], "6", "3", permissionKeys="CLOSE_ISSUES"),
]


def seed_empty(db: Store) -> None:
    """The read-only system workflow ``jira`` (Open, In Progress, Resolved, Reopened, Closed)."""
    order = ["1", "3", "5", "4", "6"]
    wf = {
        "name": DEFAULT_WORKFLOW,
        "description": "The default Jira workflow.",
        "statuses": [
            {
                "statusReference": s,
                "properties": {"jira.issue.editable": "false"} if s == "6" else {},
            }
            for s in order
        ],
        "transitions": JIRA_TRANSITIONS,
    }
    insert_workflow(db, wf, {s: s for s in order}, system=True)

"""``verify --deep``: probe issues walk every transition of every workflow in use, and the
webhooks' deliveries of the probes' events are checked; what was seen becomes ``ProbeFacts`` for
the pure checks ``workflow_walk`` and ``webhook_delivery``.

For each workflow of the commit that a project of the commit uses (the project's workflow scheme,
first issue type that is not a sub-task; for a workflow only sub-task types use, a sub-task type
under a probe parent of a standard type of the same project), one probe issue is created (required
fields filled from create metadata, assigned to the caller so assignee conditions can pass) and
walks every transition: it first moves, by the shortest path of transitions, into a status the
transition leaves from, then does it, filling what the transition screen requires and what its
``fieldRequired`` validators name (set by an edit first when not on the screen), and must arrive
at the transition's target. Probes (and probe parents) are deleted at the end, newest first,
whatever happened; a probe that can't be deleted is named. Jira keeps the issue numbers the
probes took (the next issue's key skips them).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, describe_error_body
from jiracfg.kinds._jql import quote
from jiracfg.model import Snapshot

SUMMARY = "jiracfg verify probe (deleted when verify ends)"
DELIVERIES = "/rest/sandbox/1/webhook-deliveries"
ISSUE_EVENTS = ("jira:issue_created", "jira:issue_updated", "jira:issue_deleted")
Doc = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One transition tried by a probe: ``problem`` empty when it worked, ``cannot`` when it
    could not be tried."""

    workflow: str
    transition: str
    problem: str = ""
    cannot: str = ""


@dataclass(frozen=True)
class Delivery:
    webhook: str
    problem: str = ""
    cannot: str = ""
    detail: str = ""


@dataclass
class ProbeFacts:
    steps: list[Step] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # probes that could not be deleted


@dataclass(frozen=True)
class Use:
    """Where a probe of a workflow is created: a project, an issue type that uses the workflow,
    and for a sub-task type, a standard type of the project for its probe parent."""

    project: str
    issue_type: Doc
    parent_type: Doc | None = None


def probe(client: JiraClient, desired: Snapshot) -> ProbeFacts:
    facts, probes = ProbeFacts(), list[str]()
    caller = str(client.get("/myself")["accountId"])
    workflows = {w["name"]: w for w in _workflows(client)}
    try:
        for name, use in sorted(_in_use(client, desired).items()):
            if name in workflows:
                key = _create_probe(client, use, caller, probes)
                facts.steps += Walker(client, workflows[name], key, caller).walk()
        facts.deliveries = _deliveries(client, desired, probes)
    finally:  # newest first: a sub-task before its parent
        facts.left = [k for k in reversed(probes) if not _delete(client, k)]
    return facts


def _create_probe(client: JiraClient, use: Use, caller: str, probes: list[str]) -> str:
    """The probe issue (after its probe parent, for a sub-task type); each key is added to
    ``probes`` as soon as it exists, so it is deleted whatever happens next."""
    parent = None
    if use.parent_type is not None:
        parent = _create(client, use.project, use.parent_type, caller)
        probes.append(parent)
    key = _create(client, use.project, use.issue_type, caller, parent)
    probes.append(key)
    return key


# -- what to walk ------------------------------------------------------------------------------
def _workflows(client: JiraClient) -> list[Doc]:
    """Each workflow with its transitions, status references resolved to status ids."""
    page = client.get("/workflows/search", {"expand": "values.transitions", "maxResults": 200})
    found: list[Doc] = list(page.get("values") or [])
    refs: dict[str, str] = {s["statusReference"]: str(s["id"]) for s in page.get("statuses") or []}
    while not page.get("isLast", True):
        page = client.get(
            "/workflows/search",
            {"expand": "values.transitions", "startAt": len(found), "maxResults": 200},
        )
        found += page.get("values") or []
        refs |= {s["statusReference"]: str(s["id"]) for s in page.get("statuses") or []}
    return [{**w, "refs": refs} for w in found]


def _in_use(client: JiraClient, desired: Snapshot) -> dict[str, Use]:
    """Workflow name -> where to probe it, for the commit's projects (the system workflow
    included): a standard issue type that uses it, else a sub-task type (with a standard type of
    the same project for the probe parent)."""
    keys = {r.address.key for r in desired.of_kind("project")}
    standard: dict[str, Use] = {}
    subtask: dict[str, Use] = {}
    for project in client.paged("/project/search", {"expand": "issueTypes"}):
        if project["key"] not in keys:
            continue
        scheme = _scheme_of(client, str(project["id"]))
        types = project.get("issueTypes") or []
        parent = _parent_type(types)
        for issue_type in types:
            name = (scheme.get("issueTypeMappings") or {}).get(str(issue_type["id"]))
            name = name or scheme.get("defaultWorkflow") or "jira"
            if not issue_type.get("subtask"):
                standard.setdefault(name, Use(str(project["id"]), issue_type))
            elif parent is not None:
                subtask.setdefault(name, Use(str(project["id"]), issue_type, parent))
    return subtask | standard


def _parent_type(types: list[Doc]) -> Doc | None:
    """A type a probe sub-task can sit under: a base level type (not an epic), else any
    standard type."""
    standard = [t for t in types if not t.get("subtask")]
    return next((t for t in standard if int(t.get("hierarchyLevel", 0)) == 0), None) or next(
        iter(standard), None
    )


def _scheme_of(client: JiraClient, project_id: str) -> Doc:
    answer = client.get("/workflowscheme/project", {"projectId": project_id})
    values = answer.get("values") or [{}]
    return dict(values[0].get("workflowScheme") or {})


# -- probes ------------------------------------------------------------------------------------
def _create(
    client: JiraClient, project: str, issue_type: Doc, caller: str, parent: str | None = None
) -> str:
    meta = client.paged(f"/issue/createmeta/{project}/issuetypes/{issue_type['id']}", key="fields")
    fields: Doc = {"project": {"id": project}, "issuetype": {"id": str(issue_type["id"])}}
    if parent is not None:
        fields["parent"] = {"key": parent}
    for item in meta:
        wanted = item.get("required") and not item.get("hasDefaultValue")
        if item["fieldId"] == "assignee" or (wanted and item["fieldId"] not in fields):
            fields[item["fieldId"]] = sample(item, caller)
    fields["summary"] = SUMMARY
    return str(client.post("/issue", {"fields": fields})["key"])


def _delete(client: JiraClient, key: str) -> bool:
    try:
        client.delete(f"/issue/{key}", params={"deleteSubtasks": "true"})
    except JiraApiError:
        return False
    return True


def sample(meta: Doc, caller: str) -> Any:
    """A value Jira accepts for a field, from its metadata (schema, allowed values)."""
    schema = meta.get("schema") or {}
    allowed = meta.get("allowedValues") or []
    if allowed:
        first = allowed[0]
        ref = {"id": str(first["id"])} if "id" in first else {"value": first.get("value")}
        return [ref] if schema.get("type") == "array" else ref
    if schema.get("system") in ("description", "environment") or "textarea" in str(
        schema.get("custom", "")
    ):
        return _adf(SUMMARY)
    values = {
        "number": 1,
        "date": "2024-01-01",
        "datetime": "2024-01-01T00:00:00.000+0000",
        "user": {"accountId": caller},
        "array": [{"accountId": caller}] if (schema.get("items") == "user") else ["jiracfg-probe"],
    }
    return values.get(str(schema.get("type")), SUMMARY)


def _adf(text: str) -> Doc:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


class Walker:
    """One probe issue walking every transition of one workflow."""

    def __init__(self, client: JiraClient, workflow: Doc, key: str, caller: str) -> None:
        self.client, self.workflow, self.key, self.caller = client, workflow, key, caller
        self.refs: dict[str, str] = workflow["refs"]
        self.moves = [t for t in workflow.get("transitions") or [] if t.get("type") != "INITIAL"]

    def walk(self) -> list[Step]:
        return [self._step(t) for t in sorted(self.moves, key=lambda t: str(t.get("id")))]

    def _step(self, t: Doc) -> Step:
        name = f"{t['name']!r} (id {t.get('id')})"
        path = self._path_to(t)
        if path is None:
            where = self._status()
            return Step(self.workflow["name"], name, cannot=f"no path from status {where} to it")
        for hop in path:
            problem = self._do(hop)
            if problem:
                reason = f"the probe could not reach it: {hop['name']!r}: {problem}"
                return Step(self.workflow["name"], name, cannot=reason)
        return Step(self.workflow["name"], name, problem=self._do(t))

    def _status(self) -> str:
        issue = self.client.get(f"/issue/{self.key}", {"fields": "status"})
        return str(issue["fields"]["status"]["id"])

    def _sources(self, t: Doc) -> set[str] | None:
        if t.get("type") == "GLOBAL":
            return None
        return {self.refs.get(lk["fromStatusReference"], "") for lk in t.get("links") or []}

    def _path_to(self, t: Doc) -> list[Doc] | None:
        """The transitions that take the probe into a status ``t`` leaves from (breadth first)."""
        start, sources = self._status(), self._sources(t)
        seen, queue = {start}, deque([(start, list[Doc]())])
        while queue:
            status, path = queue.popleft()
            if sources is None or status in sources:
                return path
            for hop in self.moves:
                target = self.refs.get(hop["toStatusReference"], "")
                hop_sources = self._sources(hop)
                if target not in seen and (hop_sources is None or status in hop_sources):
                    seen.add(target)
                    queue.append((target, [*path, hop]))
        return None

    def _do(self, t: Doc) -> str:
        """Do transition ``t``; what went wrong, or "" when the probe arrived at its target."""
        query = {"expand": "transitions.fields", "transitionId": str(t["id"])}
        offered = self.client.get(f"/issue/{self.key}/transitions", query).get("transitions")
        if not offered:
            return f"not offered to the probe in status {self._status()} (its conditions fail)"
        fields = self._fill(t, offered[0].get("fields") or {})
        try:
            body = {"transition": {"id": str(t["id"])}, "fields": fields}
            self.client.post(f"/issue/{self.key}/transitions", body)
        except JiraApiError as exc:
            return f"refused ({exc.status}): {describe_error_body(exc.body)}"
        arrived, wanted = self._status(), self.refs.get(t["toStatusReference"], "")
        return "" if arrived == wanted else f"arrived at status {arrived}, not {wanted}"

    def _fill(self, t: Doc, screen: Doc) -> Doc:
        """The screen's required fields and the validators' required fields (those not on the
        screen are set by an edit first)."""
        needed = {f for f, meta in screen.items() if meta.get("required")} | _required(t)
        on_screen = {f: sample(screen[f], self.caller) for f in needed if f in screen}
        elsewhere = [f for f in needed if f not in screen]
        if elsewhere:
            self._edit(elsewhere)
        return on_screen

    def _edit(self, wanted: list[str]) -> None:
        meta = self.client.get(f"/issue/{self.key}/editmeta").get("fields") or {}
        fields = {f: sample(meta[f], self.caller) for f in wanted if f in meta}
        if fields:
            self.client.put(f"/issue/{self.key}", {"fields": fields})


def _required(t: Doc) -> set[str]:
    found: set[str] = set()
    for rule in t.get("validators") or []:
        params = rule.get("parameters") or {}
        if params.get("ruleType") == "fieldRequired":
            found |= {f for f in str(params.get("fieldsRequired") or "").split(",") if f}
    return found


# -- webhook deliveries ------------------------------------------------------------------------
def _deliveries(client: JiraClient, desired: Snapshot, probes: list[str]) -> list[Delivery]:
    """For each enabled webhook of the commit subscribed to issue events: whether the site
    delivered a probe's event to it, correctly signed."""
    hooks = [
        r
        for r in desired.of_kind("webhook")
        if r.spec.get("enabled", True) and set(ISSUE_EVENTS) & set(r.spec.get("events") or [])
    ]
    if not hooks or not probes:
        return []
    try:
        recorded = client.get(DELIVERIES)
    except JiraApiError:
        reason = "the site does not show its deliveries (only the sandbox records them)"
        return [Delivery(r.address.key, cannot=reason) for r in hooks]
    ids = {
        h["name"]: str(h["self"]).rsplit("/", 1)[-1]
        for h in client.get("/rest/webhooks/1.0/webhook")
    }
    return [_delivery(client, r.address.key, r.spec, ids, recorded, probes) for r in hooks]


def _delivery(
    client: JiraClient,
    name: str,
    spec: Doc,
    ids: dict[str, str],
    recorded: list[Doc],
    probes: list[str],
) -> Delivery:
    matching = [k for k in probes if _matches(client, spec.get("jql") or "", k)]
    if not matching:
        return Delivery(name, cannot="no probe issue matches its JQL")
    mine = [d for d in recorded if d.get("webhookId") == ids.get(name)]
    got = [d for d in mine if any(f'"key": "{k}"' in d.get("body", "") for k in matching)]
    if not got:
        return Delivery(name, problem=f"no delivery of the events of probe {matching[0]}")
    return _signed(name, spec, got)


def _matches(client: JiraClient, jql: str, key: str) -> bool:
    query = f"key = {quote(key)}" + (f" AND ({jql})" if jql else "")
    try:
        answer = client.post("/search/approximate-count", {"jql": query})
    except JiraApiError:
        return False
    return int(answer.get("count", 0)) > 0


def _signed(name: str, spec: Doc, got: list[Doc]) -> Delivery:
    detail = f"{len(got)} probe event(s) delivered"
    secret = spec.get("secret")
    if not secret:
        return Delivery(name, detail=detail + " (no secret: unsigned)")
    value = os.environ.get(str(secret.get("env", "")))
    if not value:
        return Delivery(
            name, cannot=f"{secret.get('env')} is unset: the signature can't be checked"
        )
    bad = [d for d in got if d.get("headers", {}).get("X-Hub-Signature") != _signature(value, d)]
    if bad:
        return Delivery(name, problem=f"{len(bad)} of {len(got)} deliveries wrongly signed")
    return Delivery(name, detail=detail + ", correctly signed")


def _signature(secret: str, delivery: Doc) -> str:
    body = str(delivery.get("body", "")).encode()
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


__all__ = ["Delivery", "ProbeFacts", "Step", "probe", "sample"]

"""Fill in one issue after its create (or for an update): fields the create could not set, its
status (the planned walk of transitions, filling their screens from the issue's own values),
comments, worklogs, attachments, remote links, watchers, properties, its parent and its issue
links (every issue of the apply exists by then, so a parent or link to one made in the same apply
resolves).

Comments, worklogs and attachments are matched with the live ones by identity (``align``,
``fill_lists``: live ones the repo lacks deleted only with ``--prune``), remote links, watchers and
properties by value; only what differs is written. Comments and worklogs carry their original
author and times in their own ``jiracfg.origin`` property, set in the same request that creates
them; after a lost response the issue is read again and a create that did commit is not repeated.
Edits send ``notifyUsers=false``; worklogs ``adjustEstimate=leave`` (the file's estimate stands).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.align import LISTS
from jiracfg.data.blobs import BlobStore
from jiracfg.data.body import field_values
from jiracfg.data.catalog import Catalog
from jiracfg.data.fill_lists import ATTEMPTS, Lists, drop_none, maybe_committed
from jiracfg.data.issue import ORIGIN_PROPERTY, Spec
from jiracfg.data.known_ids import ListIds
from jiracfg.data.retype import IssueTypes, retype, walk_from
from jiracfg.errors import JiraApiError
from jiracfg.plan.model import Change

QUIET = {"notifyUsers": "false"}
LOST_FIELDS = "field values on neither the create nor the edit screen of the target"
LOST_ISSUE = "issue created/updated/resolved times and creator (kept in jiracfg.origin)"
LOST_CHANGELOG = "changelog entries (kept in jiracfg.origin)"
LOST_COMMENTS = "comment authors and times (kept in each comment's jiracfg.origin)"
LOST_WORKLOGS = "worklog authors and creation times (kept in each worklog's jiracfg.origin)"
LOST_ATTACHMENTS = "attachment authors and times (kept in the issue's jiracfg.origin)"


@dataclass
class Summary:
    """What the data part of an apply did, and what Jira's REST API could not restore."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    placeholders: int = 0
    comments: int = 0
    worklogs: int = 0
    attachments: int = 0
    links: int = 0
    keys_changed: dict[str, str] = field(default_factory=dict)
    not_restored: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, what: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, what, getattr(self, what) + n)

    def lost(self, what: str, n: int = 1) -> None:
        if n:
            with self._lock:
                self.not_restored[what] = self.not_restored.get(what, 0) + n


class Filler:
    def __init__(
        self,
        client: JiraClient,
        catalog: Catalog,
        store: BlobStore,
        summary: Summary,
        types: IssueTypes | None = None,
    ) -> None:
        self.client, self.catalog, self.store, self.summary = client, catalog, store, summary
        self.types = types or IssueTypes(client)
        self.lists = Lists(client, catalog, store, summary)
        self._transitions: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.me = str(client.get("/myself")["accountId"])
        self._autowatch: bool | None = None

    def fill(
        self,
        issue: str,
        spec: Spec,
        change: Change,
        *,
        new: bool,
        deferred: dict[str, Any] | None = None,
        retype: bool = False,
    ) -> ListIds:
        """Fill the issue in; the ids of the lists it converged (``Lists.converge``)."""
        base = f"/issue/{issue}"
        touched = set() if new else touched_keys(change)
        after = change.after or {}
        start, path = after.get("status_from"), after.get("status_path") or []
        if retype or "type" in touched:  # first: the type decides the workflow and screens
            start, path = self._retype(issue, spec, start, path)
        left_out = set(after.get("not_settable") or [])  # allowed losses (allow_data_loss)
        self.summary.lost(LOST_FIELDS, len(left_out))
        if deferred:
            self._deferred(base, {k: v for k, v in deferred.items() if k not in left_out})
        if touched & set(_FIELD_KEYS) or any(t.startswith("fields.") for t in touched):
            self._edit(base, spec, touched, left_out)
        self._walk(base, spec, start, path)
        lists: ListIds = {}
        for part, step in self._steps(prune=bool(after.get("prune"))):
            if (new and (spec.get(part) or part == "watchers")) or part in touched:
                found = step(base, spec, new)
                if part in LISTS:
                    lists[part] = found
        if (new and spec.get("links")) or "links" in touched:
            self._links(base, spec, new, prune=bool(after.get("prune")))
        self.summary.count("created" if new else "updated")
        self._count_lost(spec, new)
        return lists

    def _steps(
        self, prune: bool
    ) -> list[tuple[str, Callable[[str, Spec, bool], list[str] | None]]]:
        lists = [(p, partial(self.lists.converge, p, prune=prune)) for p in LISTS]
        return [
            *lists,
            ("remote_links", self._remote_links),
            ("watchers", self._watchers),
            ("properties", self._properties),
            ("parent", self._parent),
        ]

    # -- fields and status ---------------------------------------------------------------------
    def _deferred(self, base: str, values: dict[str, Any]) -> None:
        """Values the create screen does not take, set by an edit (counted when the edit screen
        refuses them too)."""
        parent = values.pop("parent", None)
        if not values:
            return
        try:
            self.client.put(base, {"fields": values}, QUIET)
        except JiraApiError as exc:
            if exc.status != 400:
                raise
            self.summary.lost(LOST_FIELDS, len(values))
        del parent  # the parent step sets it

    def _edit(self, base: str, spec: Spec, touched: set[str], left_out: set[str]) -> None:
        found = field_values(self.catalog, spec, touched)
        values = {k: v for k, v in found.items() if k not in left_out}
        if values:
            self.client.put(base, {"fields": values}, QUIET)

    def _retype(
        self, issue: str, spec: Spec, start: Any, path: list[list[str]]
    ) -> tuple[str, list[list[str]]]:
        """A sub-task created as a standard issue (its parent came later), or an issue whose file
        names another type: a bulk move inside its project (see ``retype``). The status walk
        goes on from the status the move left the issue in, read back."""
        retype(self.client, self.types, issue, spec)
        found = self.client.get(f"/issue/{issue}", {"fields": "status"}).get("fields") or {}
        status = str((found.get("status") or {}).get("name"))
        return status, walk_from(str(spec["key"]), start, status, path)

    def _parent(self, base: str, spec: Spec, new: bool) -> None:
        """The parent (a create sets it only when the parent was made first)."""
        parent = spec.get("parent")
        if not parent:
            return
        current = (self.client.get(base, {"fields": "parent"}).get("fields") or {}).get("parent")
        if (current or {}).get("key") != parent:
            self.client.put(base, {"fields": {"parent": {"key": parent}}}, QUIET)

    def _walk(self, base: str, spec: Spec, start: Any, path: list[list[str]]) -> None:
        """Move the issue along the planned transitions. A transition's id and screen are read
        once per project, issue type, status and name (they belong to the workflow), not once
        per issue."""
        current = str(start)
        for name, goal in path:
            where = (str(spec["key"]).rsplit("-", 1)[0], str(spec.get("type")), current, name)
            known = self._transitions.get(where)
            transition = known or self._offered(base, name, goal)
            try:
                self._move(base, spec, transition)
            except JiraApiError as exc:
                if known is None or exc.status != 400:
                    raise
                transition = self._offered(base, name, goal)  # the workflow changed: read again
                self._move(base, spec, transition)
            self._transitions[where] = transition
            current = goal

    def _offered(self, base: str, name: str, goal: str) -> dict[str, Any]:
        offered = self.client.get(f"{base}/transitions", {"expand": "transitions.fields"})
        choices = offered.get("transitions") or []
        found = [t for t in choices if (t.get("to") or {}).get("name") == goal]
        found = [t for t in found if t.get("name") == name] or found
        if not found:
            message = f"no transition to {goal!r} is offered (planned: {name!r})"
            raise JiraApiError("GET", f"{base}/transitions", 400, {"errorMessages": [message]})
        return dict(found[0])

    def _move(self, base: str, spec: Spec, transition: dict[str, Any]) -> None:
        body: dict[str, Any] = {"transition": {"id": str(transition["id"])}}
        screen = self._screen_values(transition, spec)
        if screen:
            body["fields"] = screen
        self.client.post(f"{base}/transitions", body)

    def _screen_values(self, transition: dict[str, Any], spec: Spec) -> dict[str, Any]:
        on_screen = set((transition.get("fields") or {}).keys())
        out: dict[str, Any] = {}
        if "resolution" in on_screen and spec.get("resolution"):
            out["resolution"] = {"name": spec["resolution"]}
        wanted = field_values(self.catalog, spec)
        out |= {k: v for k, v in wanted.items() if k in on_screen and k != "summary"}
        return out

    # -- links, watchers, properties ------------------------------------------------------------
    def _remote_links(self, base: str, spec: Spec, new: bool) -> None:
        live = [] if new else list(self.client.get(f"{base}/remotelink") or [])
        have = {_link_key(r) for r in live}
        for link in spec.get("remote_links") or []:
            if (link["url"], link["title"]) in have:
                continue
            body = drop_none(
                {
                    "globalId": link.get("global_id"),
                    "relationship": link.get("relationship"),
                    "object": {"url": link["url"], "title": link["title"]},
                }
            )
            self.client.post(f"{base}/remotelink", body)  # a globalId makes it an upsert

    def _links(self, base: str, spec: Spec, new: bool, prune: bool = False) -> None:
        """Issue links from this issue (run after every issue of the apply exists). Jira answers
        a request that duplicates a link with 201 and creates nothing, so a create whose answer
        was lost is simply sent again. Links the file does not list are deleted with --prune
        only."""
        live = [] if new else self._live_links(base)
        have = {(kind, key) for kind, key, _ in live}
        for link in spec.get("links") or []:
            if (link["type"], link["issue"]) not in have:
                self._link(base, str(link["type"]), str(link["issue"]))
                self.summary.count("links")
        wanted = {(str(i["type"]), str(i["issue"])) for i in spec.get("links") or []}
        for kind, key, link_id in live:
            if prune and (kind, key) not in wanted:
                self.client.delete(f"/issueLink/{link_id}")

    def _live_links(self, base: str) -> list[tuple[str, str, str]]:
        found = self.client.get(base, {"fields": "issuelinks"}).get("fields") or {}
        return [
            (str(link["type"]["name"]), str(link["outwardIssue"]["key"]), str(link["id"]))
            for link in found.get("issuelinks") or []
            if link.get("outwardIssue")
        ]

    def _link(self, base: str, kind: str, other: str) -> None:
        """ "<this issue> <outward text> <other>" ("ENG-1 blocks OPS-2"). Counter-intuitively,
        ``POST /issueLink`` takes the issue the *outward* text reads from as ``inwardIssue``
        (Jira then lists the other one as ``outwardIssue`` in this issue's ``issuelinks``, which
        is how export reads it): Atlassian's "Jira issue linking model" guide
        (developer.atlassian.com/cloud/jira/platform/issue-linking-model) and reports checked on
        Jira Cloud (mozilla/jira-bugzilla-integration PR 1285: "inwardIssue as the blocker";
        atlassian/atlassian-mcp-server issue 112; iloom-ai/iloom-cli issue 617)."""
        source = base.rsplit("/", 1)[1]
        body = {"type": {"name": kind}, "inwardIssue": {"id": source}}
        for attempt in range(ATTEMPTS):
            try:
                self.client.post("/issueLink", {**body, "outwardIssue": {"key": other}})
                return
            except JiraApiError as exc:
                if not maybe_committed(exc) or attempt == ATTEMPTS - 1:
                    raise

    def _watchers(self, base: str, spec: Spec, new: bool) -> None:
        """Jira makes the creator watch a new issue when the creator's profile says so: read
        once, on the first new issue, then known for every other."""
        if new and self._autowatch is not None:
            have = {self.me} if self._autowatch else set()
        else:
            live = self.client.get(f"{base}/watchers").get("watchers") or []
            have = {str(w["accountId"]) for w in live if w.get("accountId")}
            if new:
                self._autowatch = self.me in have
        wanted = {self.catalog.account_id(str(w)) for w in spec.get("watchers") or []}
        for account in sorted(wanted - have):
            self.client.post(f"{base}/watchers", account)
        for account in sorted(have - wanted):
            self.client.delete(f"{base}/watchers", {"accountId": account})

    def _properties(self, base: str, spec: Spec, new: bool) -> None:
        wanted = spec.get("properties") or {}
        for key in sorted(wanted):
            if not new:
                try:
                    if self.client.get(f"{base}/properties/{key}").get("value") == wanted[key]:
                        continue
                except JiraApiError:
                    pass
            self.client.put(f"{base}/properties/{key}", wanted[key])

    def _count_lost(self, spec: Spec, new: bool) -> None:
        """What REST cannot set, kept in ``jiracfg.origin`` properties instead (new issues)."""
        if not new:
            return
        origin = spec.get("origin") or {}
        for what, items in (
            (LOST_ISSUE, [spec]),
            (LOST_CHANGELOG, origin.get("changelog") or []),
            (LOST_COMMENTS, spec.get("comments") or []),
            (LOST_WORKLOGS, spec.get("worklogs") or []),
            (LOST_ATTACHMENTS, spec.get("attachments") or []),
        ):
            self.summary.lost(what, len(items))


_FIELD_KEYS = (
    "summary",
    "priority",
    "reporter",
    "assignee",
    "labels",
    "components",
    "affects_versions",
    "fix_versions",
    "due",
    "estimate",
    "description",
    "environment",
)


def touched_keys(change: Change) -> set[str]:
    """Top-level spec keys (``fields.<name>`` for custom fields) the plan found changed."""
    out: set[str] = set()
    for item in change.fields:
        if not item.path:  # the whole issue differs (a create whose fill was cut short)
            found = {**(item.before or {}), **(item.after or {})}
            out |= set(found) | {f"fields.{k}" for k in found.get("fields") or {}}
            continue
        head, _, rest = item.path.partition(".")
        head = head.split("[")[0].split(" ")[0]
        if head == "fields" and rest:
            out.add("fields." + rest.split(".")[0].split("[")[0])
        out.add(head)
    return out


def _link_key(raw: dict[str, Any]) -> tuple[Any, Any]:
    found = raw.get("object") or {}
    return found.get("url"), found.get("title")


__all__ = ["ORIGIN_PROPERTY", "Filler", "Summary"]

"""The JQL names jiracfg knows: Jira's system fields, the custom fields with a clause name of their
own, and which clauses' values name objects (filters, sprints, users...)."""

from __future__ import annotations

import re

SYSTEM_FIELDS = frozenset(
    [
        "affectedversion",
        "approvals",
        "assignee",
        "attachments",
        "category",
        "comment",
        "component",
        "created",
        "createddate",
        "creator",
        "description",
        "due",
        "duedate",
        "environment",
        "epiclink",
        "filter",
        "fixversion",
        "hierarchylevel",
        "id",
        "issue",
        "issuekey",
        "issuelink",
        "issuetype",
        "key",
        "labels",
        "lastviewed",
        "level",
        "originalestimate",
        "parent",
        "parentproject",
        "priority",
        "project",
        "projecttype",
        "reporter",
        "remainingestimate",
        "request",  # filter's aliases: request, savedFilter, searchRequest
        "request-channel-type",
        "savedfilter",
        "searchrequest",
        "resolution",
        "resolutiondate",
        "resolved",
        "sla",
        "sprint",
        "status",
        "statuscategory",
        "statuscategorychangeddate",
        "summary",
        "text",
        "timeoriginalestimate",
        "timespent",
        "timeestimate",
        "type",
        "updated",
        "updateddate",
        "voter",
        "votes",
        "watcher",
        "watchers",
        "worklogauthor",
        "worklogcomment",
        "worklogdate",
        "workratio",
        "rank",
    ]
) | {"epic link", "epic name", "parent link", "team", "flagged"}


# custom fields of Jira Software with a JQL name of their own (``sprint = 42`` is not rewritten
# to ``cf[10020]``: its values stay readable as sprints)
OWN_CLAUSES = frozenset(["sprint", "rank"])

FILTER_FIELDS = ("filter", "request", "savedfilter", "searchrequest")
ISSUE_FIELDS = ("parent", "issue", "issuekey", "key", "id")  # by key in YAML; Jira takes both
ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]*-\d+")
USER_FIELDS = ("assignee", "reporter", "creator", "watcher", "watchers", "voter", "worklogauthor")
VALUE_KINDS: dict[str, str] = {
    **dict.fromkeys(FILTER_FIELDS, "filter"),
    **dict.fromkeys((*USER_FIELDS, "by"), "user"),
    "sprint": "sprint",
    "project": "project",
    "status": "status",
    "issuetype": "issue_type",
    "type": "issue_type",
    "priority": "priority",
    "resolution": "resolution",
    "fixversion": "version",
    "affectedversion": "version",
    "component": "component",
    **dict.fromkeys(ISSUE_FIELDS, "issue"),
}
BY_KEY = ("filter", "sprint")  # named by their repo key in YAML, written as the target's ids
BARE_VALUE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

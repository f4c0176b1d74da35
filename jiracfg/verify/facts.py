"""The facts verify's checks read, gathered over REST before they run (the checks stay pure):
which apps are enabled (UPM), and issue counts when the repo manages data (streamed from the
issue files, one at a time; JQL approximate counts on the site)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jiracfg import journal
from jiracfg.apps import ADAPTERS, Adapter, Probe
from jiracfg.client import JiraClient
from jiracfg.data.layout import projects_on_disk
from jiracfg.data.plan import desired_issues
from jiracfg.data.settings import data_settings
from jiracfg.errors import JiraApiError
from jiracfg.kinds._jql import quote as quote_value
from jiracfg.kinds.app_property import PLUGINS
from jiracfg.model import Snapshot, Spec
from jiracfg.plan.facts import count_issues
from jiracfg.verify.audit import TOLERANCE_MS
from jiracfg.verify.dropdown_options import OPTION_TYPES
from jiracfg.verify.model import (
    AppObservation,
    AuditFacts,
    Counts,
    IssueCounts,
    LinkFacts,
    Menus,
)

AUDIT_PAGE = 1000  # Jira's cap on /auditing/record's limit


def apps_enabled(client: JiraClient) -> dict[str, bool]:
    plugins = client.get(PLUGINS).get("plugins", [])
    return {p["key"]: bool(p.get("enabled", True)) for p in plugins if p.get("userInstalled")}


def app_observations(
    client: JiraClient, desired: Snapshot, enabled: dict[str, bool], deep: bool
) -> list[AppObservation]:
    """What each adapter probe of the commit's apps saw (an app not installed and enabled is not
    observed: its probes are a cannot)."""
    return [
        _observe(client, spec, probe)
        if enabled.get(str(spec.get("app")))
        else AppObservation(probe.name, spec, probe.judge)
        for spec, probe in probes_to_run(desired, deep)
    ]


def probes_to_run(
    desired: Snapshot, deep: bool, adapters: dict[str, Adapter] = ADAPTERS
) -> list[tuple[Spec, Probe]]:
    """The adapter probes of each app of the commit; those that write only with ``deep``."""
    return [
        (r.spec, probe)
        for r in desired.of_kind("app_property")
        for probe in adapters.get(str(r.spec.get("app")), Adapter("")).probes
        if deep or not probe.writes
    ]


def _observe(client: JiraClient, spec: Spec, probe: Probe) -> AppObservation:
    try:
        seen = probe.observe(client, spec)
    except JiraApiError as exc:
        if exc.status == 403:
            return AppObservation(probe.name, spec, probe.judge, refused=str(exc))
        return AppObservation(probe.name, spec, probe.judge, error=str(exc))
    return AppObservation(probe.name, spec, probe.judge, seen)


def audit_facts(client: JiraClient, path: Path, source: dict[str, str]) -> AuditFacts:
    """The journal's applies of the verified commit to this site, and the site's audit records
    since the first of them began."""
    every = journal.applies(path, source.get("site", ""), None)
    found = [a for a in every if a.get("commit") == source.get("commit", "")]
    others = [a for a in every if a not in found]
    if not found:
        return AuditFacts(str(path), [], None)
    try:
        records = audit_records(client, found[0]["started_ms"] - TOLERANCE_MS)
    except JiraApiError as exc:  # 403: all products on free plans have no audit log
        unreadable = f"the site's audit log can't be read: {exc}"
        return AuditFacts(str(path), found, None, unreadable, others)
    return AuditFacts(str(path), found, records, others=others)


def audit_records(client: JiraClient, since_ms: int) -> list[dict[str, Any]]:
    """Every audit record created since ``since_ms`` (pages of Jira's 1,000, newest first)."""
    since = datetime.fromtimestamp(since_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    params: dict[str, Any] = {"from": since[:-3] + "+0000", "limit": AUDIT_PAGE, "offset": 0}
    records: list[dict[str, Any]] = []
    while True:
        page = client.get("/auditing/record", params)
        records += page.get("records") or []
        params["offset"] = len(records)
        if not page.get("records") or len(records) >= int(page.get("total", 0)):
            return records


def create_menus(client: JiraClient, desired: Snapshot) -> Menus:
    """What create metadata offers, for each project of the commit, issue type and option field
    of the commit: (project key, issue type name, field name) -> the enabled options (values,
    children as ``[value, [children]]``) and the default, as the field context specs hold them."""
    kinds = {r.spec.get("name"): r.spec.get("type") for r in desired.of_kind("custom_field")}
    wanted = {name: kind for name, kind in kinds.items() if kind in OPTION_TYPES}
    projects = sorted(r.address.key for r in desired.of_kind("project"))
    pairs = [
        (p, str(t["id"]), str(t["name"]))
        for p in projects
        for t in client.paged(f"/issue/createmeta/{p}/issuetypes", key="issueTypes")
    ]
    metas = client.map(
        lambda pair: list(
            client.paged(f"/issue/createmeta/{pair[0]}/issuetypes/{pair[1]}", key="fields")
        ),
        pairs,
    )
    menus: Menus = {}
    for (project, _, type_name), fields in zip(pairs, metas, strict=True):
        for m in fields:
            if m.get("name") in wanted and "allowedValues" in m:
                menu = {"options": menu_options(m["allowedValues"])}
                menu["default"] = menu_default(m.get("defaultValue"), wanted[m["name"]])
                menus[(project, type_name, str(m["name"]))] = menu
    return menus


def menu_options(allowed: list[dict[str, Any]]) -> list[Any]:
    return [
        [a["value"], menu_options(a["children"])] if a.get("children") else a["value"]
        for a in allowed
    ]


def menu_default(value: Any, kind: Any) -> Any:
    if not value:
        return None
    if isinstance(value, list):
        return [v.get("value") for v in value]
    if kind == "cascadingselect":
        child = value.get("child")
        return [value.get("value"), *([child.get("value")] if child else [])]
    return value.get("value")


def issue_counts(client: JiraClient, root: Path, settings: dict[str, Any]) -> IssueCounts | None:
    managed = data_settings(settings, root)
    if managed is None:
        return None
    on_disk = [p for p in projects_on_disk(root) if managed.manages(p)]
    projects = sorted(set(on_disk) | set(managed.projects or ()))
    repo: Counts = Counter()
    for project in projects:
        for _, spec in desired_issues(root, project):
            repo[(project, str(spec.get("type")), str(spec.get("status")))] += 1
    triples = list(repo)
    found = client.map(lambda k: count_issues(client, _jql(*k)), triples)
    site = dict(zip(triples, found, strict=True))
    totals = {p: count_issues(client, f"project = {quote_value(p)}") for p in projects}
    repo_totals = {p: sum(n for k, n in repo.items() if k[0] == p) for p in projects}
    return IssueCounts(dict(repo), site, repo_totals, totals)


def _jql(project: str, issue_type: str, status: str) -> str:
    return (
        f"project = {quote_value(project)} AND issuetype = {quote_value(issue_type)}"
        f" AND status = {quote_value(status)}"
    )


def issue_links(client: JiraClient, root: Path, settings: dict[str, Any]) -> LinkFacts | None:
    """Links and parents of the repo's issue files, and of the managed projects on the site."""
    from jiracfg.data.links import repo_relations, site_relations

    managed = data_settings(settings, root)
    if managed is None:
        return None
    projects = [p for p in projects_on_disk(root) if managed.manages(p)]
    specs = (spec for project in projects for _, spec in desired_issues(root, project))
    return LinkFacts(repo_relations(specs), site_relations(client, projects))

"""JQL values that name objects: by the repo's names in YAML, by the target's ids at apply.

A clause's value may name a filter (fields ``filter``, ``request``, ``savedFilter``,
``searchRequest``), a sprint (``sprint``), a user (``assignee``, ``reporter``, ``creator``,
``watcher``, ``voter``, ``worklogAuthor``, and the value after ``BY`` in ``WAS``/``CHANGED``), a
project, a status, an issue type, a priority or a resolution. Jira takes each by its id (users by
account id) or by its name, and ids differ from site to site, so:

- export (``SiteNames``, run once every kind is fetched: ``jiracfg.fetch``) writes a value that is
  an id of the site as the repo names the object: a filter by its key (its name, or its alias for
  namesakes), a sprint by its key ``<board>/<sprint>``, a user by email, a project by key, a status,
  issue type, priority, resolution, version (``fixVersion``, ``affectedVersion``) or component by
  name (a version or component name matches that name in every project, as Jira reads it), a
  name of digits quoted (Jira reads a bare number as an id: ``fixVersion = "2024"``), an issue
  (``parent``, ``issue``, ``issuekey``, ``key``, ``id``) by its key, read from the site once per
  id (a rebuild keeps keys). An id
  the site does not have stays (validate then refuses it);
- apply (``site_values``) writes filters and sprints as the target's ids and users (emails) as
  account ids; projects, statuses and the rest go by key or name, which any site takes;
- validate refuses bare numbers (site ids; a quoted one is a name) and filters or sprints the
  repo does not have (``_jql.value_problems``, with a "did you mean"), and the plan checks that the
  users exist on the target (``referenced_users_exist``).

Functions (``currentUser()``, ``openSprints()``, ``membersOf("x")``) and ``EMPTY`` are never
rewritten.
"""

from __future__ import annotations

from dataclasses import replace as replaced

from jiracfg.errors import NotFoundError, UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, FetchContext
from jiracfg.kinds._jql import VALUE_KINDS, rewrite_values
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.model import Resource

NAMED_KINDS = frozenset(VALUE_KINDS.values()) - {"user"}


class SiteNames:
    """The fetched site's objects by id, as the repo names them (users read on first need)."""

    def __init__(self, ctx: FetchContext) -> None:
        self.ctx = ctx
        self.names = {
            (r.address.kind, str(r.id)): r.address.key
            for r in ctx.live
            if r.id is not None and r.address.kind in NAMED_KINDS
        }
        for project in ctx.live.of_kind("project"):  # a project's parts, by their id
            for part in ("version", "component"):
                ids = project.meta.get(part + "s") or {}
                self.names |= {(part, str(i)): str(name) for name, i in ids.items()}

    def resource(self, resource: Resource, fields: tuple[str, ...]) -> Resource:
        """``resource`` with the ids its JQL ``fields`` name written as names."""
        spec = resource.spec
        jql = {f: self.named(spec[f]) for f in fields if isinstance(spec.get(f), str)}
        if all(spec[f] == text for f, text in jql.items()):
            return resource
        return replaced(resource, spec={**spec, **jql})

    def named(self, jql: str) -> str:
        return rewrite_values(jql, self._name)

    def _name(self, kind: str, text: str) -> str | None:
        if kind == "user":
            return Directory.of(self.ctx).emails().get(text) or None
        if kind == "issue":
            return self._issue_key(text) if text.isdigit() else None
        return self.names.get((kind, text))

    def _issue_key(self, issue_id: str) -> str | None:
        """The key of the issue with this id, read from the site once (None: no such issue)."""
        if ("issue", issue_id) not in self.names:
            try:
                found = self.ctx.client.get(f"/issue/{issue_id}", {"fields": "key"})
                self.names["issue", issue_id] = str(found["key"])
            except NotFoundError:
                self.names["issue", issue_id] = ""
        return self.names["issue", issue_id] or None


def site_values(ctx: ApplyContext, jql: str, where: str) -> str:
    """``jql`` with the filters and sprints it names as the target's ids and its users (by
    email) as account ids."""
    return rewrite_values(jql, lambda kind, text: _site_value(ctx, kind, text, where), True)


def _site_value(ctx: ApplyContext, kind: str, text: str, where: str) -> str | None:
    if kind == "user":
        return for_apply(ctx).account_id(text) if "@" in text else None
    if kind not in ("filter", "sprint"):
        return None
    found = ctx.maybe_id_of(kind, text)
    if found is None:
        raise UnresolvedReferenceError(
            f"{where}: the JQL names the {kind} {text!r}, which the target does not have",
            hint=f"add it to the repo (a {kind} is written before the JQL that names it)",
        )
    return found

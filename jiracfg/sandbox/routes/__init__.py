"""Explicit registry of the sandbox's route areas; each module exposes ROUTES and seed_empty().

An area may span sibling modules (``workflowscheme_*``, ``issue_*``): the functions below live in
the area's main module, which its siblings import directly. ``AREAS`` keeps route order: a module
with literal paths (``/workflowscheme/project``) comes before one whose ``{id}`` would match them.

Areas talk to each other only through the plain functions listed here (``peer(module, name)`` in
``http.py`` finds them, and answers None while a module or function is missing). Every function
takes the store first; ids are strings; a missing object is None, never an exception.

statuses
  ``get_status(db, id) -> doc|None``; ``all_statuses(db) -> list[doc]``;
  ``status_category_of(db, status_id) -> "TODO"|"IN_PROGRESS"|"DONE"``
workflows
  ``get_workflow(db, id) -> doc|None``; ``workflow_by_name(db, name) -> doc|None`` (docs carry
  ``id``, ``name``); ``workflow_status_ids(db, name) -> list[str]``;
  ``initial_status_id(db, name) -> str``; ``transitions_from(db, name, status_id) ->
  list[{"id": str, "name": str, "to": status_id}]``; ``status_in_use(db, status_id) -> bool``;
  ``screen_in_use_by_workflow(db, screen_id) -> bool``; ``DEFAULT_WORKFLOW = "jira"``
workflowschemes (siblings ``workflowscheme_drafts``, ``_updates``, ``_projects``)
  ``workflow_scheme_of_project(db, project_id) -> doc``; ``workflow_name_for(db, project_id,
  issue_type_id) -> str``; ``assign_workflow_scheme(db, project_id, scheme_id|None)`` (None: the
  default scheme); ``workflow_in_use(db, workflow_name) -> bool`` (by any scheme or draft);
  ``forget_project(db, project_id)``; ``forget_issue_type(db, id)``
fields
  ``get_field(db, id) -> doc|None`` (``{id, name, custom, schema, ...}``, system fields too);
  ``all_fields(db) -> list[doc]``; ``get_option(db, option_id) -> doc|None``;
  ``field_options(db, field_id) -> list[doc]`` (every context's options);
  ``forget_project(db, project_id)``; ``forget_issue_type(db, id)`` (contexts, options and
  defaults are served by ``fieldcontexts``, which exports nothing)
fieldconfigs
  ``assign_field_configuration_scheme(db, project_id, scheme_id|None)``;
  ``forget_field(db, field_id)``; ``forget_project(db, project_id)``; ``forget_issue_type(db, id)``
basics
  ``get_priority(db, id)``, ``default_priority_id(db)``, ``get_resolution(db, id)``,
  ``get_link_type(db, id)`` -> doc|None
permissions
  ``assign_permission_scheme(db, project_id, scheme_id|None)``;
  ``assign_notification_scheme(db, project_id, scheme_id|None)``; ``forget_project(db, id)``;
  ``role_in_use(db, role_id) -> bool``; ``replace_role(db, old_id, new_id)`` (roles: delete with
  swap moves grants and notifications)
groups
  ``DEFAULT_GROUPS`` (the groups every new site has; they can't be deleted); a deleted group is
  dropped by every ``forget_group(db, group_id)`` (permissions, issuesecurity)
issuesecurity
  ``get_security_scheme(db, id) -> doc|None``; ``assign_security_scheme(db, project_id,
  scheme_id|None)``; ``forget_project(db, id)``; ``forget_group(db, group_id)``
priorityschemes
  ``priority_in_schemes(db, priority_id) -> bool`` (a priority of a non-default scheme can't be
  deleted); ``project_priorities(db, project_id) -> (ids, default id)`` (what issues of the
  project may have); ``forget_priority(db, id)``; ``forget_project(db, id)``
roles
  ``get_role(db, id) -> doc|None``; ``init_project_roles(db, project_id, lead_account_id)`` (a new
  project's actors from the roles' defaults); ``forget_project(db, project_id)``
projects
  ``get_project(db, id) -> doc|None``; ``project_by_key_or_id(db, key_or_id) -> doc|None``
  (docs carry ``id``, ``key``, ``name``, ``projectTypeKey``); ``all_projects(db) -> list[doc]``
components, versions (a project's sub-resources; their collections are dropped with the project)
  ``component_beans(request, db, project_id)``, ``version_beans(request, db, project_id)`` (for
  the project bean)
issuetypes (built), screens (built)
  see their module docstrings (``assign_issue_type_scheme``, ``assign_screen_scheme``, ...)
issues (siblings ``issue_transitions``, ``issue_comments``, ``issue_worklogs``,
``issue_attachments``, ``issue_changelog``, ``issue_createmeta``, ``issue_extras``,
``issue_links``, ``issue_bulk``, ``issue_move``, ``issue_search``; shared helpers in
``_issue_values``, ``_issue_beans``, ``_issue_children`` (comments and worklogs),
``_issue_history``, ``_entity_properties``)
  ``count_issues(db, project_id=None, issue_type_id=None, status_id=None, field_id=None,
  option_id=None, priority_id=None, resolution_id=None) -> int``;
  ``retype_issues(db, old_type_id, new_type_id)``; ``move_statuses(db, project_id, issue_type_id,
  {old_status_id: new_status_id})``; ``delete_project_issues(db, project_id)``;
  ``clear_option(db, field_id, option_id, replacement_id|None)``
webhooks
  ``deliver(db, event, payload) -> int`` (record what Jira would POST for ``event`` to every
  enabled admin webhook subscribed to it, signed with its secret; ``payload`` like
  ``{"issue": {...}, "user": {...}, "changelog": {...}}``; returns the number recorded).
  Optional from issues: ``issue_matches(db, issue_id, jql) -> bool`` for webhook JQL filters.
  ``subscribed(db, event) -> bool``: whether any enabled webhook listens (issues then skip the
  payload).
dashboards
  ``forget_group(db, group_id)`` (gadgets and their item properties are the dashboard's)
filters
  ``get_filter(db, id) -> doc|None`` (``{id, name, jql, owner, share, edit}``);
  ``forget_group(db, group_id)``
agile (sibling ``agile_sprints``; rank strings in ``_rank``)
  ``initial_rank(db, issue_doc)`` (issues: a new issue ranks last); ``sprint_field(request,
  issue_doc)`` (issue beans: the Sprint field's sprints)
apps
  ``seed_demo_apps(db)`` (the demo seed's two installed apps, shared secrets in ``DEMO_APPS``);
  ``app_account(db, token, method, path, query) -> account id|None`` (for the auth middleware:
  the installed app whose Connect JWT signed this request);
  ``time_tracking_providers(db) -> list[{key, name}]`` (the enabled apps' time tracking modules).

auditing
  the audit log (``GET /auditing/record``); its records are written by ``sandbox/audit.py``'s
  middleware from the store's journal of each request, so no route writes them.

A project's create calls every ``assign_*`` (and ``init_project_roles``); its delete calls every
``forget_project``, so an area needs nothing from projects but ``get_project``.
"""

from __future__ import annotations

from types import ModuleType

from jiracfg.sandbox import tasks
from jiracfg.sandbox.routes import (
    agile,
    agile_sprints,
    apps,
    auditing,
    basics,
    components,
    core,
    dashboards,
    fieldconfigs,
    fieldcontexts,
    fields,
    filters,
    groups,
    issue_attachments,
    issue_bulk,
    issue_changelog,
    issue_comments,
    issue_createmeta,
    issue_extras,
    issue_links,
    issue_move,
    issue_search,
    issue_transitions,
    issue_worklogs,
    issues,
    issuesecurity,
    issuetypes,
    mypermissions,
    permissions,
    priorityschemes,
    projects,
    roles,
    screens,
    statuses,
    timetracking,
    versions,
    webhooks,
    workflows,
    workflowscheme_drafts,
    workflowscheme_projects,
    workflowscheme_updates,
    workflowschemes,
)

AREAS: list[ModuleType] = [
    core,
    groups,
    statuses,
    workflows,
    workflowscheme_updates,
    workflowscheme_projects,
    workflowschemes,
    workflowscheme_drafts,
    issuetypes,
    screens,
    fields,
    fieldcontexts,
    fieldconfigs,
    basics,
    permissions,
    issuesecurity,
    priorityschemes,
    roles,
    projects,
    components,
    versions,
    issue_createmeta,
    issues,
    issue_transitions,
    issue_comments,
    issue_worklogs,
    issue_attachments,
    issue_changelog,
    issue_extras,
    issue_links,
    issue_bulk,
    issue_move,
    mypermissions,
    issue_search,
    webhooks,
    apps,
    timetracking,
    auditing,
    filters,
    dashboards,
    agile,
    agile_sprints,
]

TASK_ROUTES = tasks.ROUTES

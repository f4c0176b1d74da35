"""What several route areas need from projects and issues, reached through ``peer`` (falls back
while the other area is missing), and the shapes of their project association endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from starlette.requests import Request

from jiracfg.sandbox.http import ApiError, base, list_param, page, peer, require
from jiracfg.sandbox.store import Doc, Store

K = TypeVar("K")


def child_of(
    db: Store, coll: str, child_id: Any, parent_id: str, missing: str, status: int = 404
) -> Doc:
    """The ``coll`` doc ``child_id`` when it belongs to ``parent_id`` (a scheme's grant, a level's
    member...); ``status`` with ``missing`` otherwise."""
    doc = db.get(coll, str(child_id))
    if doc is None or db.parent_of(coll, str(child_id)) != parent_id:
        raise ApiError(status, missing)
    return doc


def insert_children(db: Store, coll: str, docs: Iterable[Doc], parent_id: str) -> None:
    """Insert ``docs`` into ``coll`` under ``parent_id`` in one transaction (new holders)."""
    with db.tx():
        for doc in docs:
            db.insert(coll, doc, parent=parent_id)


def count_issues(db: Store, **where: Any) -> int:
    """``issues.count_issues``; 0 while that area is missing."""
    fn = peer("issues", "count_issues")
    return int(fn(db, **where)) if fn else 0


def project_exists(db: Store, project_id: str) -> bool:
    fn = peer("projects", "get_project")
    return True if fn is None else fn(db, project_id) is not None


def require_project(db: Store, project_id: str) -> None:
    if not project_exists(db, project_id):
        raise ApiError(404, f"No project could be found with id '{project_id}'.")


def project_ids(request: Request) -> list[str]:
    """The repeated ``projectId`` query parameter: at least one, all numbers (else 400)."""
    wanted = list_param(request, "projectId")
    require(bool(wanted), 400, "The projectId must be provided.", "projectId")
    require(all(p.isdigit() for p in wanted), 400, "The projectId must be a number.", "projectId")
    return wanted


def group_by_scheme(
    project_ids: Iterable[str], scheme_of: Callable[[str], K]
) -> dict[K, list[str]]:
    """Project ids grouped by the scheme each uses (``GET /<scheme>/project`` answers so)."""
    groups: dict[K, list[str]] = {}
    for project_id in project_ids:
        groups.setdefault(scheme_of(project_id), []).append(project_id)
    return groups


def schemes_page(
    request: Request,
    key: str,
    scheme_of: Callable[[str], str],
    bean: Callable[[str], dict[str, Any]],
) -> dict[str, Any]:
    """The PageBean of ``{key: scheme bean, projectIds}`` for the ``projectId`` parameters."""
    groups = group_by_scheme(project_ids(request), scheme_of)
    return page(request, [{key: bean(s), "projectIds": p} for s, p in groups.items()])


def project_details(request: Request, db: Store, project_id: str) -> dict[str, Any]:
    """Jira's ProjectDetails bean (``GET /<scheme>/{id}/project``)."""
    get_project = peer("projects", "get_project")
    project = (get_project(db, project_id) if get_project else None) or {}
    details = {
        "id": project_id,
        "self": f"{base(request)}/rest/api/3/project/{project_id}",
        "key": project.get("key"),
        "name": project.get("name"),
        "projectTypeKey": project.get("projectTypeKey"),
        "simplified": False,
    }
    return {k: v for k, v in details.items() if v is not None}

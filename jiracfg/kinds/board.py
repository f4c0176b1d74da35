"""board: a Jira Software board (``/rest/agile/1.0/board``), scrum or kanban, on a filter.

Spec: ``{name, alias?, type: scrum|kanban, filter, location?: project key, columns?: [{name,
statuses: [names], min?, max?}]}``; its sprints are nested in its file (see ``sprint``).

Jira's Agile REST API creates and deletes boards but changes nothing on them: no rename, no new
filter, type or location, and no call at all for the column configuration. So a new ``type``,
``filter`` or ``location`` replaces the board (a plan check refuses that while the board has
sprints, which would be left behind), a declared rename stops the plan, and ``columns`` are
read-only: export writes them, the plan compares the repo's with the site's and warns, naming the
board, when they differ (``board_columns_match``), and a created board gets Jira's default
columns. A site without Jira Software (the Agile API answers 403) has no boards. Board names are
not unique: the second and later boards (by id) sharing a name get the
key ``alias: "<name> (<n>)"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.errors import JiraApiError
from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, SortKey, by_text, drop_empty
from jiracfg.model import Address, Resource, Spec

AGILE = "/rest/agile/1.0"


def namesake_keys(items: list[dict[str, Any]]) -> list[str]:
    """Keys of objects listed in id order: the name, ``"<name> (<n>)"`` for later namesakes."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        folded = str(item["name"]).casefold()
        seen[folded] = count = seen.get(folded, 0) + 1
        keys.append(str(item["name"]) if count == 1 else f"{item['name']} ({count})")
    return keys


class BoardKind(Kind):
    name = "board"
    folder = "boards"
    audited = False  # Jira's audit log does not record them (see sandbox/audit.py)
    depends_on = ("filter", "project", "status")
    replace_on = ("type", "filter", "location")
    unordered: ClassVar[dict[str, SortKey]] = {"columns[].statuses": by_text}

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield Address("filter", spec["filter"])
        if spec.get("location"):
            yield Address("project", spec["location"])
        for column in spec.get("columns") or []:
            yield from (Address("status", s) for s in column.get("statuses") or [])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        try:
            boards = sorted(ctx.client.paged(f"{AGILE}/board"), key=lambda b: int(b["id"]))
        except JiraApiError as exc:
            if exc.status != 403:
                raise
            return  # Jira answers 403 to the Agile API on a site without Jira Software
        configs = ctx.client.map(lambda b: self._config(ctx, b), boards)
        for board, key, config in zip(boards, namesake_keys(boards), configs, strict=True):
            spec = self.spec_of(ctx, board, config)
            if key != board["name"]:
                spec["alias"] = key
            yield self.resource(spec, id=str(board["id"]), duplicate_name=key != board["name"])

    def _config(self, ctx: FetchContext, board: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = ctx.client.get(f"{AGILE}/board/{board['id']}/configuration")
        return found

    def spec_of(self, ctx: FetchContext, board: dict[str, Any], config: dict[str, Any]) -> Spec:
        location = board.get("location") or {}
        filter_id = (config.get("filter") or {}).get("id")
        return drop_empty(
            {
                "name": board["name"],
                "type": board["type"],
                "filter": ctx.maybe_name_of("filter", filter_id) or f"(filter {filter_id})",
                "location": location.get("projectKey"),
                "columns": [self._column(ctx, c) for c in columns_of(config)],
            }
        )

    def _column(self, ctx: FetchContext, column: dict[str, Any]) -> Spec:
        statuses = [ctx.maybe_name_of("status", s["id"]) or s["id"] for s in column["statuses"]]
        out: Spec = {"name": column["name"], "statuses": sorted(statuses, key=by_text)}
        out.update({k: column[k] for k in ("min", "max") if column.get(k) is not None})
        return out

    def comparable(self, live: Spec, spec: Spec) -> Spec:
        """Columns are read-only: the plan never changes them (``board_columns_match`` warns)."""
        out = {k: v for k, v in spec.items() if k != "columns"}
        return {**out, "columns": live["columns"]} if "columns" in live else out

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body: dict[str, Any] = {
            "name": spec["name"],
            "type": spec["type"],
            "filterId": int(ctx.id_of("filter", spec["filter"])),
            "location": {"type": "user"},
        }
        if spec.get("location"):
            project = ctx.id_of("project", spec["location"])
            body["location"] = {"type": "project", "projectKeyOrId": project}
        return str(ctx.client.post(f"{AGILE}/board", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        """Nothing can change in place (the checks refuse renames; the rest replaces)."""

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"{AGILE}/board/{live.id}")

    def find(self, ctx: ApplyContext, spec: Spec) -> str | None:
        boards = sorted(
            ctx.client.paged(f"{AGILE}/board", {"name": spec["name"]}), key=lambda b: int(b["id"])
        )
        same = [b for b in boards if str(b["name"]).casefold() == str(spec["name"]).casefold()]
        keys = namesake_keys(same)
        return next(
            (str(b["id"]) for b, k in zip(same, keys, strict=True) if k == self.key(spec)), None
        )


def columns_of(config: dict[str, Any]) -> list[dict[str, Any]]:
    return list((config.get("columnConfig") or {}).get("columns") or [])


KIND = BoardKind()

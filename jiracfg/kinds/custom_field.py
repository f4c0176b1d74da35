"""custom_field: custom fields (``/field``), and system fields as readonly references.

Spec: ``{name, alias?, type, searcher?, description?}``; ``type`` is Jira's short type name
(``select``, ``cascadingselect``, ``float``...; other plugins' types keep their full key);
``searcher`` is omitted for the type's default searcher and ``none`` for a field nobody can search.
The file also holds the field's contexts (kind ``field_context``). System fields (Summary,
Status...) and locked fields (Sprint, Rank...) are readonly resources keyed by name.

Names are not unique in Jira. Fields sharing a name (ignoring case) are never merged: the oldest
keeps the plain name, each later one gets ``alias: "<name> [<type>]"`` (``... [<type>] 2``, 3...
when the type repeats too), and all carry meta ``duplicate_name``. The alias is derived, never
stored in Jira, so a desired alias must follow that form to match the live field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.errors import ConfigError
from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty
from jiracfg.model import Resource, Spec

PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:"
DEFAULT_SEARCHERS = {
    "textfield": "textsearcher",
    "textarea": "textsearcher",
    "readonlyfield": "textsearcher",
    "url": "exacttextsearcher",
    "select": "multiselectsearcher",
    "radiobuttons": "multiselectsearcher",
    "multiselect": "multiselectsearcher",
    "multicheckboxes": "multiselectsearcher",
    "multigrouppicker": "multiselectsearcher",
    "cascadingselect": "cascadingselectsearcher",
    "float": "exactnumber",
    "importid": "exactnumber",
    "datepicker": "daterange",
    "datetime": "datetimerange",
    "userpicker": "userpickergroupsearcher",
    "multiuserpicker": "userpickergroupsearcher",
    "grouppicker": "grouppickersearcher",
    "labels": "labelsearcher",
    "version": "versionsearcher",
    "multiversion": "versionsearcher",
    "project": "projectsearcher",
}
SYSTEM_NAMES = frozenset(
    {
        "Summary",
        "Description",
        "Issue Type",
        "Status",
        "Priority",
        "Resolution",
        "Resolved",
        "Labels",
        "Assignee",
        "Reporter",
        "Creator",
        "Created",
        "Updated",
        "Due date",
        "Components",
        "Affects versions",
        "Fix versions",
        "Environment",
        "Time tracking",
        "Attachment",
        "Linked Issues",
        "Security Level",
        "Project",
        "Parent",
        "Sub-tasks",
        "Watchers",
        "Votes",
        "Comment",
        "Log Work",
        "Original estimate",
        "Remaining Estimate",
        "Time Spent",
        "Σ Original Estimate",
        "Σ Remaining Estimate",
        "Σ Time Spent",
        "Progress",
        "Σ Progress",
        "Work Ratio",
        "Last Viewed",
        "Status Category Changed",
        "Development",
        "Team",
        "Story point estimate",
        "Rank",
        "Sprint",  # locked Software fields
    }
)


class CustomFieldKind(Kind):
    name = "custom_field"
    folder = "custom-fields"
    depends_on = ()
    replace_on = ("type",)
    builtin_keys: ClassVar[frozenset[str]] = SYSTEM_NAMES

    def serial_group(self, spec: Spec) -> str | None:
        # namesakes are told apart by age (the aliases follow Jira's id order): created one at a
        # time, in plan order, they keep their keys
        return f"custom fields named {str(spec['name']).casefold()}"

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        system = [f for f in ctx.client.get("/field") if not f.get("custom")]
        custom = sorted(
            ctx.client.paged("/field/search", {"type": "custom", "expand": "searcherKey,isLocked"}),
            key=custom_number,
        )
        return self._keyed([*system, *custom])

    def _keyed(self, fields: list[dict[str, Any]]) -> list[Resource]:
        """Resources in Jira's age order, later namesakes aliased (see the module docstring)."""
        counts: dict[str, int] = {}
        for field in fields:
            counts[field["name"].casefold()] = counts.get(field["name"].casefold(), 0) + 1
        seen: set[str] = set()
        taken: set[str] = set()
        resources = []
        for field in fields:
            spec, folded = self._spec(field), field["name"].casefold()
            if folded in seen:
                spec = {**spec, "alias": free_alias(spec, taken)}
            seen.add(folded)
            taken.add(self.key(spec))
            resources.append(self.resource(spec, **self._meta(field, counts[folded] > 1)))
        return resources

    def _spec(self, field: dict[str, Any]) -> Spec:
        if not field.get("schema", {}).get("custom"):
            return {"name": field["name"]}
        kind = short_type(field["schema"]["custom"])
        return drop_empty(
            {
                "name": field["name"],
                "type": kind,
                "searcher": searcher_name(kind, field.get("searcherKey")),
                "description": field.get("description"),
            }
        )

    def _meta(self, field: dict[str, Any], duplicate: bool) -> dict[str, Any]:
        meta: dict[str, Any] = {"id": str(field["id"])}
        if "customId" not in field.get("schema", {}) or field.get("isLocked"):
            meta["readonly"] = True
        elif duplicate:
            meta["duplicate_name"] = True
        return meta

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        check_alias(spec)
        body = {
            "name": spec["name"],
            "type": type_key(spec["type"]),
            "description": spec.get("description", ""),
        }
        searcher = searcher_key(spec)
        if searcher:
            body["searcherKey"] = searcher
        return str(ctx.client.post("/field", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        check_alias(spec)
        body: dict[str, Any] = {"name": spec["name"]} if spec["name"] != live.spec["name"] else {}
        if spec.get("description", "") != live.spec.get("description", ""):
            body["description"] = spec.get("description", "")
        if spec.get("searcher") != live.spec.get("searcher"):
            body["searcherKey"] = searcher_key(spec)
        if body:
            ctx.client.put(f"/field/{live.id}", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/field/{live.id}")  # Jira's async task; the client waits on it


def custom_number(field: dict[str, Any]) -> int:
    return int(field.get("schema", {}).get("customId") or str(field["id"]).rsplit("_", 1)[-1])


def short_type(key: str) -> str:
    return key.removeprefix(PLUGIN)


def type_key(kind: str) -> str:
    return kind if ":" in kind else PLUGIN + kind


def searcher_name(kind: str, key: str | None) -> str | None:
    """The spec's ``searcher``: None for the type's default, ``none`` for no searcher."""
    if key is None:
        return "none"
    name = short_type(key)
    return None if DEFAULT_SEARCHERS.get(kind) == name else name


def searcher_key(spec: Spec) -> str | None:
    name = spec.get("searcher") or DEFAULT_SEARCHERS.get(spec["type"])
    return None if name in (None, "none") else type_key(str(name))


def free_alias(spec: Spec, taken: set[str]) -> str:
    """``<name> [<type>]``, numbered from 2 while a key (ignoring case) already has it."""
    alias = f"{spec['name']} [{spec.get('type', 'system')}]"
    folded = {t.casefold() for t in taken}
    number = 1
    while (alias if number == 1 else f"{alias} {number}").casefold() in folded:
        number += 1
    return alias if number == 1 else f"{alias} {number}"


def check_alias(spec: Spec) -> None:
    """A desired alias must be the one fetch derives, or the field would never match."""
    alias = spec.get("alias")
    form = re.escape(f"{spec['name']} [{spec['type']}]") + r"( [2-9]\d*)?"
    if alias is not None and not re.fullmatch(form, str(alias)):
        raise ConfigError(
            f"custom field {spec['name']!r} has alias {alias!r}",
            hint=f"use '{spec['name']} [{spec['type']}]' (add ' 2', ' 3'... when "
            "several fields share name and type): jiracfg derives it from Jira",
        )


KIND = CustomFieldKind()
